/** What the activation probe (in the extension host) and its runner (outside) agree on. */

export const EXTENSION_ID = 'csml-conversations.csml-conversations';

/** Environment variables the runner sets for the extension host. */
export const ENV = {
  outFile: 'CSML_BENCH_PROBE_OUT',
  emulatorPort: 'CSML_BENCH_EMULATOR_PORT',
  apiKey: 'CSML_BENCH_API_KEY',
  apiSecret: 'CSML_BENCH_API_SECRET',
  /** Optional, taken from the caller's environment: where to write a CPU profile of the activation window. */
  cpuProfile: 'CSML_BENCH_CPU_PROFILE',
} as const;

/** What the checks probe's runner tells it through the environment. */
export const CHECKS_ENV = {
  expectedProblems: 'CSML_BENCH_EXPECTED_PROBLEMS',
  keystrokes: 'CSML_BENCH_KEYSTROKES',
} as const;

/** What the checks probe measured. */
export interface ChecksProbeResult {
  firstProblemsMs?: number;
  /** The longest wait of the host's event loop over 2 s while nothing is asked of the extension. */
  idleTurnMs?: number;
  /** Finding the flow files and reading them, 64 at a time, without the extension. */
  findAndReadMs?: number;
  longestTurnMs?: number;
  heapBeforeMb?: number;
  heapAfterMb?: number;
  publishedProblems?: number;
  keystrokeMs?: number[];
  error?: string;
}

export interface TimerRecord {
  readonly kind: 'setTimeout' | 'setInterval' | 'setImmediate';
  readonly delayMs: number;
  /** Milliseconds after activate() was called. */
  readonly createdAtMs: number;
}

export interface SearchRecord {
  readonly api: 'findFiles' | 'createFileSystemWatcher';
  readonly pattern: string;
  readonly calledAtMs: number;
  /** When its answer came (findFiles only), ms after activate() was called. */
  settledAtMs?: number;
}

export interface ProbeResult {
  readonly hostNode: string;
  /**
   * Node's module compile cache directory in the extension host (module.getCompileCacheDir(), set by
   * NODE_COMPILE_CACHE or module.enableCompileCache()); null when it is off, so require() compiles the
   * bundle from source. Undefined where that Node has no such API.
   */
  compileCacheDir?: string | null;
  activeBeforeProbe?: boolean;
  /** Milliseconds waited for the extension host to go quiet before measuring. */
  quietWaitMs?: number;
  /** `await ext.activate()`: VS Code's extension context set-up (storage, RPC round trips) included. */
  activateMs?: number;
  /**
   * The extension's own activation time: require() of its bundle, its activate() function and the
   * callbacks of the timers it scheduled to run at once (VS Code's "activation time" of an extension is
   * the first two).
   */
  extensionActivationMs?: number;
  /** The probe's read of a setting just before activating: VS Code rebuilding its merged settings view. */
  firstSettingsReadMs?: number;
  /** activate() plus the work it scheduled to run at once, until no timer of the extension is due. */
  activationMs?: number;
  /** Event-loop busy time of the extension host over the activation window (ELU active), ms. */
  activationBusyMs?: number;
  /** CPU time of the extension host process (all its threads) over the activation window, ms: less sensitive to other load than wall time. */
  activationCpuMs?: number;
  /** The machine's 1-minute load average when the probe measured. */
  loadAverage?: number;
  idleChainTurns?: number;
  /** Where the activation time went: loading the bundle, and the extension's own activate() function. */
  breakdown?: ActivationBreakdown;
  /** Timers the extension created during the activation window (from its top level, activate(), or such timers' callbacks). */
  timers?: TimerRecord[];
  /** Workspace searches and watchers the extension started during the activation window and the grace period after it. */
  searches?: SearchRecord[];
  /** Whether the wrappers on the vscode API object see the extension's calls (it registered commands through them). */
  searchesObservable?: boolean;
  commandsRegisteredDuringActivation?: number;
  /** Milliseconds after activate() was called when the grace period ended (the .env import starts then). */
  graceEndedAtMs?: number;
  /** Requests the emulator received from activation until the end of the grace period. */
  requestsDuringActivation?: number;
  graceMs?: number;
  /** After activation: the .env import command's outcome and the requests it caused. */
  importOutcome?: unknown;
  importRequests?: string[];
  /** With credentials stored and no pinned user, requests received while idle. */
  idleRequestsWithCredentials?: number;
  idleMs?: number;
  error?: string;
}

export interface ActivationBreakdown {
  /** require() of the bundle: read, compile and its top-level code, nested requires included. */
  moduleLoadMs?: number;
  /** How many times the bundle's top-level code ran require('vscode'), and how long those took. */
  vscodeRequires: number;
  vscodeRequireMs: number;
  /** Own properties of the vscode API object: esbuild's __toESM copies each of them once per bundled module that imports vscode. */
  vscodeApiProperties?: number;
  /** The bundle's exported activate() function, synchronous part. */
  activateFunctionMs?: number;
  /** The callbacks of the timers the extension created that are due at once (within 100 ms). */
  scheduledWorkMs?: number;
}
