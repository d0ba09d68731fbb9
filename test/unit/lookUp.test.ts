import * as assert from 'node:assert/strict';
import { FlowCatalog } from '../../src/conversations/flowCatalog';
import { createLookUp } from '../../src/conversations/lookUp';
import { StudioConnection } from '../../src/conversations/studioConnection';
import { sampleConversation, sampleFlowId } from '../emulator/fixtures';
import { StudioHarness } from '../support/studioHarness';

describe('look-up with flow names', () => {
  const harness = new StudioHarness();
  let connection: StudioConnection;
  before(async () => {
    await harness.start();
    connection = { client: harness.client(), cacheKey: `${harness.emulator.baseUrl}\nkey` };
  });
  after(() => harness.stop());
  beforeEach(() => harness.emulator.clearRequests());

  const flowRequests = () => harness.emulator.requests.filter((r) => r.path === '/bot/flows').length;

  it('names the flow of an open conversation, fetching the flows once for many look-ups', async () => {
    const lookUp = createLookUp(async () => connection, new FlowCatalog());
    const alice = await lookUp('alice');
    const bob = await lookUp('bob');
    assert.equal(alice.kind === 'open' && alice.flow?.name, 'Onboarding');
    assert.equal(bob.kind === 'open' && bob.flow?.name, 'OrderPizza');
    assert.equal(flowRequests(), 1);
  });

  it('resolves a flow_id that holds a name, in any case, as the engine does', async () => {
    const dave = await createLookUp(async () => connection, new FlowCatalog())('dave');
    assert.equal(dave.kind === 'open' && dave.flow?.id, sampleFlowId('OrderPizza'));
  });

  it('shares one flows request between concurrent look-ups', async () => {
    const lookUp = createLookUp(async () => connection, new FlowCatalog());
    await Promise.all([lookUp('alice'), lookUp('bob'), lookUp('dave')]);
    assert.equal(flowRequests(), 1);
  });

  it('keeps a separate cache per base URL and key', async () => {
    const catalog = new FlowCatalog();
    await catalog.find(connection, sampleFlowId('Default'));
    await catalog.find({ ...connection, cacheKey: 'another bot' }, sampleFlowId('Default'));
    assert.equal(flowRequests(), 2);
  });

  it('looks again for a flow it does not know once the cache is 30 s old, not before', async () => {
    let now = 0;
    const catalog = new FlowCatalog(() => now);
    assert.equal(await catalog.find(connection, 'brand-new-flow'), undefined);
    assert.equal(await catalog.find(connection, 'brand-new-flow'), undefined);
    assert.equal(flowRequests(), 1);
    now = 31_000;
    assert.equal(await catalog.find(connection, 'brand-new-flow'), undefined);
    assert.equal(flowRequests(), 2);
  });

  it('still shows the conversation when the flows cannot be fetched', async () => {
    harness.emulator.setConversation('erin', sampleConversation('erin', { flow_id: sampleFlowId('Default'), step_id: 'start' }));
    harness.emulator.fault({ path: '/bot/flows', status: 500, times: 1 });
    const erin = await createLookUp(async () => connection, new FlowCatalog())('erin');
    assert.equal(erin.kind, 'open');
    assert.equal(erin.kind === 'open' && erin.flow, undefined);
    assert.equal(erin.kind === 'open' && erin.flowError?.kind, 'server');
  });

  it('answers "none" without fetching flows', async () => {
    const carol = await createLookUp(async () => connection, new FlowCatalog())('carol');
    assert.deepEqual(carol, { kind: 'none' });
    assert.equal(flowRequests(), 0);
  });
});
