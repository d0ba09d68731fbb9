/**
 * `npm run bench`: the performance report. Prints one BENCH line per metric (and `# ` lines saying how
 * each was measured), writes the same figures to bench/results.json, and exits 0 even when a target is
 * missed; it exits 1 only when a group could not be measured.
 *
 *   node out/bench/run.js [group ...]
 *     groups: polling steps flows language checks checks-host deploy chat-tests flow-map lookup events bundle host (the default set), and host-dev: the activation
 *     measured with the development build in dist/ instead of the production bundle.
 */
import * as path from 'node:path';
import { repoRoot } from '../test/host/codeServer';
import { runChecksInHost } from './checksInHost';
import { runCsmlChecks } from './csmlChecks';
import { runCsmlLanguage } from './csmlLanguage';
import { runChatTests } from './chatTests';
import { runDeploy } from './deploy';
import { runFlowMap } from './flowMap';
import { runFlowResolution } from './flowResolution';
import { runLookupOverhead } from './lookupOverhead';
import { runPolling } from './polling';
import { machineInfo, Report } from './report';
import { runActivationEvents, runBundleSize, runHostActivation } from './startup';
import { runStepScan } from './stepScan';

const GROUPS: Record<string, (report: Report) => void | Promise<void>> = {
  polling: runPolling,
  steps: runStepScan,
  flows: runFlowResolution,
  lookup: runLookupOverhead,
  language: runCsmlLanguage,
  checks: runCsmlChecks,
  'checks-host': runChecksInHost,
  deploy: runDeploy,
  'chat-tests': runChatTests,
  'flow-map': runFlowMap,
  events: runActivationEvents,
  bundle: runBundleSize,
  host: (report) => runHostActivation(report, 'production'),
  'host-dev': (report) => runHostActivation(report, 'development'),
};
const DEFAULT_GROUPS = [
  'polling',
  'steps',
  'flows',
  'language',
  'checks',
  'checks-host',
  'deploy',
  'chat-tests',
  'flow-map',
  'lookup',
  'events',
  'bundle',
  'host',
];

// A reader that stops early (`| head`) must not turn the report into a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in GROUPS));
  if (unknown.length) {
    process.stderr.write(`unknown group(s) ${unknown.join(', ')}; known: ${Object.keys(GROUPS).join(' ')}\n`);
    return 2;
  }
  const selected = asked.length ? asked : DEFAULT_GROUPS;
  const report = new Report();
  const machine = machineInfo();
  report.note(
    'machine',
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}, ${machine.date}, load average ${machine.loadAverage.join(' ')}`,
  );
  for (const name of selected) {
    const started = performance.now();
    try {
      await GROUPS[name](report);
    } catch (error) {
      report.fail(name, error);
    }
    process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const file = path.join(repoRoot(), 'bench', 'results.json');
  report.write(file);
  const targets = report.metrics.filter((m) => m.kind === 'target');
  const missed = targets.filter((m) => !m.ok).map((m) => m.name);
  const infos = report.metrics.length - targets.length;
  report.note(
    'summary',
    `load average now ${machineInfo().loadAverage.join(' ')}; ${targets.length} metrics with a target (${infos} more for information), ${missed.length} missed${missed.length ? ` (${missed.join(', ')})` : ''}, ${report.failures.length} group(s) broken; results in ${path.relative(process.cwd(), file) || file}`,
  );
  return report.failures.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Anything left open (a socket, a child) must not keep the report from ending.
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
