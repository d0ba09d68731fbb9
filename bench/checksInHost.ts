/**
 * The checks in a real VS Code extension host (bench/host/checksProbe.ts): a workspace holding the generated
 * 1,000-flow bot, its first problems, keystrokes in its 2,000-line flow, and the host's heap for the bot.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExtensionTests } from '../test/host/runExtensionTests';
import { BotChecks } from '../src/csml/botChecks';
import { BotModel } from '../src/csml/botModel';
import { parseFlow } from '../src/csml/flowParser';
import { generateBot } from './csmlLanguage';
import { CHECKS_ENV, ChecksProbeResult, ENV } from './host/probeProtocol';
import { installExtensionCopy } from './host/runActivation';
import { atMost, Report } from './report';
import { percentile, round, summary } from './stats';

const GROUP = 'checks-host';
const SEED = 0x5eed_c5a1;
const KEYSTROKES = 60;
/** Set, the extension is measured as `node esbuild.js` builds it, unminified: its profile names the functions. */
const DEVELOPMENT_BUILD = 'CSML_BENCH_DEV';

/** How many problems the checks find in `files`, as the extension will publish them. */
function expectedProblems(files: Map<string, string>, defaultFlow: string): number {
  const bot = new BotModel();
  bot.defaultFlow = defaultFlow;
  const checks = new BotChecks(bot);
  for (const [name, text] of files) checks.flowSet(bot.set(name, name, parseFlow(text)), text);
  return [...checks.recheck().values()].reduce((n, found) => n + found.length, 0);
}

export async function runChecksInHost(report: Report): Promise<void> {
  const files = generateBot(SEED);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-bench-checks-'));
  const installed = installExtensionCopy(process.env[DEVELOPMENT_BUILD] ? 'development' : 'production');
  try {
    const workspace = path.join(temp, 'workspace');
    fs.mkdirSync(path.join(workspace, 'flows'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'bot.json'), JSON.stringify({ name: 'Generated', default_flow: 'Hub' }));
    for (const [name, text] of files) fs.writeFileSync(path.join(workspace, 'flows', `${name}.csml`), text);
    const outFile = path.join(temp, 'probe.json');
    const log: string[] = [];
    const code = await runExtensionTests({
      extensionDevelopmentPath: installed.folder,
      extensionTestsPath: path.join(installed.folder, 'out', 'bench', 'host', 'checksProbe.js'),
      workspaceFolder: workspace,
      env: {
        [ENV.outFile]: outFile,
        [CHECKS_ENV.expectedProblems]: String(expectedProblems(files, 'Hub')),
        [CHECKS_ENV.keystrokes]: String(KEYSTROKES),
        ...(process.env[ENV.cpuProfile] ? { [ENV.cpuProfile]: process.env[ENV.cpuProfile] } : {}),
      },
      timeoutMs: 4 * 60_000,
      onLog: (line) => {
        log.push(line);
        if (log.length > 60) log.shift();
      },
    });
    if (!fs.existsSync(outFile)) throw new Error(`the probe wrote no result (exit code ${code}); host output:\n${log.join('\n')}`);
    const result = JSON.parse(fs.readFileSync(outFile, 'utf8')) as ChecksProbeResult;
    if (result.error) throw new Error(`the probe failed: ${result.error}`);
    const keystrokes = result.keystrokeMs ?? [];
    report.metric(GROUP, 'csml_host_first_diagnostics_1000_ms', round(result.firstProblemsMs ?? NaN, 4), 'ms', atMost(1000));
    report.info(GROUP, 'csml_host_idle_turn_ms', round(result.idleTurnMs ?? NaN, 4), 'ms');
    report.info(GROUP, 'csml_host_find_and_read_1000_ms', round(result.findAndReadMs ?? NaN, 4), 'ms');
    report.metric(GROUP, 'csml_host_first_diagnostics_turn_ms', round(result.longestTurnMs ?? NaN, 4), 'ms', atMost(20));
    report.metric(GROUP, 'csml_host_keystroke_diagnostics_p95_ms', round(percentile(keystrokes, 95), 4), 'ms', atMost(20), {
      samples: summary(keystrokes),
    });
    report.metric(GROUP, 'csml_host_bot_heap_mb', round((result.heapAfterMb ?? NaN) - (result.heapBeforeMb ?? NaN), 2), 'MB', atMost(100), {
      beforeMb: result.heapBeforeMb,
      afterMb: result.heapAfterMb,
    });
    report.note(
      GROUP,
      `a real extension host (code-server) on a workspace of the ${files.size} generated flows (seed ${SEED}) and a bot.json. First: from ` +
        `opening the 2,000-line flow Big to all ${result.publishedProblems} problems of the bot published (every flow found, read, checked); ` +
        `turn: the longest wait of a setImmediate ticker in the extension host meanwhile. Keystroke: ${keystrokes.length} edits of Big's last step ` +
        `label, from the change event to the problems of Big and of Flow0000 (one of the 100 flows naming it) published. Heap: heapUsed after ` +
        `two full collections once the problems are published, minus before the flow was opened (the extension active, nothing read).`,
    );
  } finally {
    installed.remove();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
