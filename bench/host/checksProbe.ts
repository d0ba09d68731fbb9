/**
 * Runs inside a real VS Code extension host, in a workspace holding a generated 1,000-flow bot (see
 * checksInHost.ts), and measures the checks as a user meets them:
 *   - the heap the extension host keeps for the bot (after full collections, before the first flow is opened
 *     and once its problems are all published);
 *   - from opening the bot's 2,000-line flow to every problem of the bot published, and the longest wait of the
 *     host's event loop meanwhile;
 *   - keystrokes in that flow's last step label, which 100 flows name: from the change event to the problems of
 *     the flow and of a flow naming it published (both change at each keystroke).
 * Results go to the JSON file named by CSML_BENCH_PROBE_OUT.
 */
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { CHECKS_ENV, ChecksProbeResult, ENV, EXTENSION_ID } from './probeProtocol';
import { watchLongestTurn } from '../eventLoopTurns';
import { startProfiler } from './profiler';
import { runProbe } from './probeRun';

const BIG = 'Big.csml';
const REFERRER = 'Flow0000.csml';
const LABEL = 'last:';

export async function run(): Promise<void> {
  await runProbe<ChecksProbeResult>({}, probe);
}

async function probe(result: ChecksProbeResult): Promise<void> {
  const expected = Number(process.env[CHECKS_ENV.expectedProblems]);
  const keystrokes = Number(process.env[CHECKS_ENV.keystrokes] ?? '50');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not in this extension host`);
  await ext.activate();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('no workspace folder');
  const big = vscode.Uri.joinPath(folder, 'flows', BIG);
  const referrer = vscode.Uri.joinPath(folder, 'flows', REFERRER);

  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  const heapUsed = () => {
    collect();
    collect();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  // The extension host's own longest turn while the extension does nothing, for comparison.
  const idle = watchLongestTurn();
  await sleep(2000);
  result.idleTurnMs = idle.stop();
  // What finding and reading the files costs alone, the same way, for comparison.
  const reading = performance.now();
  const found = await vscode.workspace.findFiles('**/*.csml');
  for (let first = 0; first < found.length; first += 64) {
    await Promise.all(found.slice(first, first + 64).map((uri) => vscode.workspace.fs.readFile(uri)));
  }
  result.findAndReadMs = performance.now() - reading;
  await sleep(500);
  result.heapBeforeMb = heapUsed();

  const published = () =>
    vscode.languages.getDiagnostics().reduce((n, [, found]) => n + found.filter((d) => d.source === 'CSML').length, 0);
  const firstProfiler = await startProfiler(process.env[ENV.cpuProfile]);
  const ticker = watchLongestTurn();
  const started = performance.now();
  const editor = await vscode.window.showTextDocument(big);
  // Counting every problem of the workspace copies them all (about 1 ms): every 25 ms, to stay out of the way.
  for (let count = published(); count < expected; count = published()) {
    if (performance.now() - started > 60_000) throw new Error(`${count} problems published after 60 s, ${expected} expected`);
    await sleep(25);
  }
  result.firstProblemsMs = performance.now() - started;
  result.longestTurnMs = ticker.stop();
  result.publishedProblems = published();
  await firstProfiler?.stop();
  await sleep(1000);
  result.heapAfterMb = heapUsed();

  // Typing an s after `last` makes the gotos of 100 flows to last@Big go to a step that is not there.
  const label = editor.document.getText().lastIndexOf(LABEL) + LABEL.length - 1;
  if (label < LABEL.length) throw new Error(`no ${LABEL} label in ${BIG}`);
  const missing = () => vscode.languages.getDiagnostics(referrer).some((d) => d.message.includes('"last" in flow Big'));
  result.keystrokeMs = [];
  const profiler = await startProfiler(process.env[ENV.cpuProfile] ? `${process.env[ENV.cpuProfile]}.keys` : undefined);
  for (let i = 0; i < keystrokes; i++) {
    const renamed = i % 2 === 0;
    let changedAt = 0;
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() === big.toString()) changedAt = performance.now();
    });
    const position = editor.document.positionAt(label);
    const edited = editor.edit((edit) =>
      renamed ? edit.insert(position, 's') : edit.delete(new vscode.Range(position, position.translate(0, 1))),
    );
    while (changedAt === 0 || missing() !== renamed) {
      if (changedAt > 0 && performance.now() - changedAt > 10_000) throw new Error(`keystroke ${i}: ${REFERRER}'s problems never followed`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    result.keystrokeMs.push(performance.now() - changedAt);
    listener.dispose();
    await edited;
    await sleep(20);
  }
  await profiler?.stop();
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
