import * as assert from 'node:assert/strict';
import { planDeploy, stepName } from '../../src/roundtrip/deployPlan';
import { baseAfterSent, DeployOutcome, operationsFor, sendDeploy } from '../../src/roundtrip/deploySend';
import { contentHash, DeployedBase } from '../../src/roundtrip/downloadPlan';
import { StudioErrorKind } from '../../src/studio/errors';
import { sampleFlows } from '../emulator/fixtures';
import { harnessForSuite } from '../support/studioHarness';

const noWait = async () => undefined;

/** The base a folder has right after downloading the sample bot. */
function downloadedBase(): DeployedBase {
  return {
    botId: 'bot',
    flows: Object.fromEntries(sampleFlows().map((flow) => [flow.name, { id: flow.id, contentHash: contentHash(flow.content) }])),
  };
}

/** The sample flows as a folder holds them, each edited. */
function editedLocally(suffix = '// edited here\n') {
  return sampleFlows().map((flow) => ({ name: flow.name, content: `${flow.content}\n${suffix}`, commands: flow.commands }));
}

describe('Deploying, against the emulator', () => {
  const harness = harnessForSuite();
  afterEach(() => harness.emulator.setFlows(sampleFlows()));

  /** Plans against the Studio as it is, then sends every step, moving the base as each lands. */
  async function deploy(local: ReturnType<typeof editedLocally>, base: DeployedBase, deletions = new Set<string>()) {
    const client = harness.client();
    const steps = planDeploy(local, await client.getFlows(), base);
    let moved = base;
    const outcome = await sendDeploy(client, steps, operationsFor(steps, deletions), {
      sleep: noWait,
      onSent: (sent) => {
        moved = baseAfterSent(moved, base.botId, sent);
      },
    });
    return { steps, outcome, base: moved };
  }

  it('sends the flows changed here, creates the new ones, and leaves the Studio as the folder is', async () => {
    const local = [...editedLocally(), { name: 'Billing.Legacy', content: 'start:\n  goto end\n', commands: ['/bill'] }];
    const { outcome, base } = await deploy(local, downloadedBase());
    assert.deepEqual(outcome.notSent, []);
    assert.equal(outcome.failed, undefined);
    const now = await harness.client().getFlows();
    for (const flow of local) assert.equal(now.find((deployed) => deployed.name === flow.name)?.content, flow.content);
    assert.deepEqual(now.find((deployed) => deployed.name === 'Billing.Legacy')?.commands, ['/bill']);
    assert.equal(base.flows['Billing.Legacy']?.contentHash, contentHash('start:\n  goto end\n'));
    // Once deployed, the folder and the Studio agree: a second deploy has nothing to send.
    const again = planDeploy(local, now, base);
    assert.ok(again.every((step) => step.kind === 'unchanged'));
  });

  it('deletes a deployed flow only when it is ticked', async () => {
    const local = editedLocally().filter((flow) => flow.name !== 'Onboarding');
    const onboarding = sampleFlows().find((flow) => flow.name === 'Onboarding');
    assert.ok(onboarding);
    await deploy(local, downloadedBase());
    assert.ok(
      (await harness.client().getFlows()).some((flow) => flow.name === 'Onboarding'),
      'a flow was deleted without being ticked',
    );
    await deploy(local, downloadedBase(), new Set([onboarding.id]));
    assert.ok(!(await harness.client().getFlows()).some((flow) => flow.name === 'Onboarding'));
  });

  it("turns a colleague's edit between the plan and the send into a conflict: nothing is sent", async () => {
    const client = harness.client();
    const local = editedLocally();
    const steps = planDeploy(local, await client.getFlows(), downloadedBase());
    harness.emulator.editFlowAsColleague('OrderPizza', 'start:\n  say "a colleague was here"\n');
    const outcome = await sendDeploy(client, steps, operationsFor(steps, new Set()), { sleep: noWait });
    assert.deepEqual(outcome.changedSincePlan, ['OrderPizza']);
    assert.equal(outcome.sent.length, 0);
    assert.ok(!harness.emulator.requests.some((request) => request.method === 'PUT'), 'something was sent');
    assert.equal((await client.getFlows()).find((flow) => flow.name === 'OrderPizza')?.content, 'start:\n  say "a colleague was here"\n');
    const replanned = planDeploy(local, await client.getFlows(), downloadedBase());
    assert.equal(replanned.find((step) => stepName(step) === 'OrderPizza')?.kind, 'conflict');
  });

  it('deploys a flow of several MB', async () => {
    const big = `start:\n${'  say "a long flow"\n'.repeat(400_000)}`;
    const local = [{ name: 'Huge', content: big, commands: [] }];
    const { outcome } = await deploy(local, downloadedBase());
    assert.equal(outcome.sent.length, 1);
    assert.equal((await harness.client().getFlows()).find((flow) => flow.name === 'Huge')?.content, big);
  });

  it('waits as asked after a 429 with Retry-After, then goes on', async () => {
    harness.emulator.fault({ method: 'PUT', status: 429, retryAfter: 1, nth: 2 });
    const client = harness.client();
    const local = editedLocally();
    const steps = planDeploy(local, await client.getFlows(), downloadedBase());
    const waits: number[] = [];
    const outcome = await sendDeploy(client, steps, operationsFor(steps, new Set()), { sleep: async (ms) => void waits.push(ms) });
    assert.deepEqual(waits, [1000]);
    assert.equal(outcome.failed, undefined);
    assert.equal(outcome.sent.length, sampleFlows().length);
  });

  it('counts a request whose answer was lost but that landed as sent, and goes on', async () => {
    // The emulator applies the PUT, then cuts the connection before its answer is through.
    harness.emulator.fault({ method: 'PUT', afterAuth: true, reset: true, nth: 2 });
    const local = editedLocally();
    const { outcome, base } = await deploy(local, downloadedBase());
    assert.equal(outcome.failed, undefined, outcome.failed?.error.message);
    assert.equal(outcome.sent.length, sampleFlows().length);
    for (const flow of local) assert.equal(base.flows[flow.name]?.contentHash, contentHash(flow.content));
    const reads = harness.emulator.requests.filter((request) => request.method === 'GET' && request.path === '/bot/flows').length;
    assert.equal(reads, 3, 'the plan, the read before the send, and the check after the lost answer');
  });

  describe('bad worlds in the middle of a deploy: what landed is known, and the next deploy sends only the rest', () => {
    const cases: Array<[string, object, StudioErrorKind]> = [
      ['401', { status: 401 }, 'credentialsRejected'],
      ['403', { status: 403 }, 'credentialsRejected'],
      ['500', { status: 500 }, 'server'],
      ['a cut connection', { afterAuth: true, reset: true, json: { padding: 'x'.repeat(20_000) } }, 'network'],
      ['an answer of an unexpected shape', { afterAuth: true, status: 200, json: { unexpected: true } }, 'malformed'],
    ];
    for (const [what, fault, kind] of cases) {
      it(what, async () => {
        harness.emulator.fault({ method: 'PUT', nth: 2, ...fault });
        const local = editedLocally();
        const first = await deploy(local, downloadedBase());
        const outcome: DeployOutcome = first.outcome;
        assert.equal(outcome.failed?.error.kind, kind, outcome.failed?.error.message);
        assert.equal(outcome.sent.length, 1);
        assert.equal(outcome.notSent.length, sampleFlows().length - 2);
        const [landed] = outcome.sent;
        assert.equal(
          first.base.flows[landed.operation.name]?.contentHash,
          contentHash(local.find((flow) => flow.name === landed.operation.name)?.content ?? ''),
        );

        harness.emulator.clearRequests();
        const second = await deploy(local, first.base);
        const puts = harness.emulator.requests.filter((request) => request.method === 'PUT').length;
        // The flow that failed goes again (when the cut one landed after all, it is the same and is not); the one that landed does not.
        assert.ok(puts <= sampleFlows().length - 1, `${puts} flows sent again`);
        assert.equal(second.outcome.failed, undefined);
        const now = await harness.client().getFlows();
        for (const flow of local) assert.equal(now.find((deployed) => deployed.name === flow.name)?.content, flow.content);
      });
    }
  });
});
