import * as assert from 'node:assert/strict';
import { FlowCatalog } from '../../src/conversations/flowCatalog';
import { StudioConnection } from '../../src/conversations/studioConnection';
import { sampleFlowId, sampleFlows } from '../emulator/fixtures';
import { StudioFlow } from '../emulator/studioEmulator';
import { StudioHarness } from '../support/studioHarness';

/** The sample flows and one deployed later. */
function withPromo(): StudioFlow[] {
  const [first] = sampleFlows();
  return [...sampleFlows(), { ...first, id: 'new-id', name: 'Promo', content: 'start:\n  say "hi"\n' }];
}

describe('FlowCatalog', () => {
  const harness = new StudioHarness();
  let connection: StudioConnection;
  let now: number;
  const flowRequests = () => harness.emulator.requests.filter((request) => request.path === '/bot/flows').length;

  before(() => harness.start());
  after(() => harness.stop());
  beforeEach(() => {
    harness.emulator.setFlows(sampleFlows());
    harness.emulator.clearRequests();
    connection = { client: harness.client(), cacheKey: 'one connection' };
    now = 0;
  });

  it('reads the flows once per connection to name every conversation’s flow', async () => {
    const catalog = new FlowCatalog(() => now);
    const [a, b] = await Promise.all([catalog.find(connection, sampleFlowId('Default')), catalog.find(connection, 'onboarding')]);
    assert.equal(a?.name, 'Default');
    assert.equal(b?.name, 'Onboarding');
    await catalog.find(connection, sampleFlowId('OrderPizza'));
    assert.equal(flowRequests(), 1);
    await catalog.find({ ...connection, cacheKey: 'another connection' }, 'Default');
    assert.equal(flowRequests(), 2);
  });

  it('asks again for a flow it does not know at most once every 30 s', async () => {
    const catalog = new FlowCatalog(() => now);
    await catalog.find(connection, 'Default');
    harness.emulator.setFlows(withPromo());
    now = 29_000;
    assert.equal(await catalog.find(connection, 'Promo'), undefined);
    assert.equal(flowRequests(), 1);
    now = 31_000;
    assert.equal((await catalog.find(connection, 'Promo'))?.id, 'new-id');
    assert.equal(flowRequests(), 2);
  });

  it('reads afresh when asked, and keeps the fresh list for look-ups', async () => {
    const catalog = new FlowCatalog(() => now);
    await catalog.all(connection);
    harness.emulator.setFlows(withPromo());
    const fresh = await catalog.fresh(connection);
    assert.ok(fresh.some((flow) => flow.name === 'Promo'));
    assert.equal((await catalog.find(connection, 'Promo'))?.id, 'new-id');
    assert.equal(flowRequests(), 2);
  });

  it('keeps flows read elsewhere for look-ups, and a fetch under way still ends', async () => {
    const catalog = new FlowCatalog(() => now);
    const fetching = catalog.all(connection);
    catalog.keep(connection, withPromo());
    assert.equal((await catalog.find(connection, 'Promo'))?.id, 'new-id');
    await fetching;
    harness.emulator.setFlows(withPromo().filter((flow) => flow.name !== 'Default'));
    const fresh = await catalog.fresh(connection);
    assert.ok(!fresh.some((flow) => flow.name === 'Default'), 'a fetch after the one under way read the flows again');
    assert.equal(flowRequests(), 2);
  });
});
