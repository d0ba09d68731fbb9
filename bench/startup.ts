/**
 * Start-up: how broad the activation events are, the size of the minified bundle, and a fresh
 * activation measured inside a real VS Code extension host.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../test/host/codeServer';
import { ActivationRun, BundleKind, CANDIDATE_BUNDLE, installExtensionCopy, measureActivationInHost } from './host/runActivation';
import { buildProductionBundle } from './productionBuild';
import { atMost, exactly, Report } from './report';
import { median, round } from './stats';

const GROUP = 'startup';
/** The command lines (csml-check, chat-test): run on their own, never loaded by the extension. */
const COMMAND_LINE_BUNDLES = ['csml-check.js', 'chat-test.js'];

interface Manifest {
  activationEvents?: string[];
  contributes?: {
    commands?: Array<{ command: string }>;
    views?: Record<string, Array<{ id: string }>>;
  };
}

export function runActivationEvents(report: Report): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
  const events = manifest.activationEvents ?? [];
  // The files the extension is for: flows, and the chat tests it runs.
  const allowed = new Set<string>(['workspaceContains:**/*.csml', 'workspaceContains:**/*.chat.json']);
  for (const command of manifest.contributes?.commands ?? []) allowed.add(`onCommand:${command.command}`);
  for (const views of Object.values(manifest.contributes?.views ?? {})) for (const view of views) allowed.add(`onView:${view.id}`);
  const broad = events.filter((event) => !allowed.has(event));
  report.metric(GROUP, 'activation_events_broad', broad.length, 'count', exactly(0), { activationEvents: events, broad });
  report.note(
    GROUP,
    `activationEvents ${JSON.stringify(events)}; allowed: workspaceContains of **/*.csml and **/*.chat.json, and onView/onCommand of the contributed views and commands` +
      (broad.length ? `; too broad: ${JSON.stringify(broad)}` : ''),
  );
}

