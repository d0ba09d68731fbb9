/**
 * Deploying 200 changed flows to the emulator, whose every answer takes 20 ms: from the plan's confirmation (the
 * deployed flows read once more, then one request per flow) to the last answer, through the pacer every request
 * of a key shares. The emulator counts the requests it sees in any one second.
 */
import { performance } from 'node:perf_hooks';
import { planDeploy } from '../src/roundtrip/deployPlan';
import { baseAfterSent, operationsFor, sendDeploy } from '../src/roundtrip/deploySend';
import { contentHash, DeployedBase } from '../src/roundtrip/downloadPlan';
import { sampleFlows } from '../test/emulator/fixtures';
import { StudioFlow } from '../test/emulator/studioEmulator';
import { withPacedStudio } from './pacedStudio';
import { atMost, Report } from './report';

const GROUP = 'deploy';
const FLOWS = 200;
const LATENCY_MS = 20;

export async function runDeploy(report: Report): Promise<void> {
  const [template] = sampleFlows();
  const flows: StudioFlow[] = Array.from({ length: FLOWS }, (_, i) => ({
    ...template,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Flow${String(i).padStart(3, '0')}`,
    content: `start:\n  say "flow ${i}"\n  goto end\n`,
  }));
  await withPacedStudio(flows, LATENCY_MS, async (emulator, client) => {
    const base: DeployedBase = {
      botId: 'bench',
      flows: Object.fromEntries(flows.map((flow) => [flow.name, { id: flow.id, contentHash: contentHash(flow.content) }])),
    };
    const local = flows.map((flow) => ({ name: flow.name, content: `${flow.content}// changed\n`, commands: flow.commands }));
    const steps = planDeploy(local, await client.getFlows(), base);
    const operations = operationsFor(steps, new Set());
    emulator.clearRequests();
    const started = performance.now();
    // As the extension does: each flow that lands moves the base, which is written whole to its storage.
    let kept = base;
    let written = 0;
    const outcome = await sendDeploy(client, steps, operations, {
      onSent: (sent) => {
        kept = baseAfterSent(kept, base.botId, sent);
        written += JSON.stringify(kept).length;
      },
    });
    const ms = performance.now() - started;
    if (outcome.sent.length !== FLOWS)
      throw new Error(`${outcome.sent.length} of ${FLOWS} flows deployed: ${outcome.failed?.error.message ?? ''}`);
    report.metric(GROUP, 'deploy_200_flows_ms', Math.round(ms), 'ms', atMost(9000));
    report.info(GROUP, 'deploy_base_written_kb', Math.round(written / 1024), 'KB');
    report.metric(GROUP, 'deploy_max_requests_per_second', emulator.maxRequestsPerSecond(), 'requests', atMost(25));
    report.note(
      GROUP,
      `${FLOWS} changed flows, emulator latency ${LATENCY_MS} ms, one request pacer: from the plan's confirmation (one GET /bot/flows, then a PUT per flow) to the last answer; the most requests the emulator saw in any 1,000 ms.`,
    );
  });
}
