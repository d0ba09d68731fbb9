/**
 * Runs inside a real VS Code extension host (runExtensionTests loads it as the extension tests file
 * and calls run()). It activates the extension itself, in a workspace without .csml files so that
 * nothing has activated it earlier, and measures:
 *   - `await ext.activate()`, then the work activation scheduled to run at once (the extension's
 *     timers that are due within 100 ms), followed with setTimeout(0) + setImmediate turns until none
 *     of them is left;
 *   - the extension host's event-loop busy time over that window;
 *   - where the time went: require() of the bundle (and its require('vscode') calls), its activate();
 *   - the timers created while the extension's code ran, the workspace searches and file watchers it started;
 *   - the requests a Studio emulator, which csml.apiBaseUrl points at, received.
 * The wrappers on the vscode API object are checked to see the extension's calls (its command
 * registrations). Then the workspace .env's credentials are imported with the extension's command, and
 * with credentials stored and no pinned user, nothing must be requested while idle.
 * Results go to the JSON file named by CSML_BENCH_PROBE_OUT.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { sampleEmulatorOptions } from '../../test/emulator/fixtures';
import { StudioEmulator } from '../../test/emulator/studioEmulator';
import Module from 'node:module';
import { startProfiler } from './profiler';
import { runProbe } from './probeRun';
import { ActivationBreakdown, ENV, EXTENSION_ID, ProbeResult, SearchRecord, TimerRecord } from './probeProtocol';

/** A timer due within this many ms of its creation counts as work done at start-up. */
const SOON_MS = 100;
const GRACE_MS = 1500;
const IDLE_MS = 3000;
const QUIET_MAX_MS = 15_000;
/** Busy share of all cores under which the machine counts as quiet. */
const MACHINE_QUIET_BELOW = 0.15;

/** Above 0 while the extension's own code runs. */
interface Scope {
  depth: number;
}

export async function run(): Promise<void> {
  const result = await runProbe<ProbeResult>({ hostNode: process.version }, probe);
  if (result.error) throw new Error(result.error);
}