/** The size of what `npm run package` ships, built into a temp folder (see productionBuild.ts). */
export function runBundleSize(report: Report): void {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-bench-bundle-'));
  try {
    const bundle = buildProductionBundle(temp);
    const dist = path.dirname(bundle);
    // Files of dist/ and of its folders (the webview pages in dist/webview), by their path inside dist/.
    const outputs = Object.fromEntries(
      fs
        .readdirSync(dist, { recursive: true, encoding: 'utf8' })
        .filter((name) => fs.statSync(path.join(dist, name)).isFile())
        .map((name) => [name.split(path.sep).join('/'), fs.statSync(path.join(dist, name)).size]),
    );
    const atActivation = path.basename(bundle);
    const bytes = outputs[atActivation] ?? 0;
    // The command lines ship beside the extension, which never loads them; the webview pages load when a page opens.
    const later = Object.entries(outputs).filter(
      ([name]) => name !== atActivation && !COMMAND_LINE_BUNDLES.includes(name) && name.endsWith('.js'),
    );
    report.metric(GROUP, 'bundle_kb', round(bytes / 1024, 4), 'KB', atMost(150), { bytes, outputs, loadedAtActivation: [atActivation] });
    report.info(GROUP, 'bundle_later_kb', round(later.reduce((sum, [, size]) => sum + size, 0) / 1024, 4), 'KB', {
      files: Object.fromEntries(later),
    });
    const listed = Object.entries(outputs)
      .map(([name, size]) => `${name} ${size}`)
      .join(', ');
    report.note(
      GROUP,
      `bundle: \`node esbuild.js --production\` run in a temp folder (src/ linked in): ${listed} bytes. bundle_kb is the code activation loads (${atActivation}); ` +
        `bundle_later_kb the code loaded at first use (${later.map(([name]) => name).join(', ') || 'none'}), counted apart; ` +
        `${COMMAND_LINE_BUNDLES.join(' and ')}, the command lines, in neither; 1 KB = 1024 bytes.`,
    );
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Fresh hosts measured: each activation happens once per host, and one host can be unlucky on a busy machine. */
const ACTIVATION_RUNS = 7;

export async function runHostActivation(report: Report, kind: BundleKind = 'production'): Promise<void> {
  const installed = installExtensionCopy(kind);
  const runs: ActivationRun[] = [];
  try {
    // Every start is alike: the host requires dist/extension.js, compiling it from source each time.
    for (let i = 0; i < ACTIVATION_RUNS; i++) {
      const run = await measureActivationInHost(installed);
      if (run.result.compileCacheDir)
        throw new Error(
          `the extension host has Node's compile cache on (${run.result.compileCacheDir}): later starts would not compile the bundle`,
        );
      runs.push(run);
    }
  } finally {
    installed.remove();
  }
  const own = runs.map((run) => run.result.extensionActivationMs ?? NaN);
  // The run whose figure is the median speaks for the others in the checks below.
  const { result, bundleBytes } = runs[own.indexOf(median(own))] ?? runs[0];
  const candidate = process.env[CANDIDATE_BUNDLE];
  const bundleText = candidate
    ? `the candidate bundle ${candidate} (${bundleBytes} bytes, from ${CANDIDATE_BUNDLE})`
    : kind === 'production'
      ? `the minified production bundle (${bundleBytes} bytes, as the .vsix ships it)`
      : `the development build of \`node esbuild.js\` (${bundleBytes} bytes)`;
  const timers = result.timers ?? [];
  const searches = result.searches ?? [];
  const activationMs = result.activationMs ?? NaN;
  const duringActivation = searches.filter((s) => s.calledAtMs <= activationMs);
  const scheduled = searches.filter((s) => s.calledAtMs > activationMs && s.calledAtMs <= (result.graceEndedAtMs ?? Infinity));
  const describeRun = ({ result: r, wallSeconds: seconds }: ActivationRun) => ({
    extensionActivationMs: r.extensionActivationMs,
    breakdown: r.breakdown,
    hostActivateMs: r.activateMs,
    windowMs: r.activationMs,
    busyMs: r.activationBusyMs,
    cpuMs: r.activationCpuMs,
    firstSettingsReadMs: r.firstSettingsReadMs,
    loadAverage: r.loadAverage,
    quietWaitMs: r.quietWaitMs,
    runWallSeconds: seconds,
  });
  report.metric(GROUP, 'activation_ms', median(own), 'ms', atMost(25), {
    runs: runs.map(describeRun),
    timers,
    hostNode: result.hostNode,
    hostCompileCacheDir: result.compileCacheDir,
    bundle: kind,
    bundleBytes,
    loadedAtActivation: ['dist/extension.js'],
  });
  report.metric(GROUP, 'activation_requests', result.requestsDuringActivation ?? NaN, 'count', exactly(0), {
    graceMs: result.graceMs,
    idleRequestsWithCredentials: result.idleRequestsWithCredentials,
    idleMs: result.idleMs,
    importOutcome: result.importOutcome,
    importRequests: result.importRequests,
  });
  report.metric(GROUP, 'activation_workspace_searches', duringActivation.length + scheduled.length, 'count', exactly(0), {
    searches,
    observable: result.searchesObservable,
    commandsRegisteredDuringActivation: result.commandsRegisteredDuringActivation,
  });
  const b = result.breakdown;
  const describe = (list: typeof searches) =>
    list.length
      ? list
          .map(
            (s) =>
              `${s.api}('${s.pattern}') at ${s.calledAtMs} ms${s.settledAtMs !== undefined ? `, answered at ${s.settledAtMs} ms` : ''}`,
          )
          .join('; ')
      : 'none';
  const ownRuns = runs
    .map(
      ({ result: r }) =>
        `${r.extensionActivationMs} (${r.breakdown?.moduleLoadMs} + ${r.breakdown?.activateFunctionMs} + ${r.breakdown?.scheduledWorkMs})`,
    )
    .join(', ');
  report.note(
    GROUP,
    `activation: code-server (real VS Code extension host, Node ${result.hostNode}) running ${bundleText}, installed once, then started in ${ACTIVATION_RUNS} fresh hosts, the median reported;\n` +
      `  each start loads package.json "main", dist/extension.js, with a plain require(), compiling it from source every time\n` +
      `  (each start is checked to leave dist/ unchanged and to run with Node's compile cache ${result.compileCacheDir === undefined ? 'unavailable' : 'off'}, so all ${ACTIVATION_RUNS} are alike). node-fetch.js is not loaded until the first request.\n` +
      `  workspace with a .env and no .csml file (so workspaceContains does not activate it), no credentials stored, no pinned user,\n` +
      `  csml.apiBaseUrl -> an emulator the probe runs. The probe calls ext.activate() itself once the host and the machine are quiet (${result.quietWaitMs} ms).\n` +
      `  activation_ms is the extension's own time, as VS Code counts an extension's activation time (require() of its entry point + its activate()),\n` +
      `  plus the callbacks of the timers it scheduled to run at once (due within 100 ms, run to completion with setTimeout(0)+setImmediate turns).\n` +
      `  Runs, ms (require + activate() + scheduled work): ${ownRuns}; fastest ${Math.min(...own)}, slowest ${Math.max(...own)}.\n` +
      `  The median run: its ${b?.vscodeRequires ?? '?'} require('vscode') calls took ${b?.vscodeRequireMs ?? '?'} ms (the API object has ${b?.vscodeApiProperties ?? '?'} properties);\n` +
      `  await ext.activate() took ${result.activateMs} ms in all, VS Code's extension context set-up (storage, secrets, RPC round trips through the browser) included,\n` +
      `  and ${result.activationMs} ms until the scheduled timers had run; host event loop busy ${result.activationBusyMs} ms, host process CPU ${result.activationCpuMs} ms (load average ${result.loadAverage}).\n` +
      `  Before activating, the probe read one setting (${result.firstSettingsReadMs} ms: VS Code rebuilding its merged settings, which in a real window the workbench and other extensions keep built).\n` +
      `  Timers created while the extension's code ran (its own and those of VS Code API calls it made): ${timers.length ? timers.map((t) => `${t.kind}(${t.delayMs} ms)`).join(', ') : 'none'}.\n` +
      `  Requests to the emulator during activation + ${result.graceMs} ms: ${result.requestsDuringActivation}. Searches/watchers: during activation ${describe(duringActivation)};\n` +
      `  in the work it scheduled (until ${result.graceEndedAtMs} ms): ${describe(scheduled)}. (The wrappers saw the extension register ${result.commandsRegisteredDuringActivation} commands.)\n` +
      `  Then csml.importDotEnvCredentials -> ${JSON.stringify(result.importOutcome)} with ${JSON.stringify(result.importRequests)}; with credentials stored and no pinned user: ${result.idleRequestsWithCredentials} requests in ${result.idleMs} ms. Host runs: ${runs.map((r) => r.wallSeconds).join(', ')} s.`,
  );
  if (!result.searchesObservable)
    throw new Error("the probe's wrappers did not see the extension's calls to the vscode API; its search count means nothing");
}