async function probe(result: ProbeResult): Promise<void> {
  const port = Number(process.env[ENV.emulatorPort]);
  const apiKey = process.env[ENV.apiKey];
  const apiSecret = process.env[ENV.apiSecret];
  if (!Number.isInteger(port) || port <= 0 || !apiKey || !apiSecret) throw new Error('the probe needs its emulator port, key and secret');
  const emulator = new StudioEmulator({ apiKey, apiSecret, ...sampleEmulatorOptions() });
  await emulator.start(port);
  const restore: Array<() => void> = [];
  try {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not in this extension host`);
    result.activeBeforeProbe = ext.isActive;
    if (ext.isActive) throw new Error('the extension was already active before the probe ran: no fresh activation to measure');
    const configured = vscode.workspace.getConfiguration('csml').get<string>('apiBaseUrl');
    if (configured !== emulator.baseUrl) throw new Error(`csml.apiBaseUrl is ${configured}, not the probe's emulator ${emulator.baseUrl}`);

    const getCompileCacheDir = (Module as unknown as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir;
    if (getCompileCacheDir) result.compileCacheDir = getCompileCacheDir() ?? null;

    result.quietWaitMs = await waitForQuiet();

    const bundle = path.join(ext.extensionPath, (ext.packageJSON as { main: string }).main);
    const bundleFile = bundle.endsWith('.js') ? bundle : `${bundle}.js`;
    let t0 = 0;
    const since = () => Math.round((performance.now() - t0) * 1000) / 1000;

    const searches: SearchRecord[] = [];
    result.searches = searches;
    const seen = { registeredCommands: 0 };
    restore.push(wrapWorkspace(searches, since, seen));

    const scope: Scope = { depth: 0 };
    const timers: TimerRecord[] = [];
    const pending = new Set<unknown>();
    const scheduledWork = { ms: 0 };
    const unwrapTimers = wrapTimers(scope, timers, pending, since, scheduledWork);
    restore.push(unwrapTimers);
    const breakdown: ActivationBreakdown = { vscodeRequires: 0, vscodeRequireMs: 0 };
    const unwrapRequire = wrapRequire(bundleFile, breakdown, scope);
    restore.push(unwrapRequire);

    // VS Code rebuilds its merged view of the settings at the first read after the host settles. In a
    // real window the workbench and other extensions read settings all the time, so an activating
    // extension finds that view built; the probe reads once to be in the same place, and says what it cost.
    const settingsRead = performance.now();
    vscode.workspace.getConfiguration('csml').get('pinnedUserId');
    result.firstSettingsReadMs = round3(performance.now() - settingsRead);

    emulator.clearRequests();
    const profiler = await startProfiler(process.env[ENV.cpuProfile]);
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    t0 = performance.now();
    await ext.activate();
    const t1 = performance.now();
    // The work activation scheduled: run event-loop turns until no timer of the extension is due soon.
    let turns = 0;
    do {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      await new Promise<void>((resolve) => setImmediate(resolve));
      turns++;
    } while (pending.size > 0 && turns < 50);
    const t2 = performance.now();
    const scheduledWorkMs = scheduledWork.ms;
    const busy = performance.eventLoopUtilization(elu);
    const cpuUsed = process.cpuUsage(cpu);
    unwrapTimers();
    unwrapRequire();
    await profiler?.stop();

    breakdown.scheduledWorkMs = round3(scheduledWorkMs);
    result.extensionActivationMs = round3((breakdown.moduleLoadMs ?? NaN) + (breakdown.activateFunctionMs ?? NaN) + scheduledWorkMs);
    result.activateMs = round3(t1 - t0);
    result.activationMs = round3(t2 - t0);
    result.activationBusyMs = round3(busy.active);
    result.activationCpuMs = round3((cpuUsed.user + cpuUsed.system) / 1000);
    result.loadAverage = os.loadavg()[0];
    result.idleChainTurns = turns;
    result.commandsRegisteredDuringActivation = seen.registeredCommands;
    result.searchesObservable = seen.registeredCommands > 0;
    breakdown.vscodeApiProperties = Object.getOwnPropertyNames(vscode).length;
    result.breakdown = breakdown;
    result.timers = timers;

    await sleep(GRACE_MS);
    result.graceMs = GRACE_MS;
    result.graceEndedAtMs = since();
    result.requestsDuringActivation = emulator.requests.length;

    // Store the workspace .env's credentials the way a user would (one signed GET /bot checks them).
    emulator.clearRequests();
    result.importOutcome = await vscode.commands.executeCommand('csml.importDotEnvCredentials');
    result.importRequests = emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

    // Credentials stored, no pinned user: nothing should be asked while idle.
    await sleep(200);
    emulator.clearRequests();
    await sleep(IDLE_MS);
    result.idleMs = IDLE_MS;
    result.idleRequestsWithCredentials = emulator.requests.length;
  } finally {
    for (const undo of restore.reverse()) undo();
    await emulator.stop();
  }
}

/**
 * Waits until ten 20 ms timers in a row fire less than 3 ms late (the host has finished starting up),
 * then, where /proc/stat tells, until the whole machine is quiet: the workbench and the server go on
 * with their own start-up for seconds after the extension host is idle, and on a small machine they
 * would take the CPU from the activation being measured.
 */
async function waitForQuiet(): Promise<number> {
  const started = performance.now();
  let calm = 0;
  while (calm < 10 && performance.now() - started < QUIET_MAX_MS) {
    const before = performance.now();
    await sleep(20);
    calm = performance.now() - before - 20 < 3 ? calm + 1 : 0;
  }
  let quietWindows = 0;
  while (quietWindows < 3 && performance.now() - started < QUIET_MAX_MS) {
    const busy = await machineBusyFraction(250);
    if (busy === undefined) break;
    quietWindows = busy < MACHINE_QUIET_BELOW ? quietWindows + 1 : 0;
  }
  await sleep(200);
  return Math.round(performance.now() - started);
}

/** The share of the machine's CPU time that was busy over `ms`, or undefined without /proc/stat. */
async function machineBusyFraction(ms: number): Promise<number | undefined> {
  const read = (): { busy: number; total: number } | undefined => {
    try {
      const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const total = fields.reduce((sum, value) => sum + value, 0);
      const idle = fields[3] + (fields[4] ?? 0);
      return { busy: total - idle, total };
    } catch {
      return undefined;
    }
  };
  const before = read();
  await sleep(ms);
  const after = read();
  if (!before || !after || after.total === before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}

/** Records the extension's workspace searches and file watchers (the API object is shared within the extension). */
function wrapWorkspace(searches: SearchRecord[], since: () => number, seen: { registeredCommands: number }): () => void {
  const workspace = vscode.workspace as unknown as Record<string, unknown>;
  const commands = vscode.commands as unknown as Record<string, unknown>;
  const originalRegister = commands.registerCommand as (...args: unknown[]) => unknown;
  // Every extension that contributes commands registers them: seeing those calls proves the wrappers
  // sit on the API object the extension uses, so a count of 0 searches means none were made.
  commands.registerCommand = function (this: unknown, ...args: unknown[]) {
    seen.registeredCommands++;
    return originalRegister.apply(this, args);
  };
  const originalFind = workspace.findFiles as (...args: unknown[]) => Thenable<unknown>;
  const originalWatch = workspace.createFileSystemWatcher as (...args: unknown[]) => unknown;
  const describe = (pattern: unknown) => (typeof pattern === 'string' ? pattern : JSON.stringify(pattern));
  workspace.findFiles = function (this: unknown, ...args: unknown[]) {
    const record: SearchRecord = { api: 'findFiles', pattern: describe(args[0]), calledAtMs: since() };
    searches.push(record);
    const answer = originalFind.apply(this, args);
    answer.then(
      () => (record.settledAtMs = since()),
      () => (record.settledAtMs = since()),
    );
    return answer;
  };
  workspace.createFileSystemWatcher = function (this: unknown, ...args: unknown[]) {
    searches.push({ api: 'createFileSystemWatcher', pattern: describe(args[0]), calledAtMs: since() });
    return originalWatch.apply(this, args);
  };
  return () => {
    workspace.findFiles = originalFind;
    workspace.createFileSystemWatcher = originalWatch;
    commands.registerCommand = originalRegister;
  };
}

/**
 * While the extension's code runs (its bundle's top level, its activate(), the callbacks of the timers
 * they create), `scope.depth` is above 0: timers created then are the extension's. No stack is
 * captured, so the instruments cost next to nothing. Timers due soon stay in `pending` until they ran;
 * `work.ms` adds up the time their callbacks ran.
 */
function wrapTimers(scope: Scope, timers: TimerRecord[], pending: Set<unknown>, since: () => number, work: { ms: number }): () => void {
  const g = globalThis as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = {
    setTimeout: g.setTimeout,
    setInterval: g.setInterval,
    setImmediate: g.setImmediate,
    clearTimeout: g.clearTimeout,
    clearImmediate: g.clearImmediate,
  };
  const wrap = (kind: TimerRecord['kind']) =>
    function (this: unknown, ...args: unknown[]) {
      if (scope.depth === 0 || typeof args[0] !== 'function') return originals[kind].apply(this, args);
      const callback = args[0] as (...a: unknown[]) => unknown;
      const delayMs = kind === 'setImmediate' ? 0 : Number(args[1] ?? 0) || 0;
      timers.push({ kind, delayMs, createdAtMs: since() });
      // Assigned once the timer exists; the callback made before it reads it.
      // eslint-disable-next-line prefer-const
      let handle: unknown;
      const tracked = kind !== 'setInterval' && delayMs <= SOON_MS;
      args[0] = function (this: unknown, ...callbackArgs: unknown[]) {
        pending.delete(handle);
        const outermost = scope.depth === 0;
        const began = performance.now();
        scope.depth++;
        try {
          return callback.apply(this, callbackArgs);
        } finally {
          scope.depth--;
          if (outermost) work.ms += performance.now() - began;
        }
      };
      handle = originals[kind].apply(this, args);
      if (tracked) pending.add(handle);
      return handle;
    };
  const clear = (kind: 'clearTimeout' | 'clearImmediate') =>
    function (this: unknown, handle: unknown) {
      pending.delete(handle);
      return originals[kind].call(this, handle);
    };
  g.setTimeout = wrap('setTimeout');
  g.setInterval = wrap('setInterval');
  g.setImmediate = wrap('setImmediate');
  g.clearTimeout = clear('clearTimeout');
  g.clearImmediate = clear('clearImmediate');
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    Object.assign(g, originals);
  };
}

/**
 * Times the extension host's require() of the bundle and, while it loads, each require('vscode') its
 * top-level code makes (VS Code intercepts those to hand out the extension's API object); and hands
 * the host a copy of the exports whose activate() is timed.
 */
function wrapRequire(bundleFile: string, breakdown: ActivationBreakdown, scope: Scope): () => void {
  const proto = (Module as unknown as { prototype: { require(this: unknown, id: string): unknown } }).prototype;
  // Called with its receiver, through .call() below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = proto.require;
  const bundleIds = new Set([bundleFile, bundleFile.replace(/\.js$/, '')]);
  let loading = false;
  proto.require = function (this: unknown, id: string) {
    if (loading && id === 'vscode') {
      const started = performance.now();
      try {
        return original.call(this, id);
      } finally {
        breakdown.vscodeRequires++;
        breakdown.vscodeRequireMs = round3(breakdown.vscodeRequireMs + performance.now() - started);
      }
    }
    if (loading || typeof id !== 'string' || !path.isAbsolute(id) || !bundleIds.has(path.resolve(id))) return original.call(this, id);
    loading = true;
    scope.depth++;
    const started = performance.now();
    let exports: Record<string, unknown>;
    try {
      exports = original.call(this, id) as Record<string, unknown>;
    } finally {
      loading = false;
      scope.depth--;
      breakdown.moduleLoadMs = round3(performance.now() - started);
    }
    const activate = exports.activate;
    if (typeof activate !== 'function') return exports;
    return {
      ...exports,
      activate(this: unknown, ...args: unknown[]) {
        const began = performance.now();
        scope.depth++;
        try {
          return (activate as (...values: unknown[]) => unknown).apply(this, args);
        } finally {
          scope.depth--;
          breakdown.activateFunctionMs = round3(performance.now() - began);
        }
      },
    };
  };
  return () => {
    proto.require = original;
  };
}

/**
 * With CSML_BENCH_CPU_PROFILE set (it passes through to the extension host), a CPU profile of the
 * activation window is written there, for finding where the time goes; the figures then include the
 * profiler's own cost.
 */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
