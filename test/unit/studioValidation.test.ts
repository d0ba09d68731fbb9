import * as assert from 'node:assert/strict';
import { validateWithStudio } from '../../src/roundtrip/botValidation';
import { StudioError, StudioErrorKind } from '../../src/studio/errors';
import { placeholderId } from '../../src/roundtrip/validationRequest';
import { sampleFlowId, sampleFlows } from '../emulator/fixtures';
import { harnessForSuite, TEST_CREDENTIALS } from '../support/studioHarness';

const noWait = async () => undefined;

function localSample() {
  return sampleFlows().map((flow) => ({ name: flow.name, content: flow.content }));
}

async function failureKind(promise: Promise<unknown>): Promise<StudioErrorKind> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StudioError, String(error));
    assert.ok(!error.message.includes(TEST_CREDENTIALS.apiSecret));
    return error.kind;
  }
  assert.fail('expected a failure');
}

describe('Validation with the Studio, against the emulator', () => {
  const harness = harnessForSuite();

  it('finds the local sample bot valid, in one validation request', async () => {
    const outcome = await validateWithStudio(harness.client(), localSample(), { sleep: noWait });
    assert.equal(outcome.valid, true);
    assert.equal(outcome.flowsSent, sampleFlows().length);
    assert.deepEqual(
      harness.emulator.requests.map((request) => `${request.method} ${request.path}`),
      ['GET /bot', 'POST /bot/validate'],
      'every flow has a local file, so no deployed content is needed',
    );
  });

  it('sends the local contents and places the errors on the local flows', async () => {
    const local = localSample().map((flow) => (flow.name === 'Onboarding' ? { ...flow, content: 'begin:\n  say "no start"\n' } : flow));
    local.push({ name: 'Billing.Legacy', content: 'start:\n  if (true) {\n    say "open"\n' });
    const outcome = await validateWithStudio(harness.client(), local, { sleep: noWait });
    assert.equal(outcome.valid, false);
    assert.deepEqual(
      outcome.places.byFlow.get('Onboarding')?.map((error) => [error.line, error.message]),
      [[0, 'The flow has no start step']],
    );
    const billing = outcome.places.byFlow.get('Billing.Legacy');
    assert.deepEqual(
      billing?.map((error) => [error.line, error.column, error.step]),
      [[1, 12, 'start']],
    );
    const sent = JSON.parse(harness.emulator.requests.at(-1)?.body ?? '{}') as { flows: Array<{ id: string; name: string }> };
    assert.ok(sent.flows.some((flow) => flow.name === 'Billing.Legacy' && flow.id === placeholderId('Billing.Legacy')));
    assert.ok(sent.flows.some((flow) => flow.name === 'Onboarding' && flow.id === sampleFlowId('Onboarding')));
  });

  it('reports an error of a flow that has no local file apart', async () => {
    const local = localSample().filter((flow) => flow.name !== 'Default');
    harness.emulator.setFlows(sampleFlows().map((flow) => (flow.name === 'Default' ? { ...flow, content: 'hello:\n  goto end' } : flow)));
    try {
      const outcome = await validateWithStudio(harness.client(), local, { sleep: noWait });
      assert.equal(outcome.valid, false);
      assert.equal(outcome.places.byFlow.size, 0);
      assert.deepEqual(
        outcome.places.elsewhere.map((error) => error.flow),
        ['Default'],
      );
    } finally {
      harness.emulator.setFlows(sampleFlows());
    }
  });

  it('places an answer that names the flow by id, in the engine spelling', async () => {
    harness.emulator.fault({
      path: '/bot/validate',
      afterAuth: true,
      json: {
        valid: false,
        errors: [
          {
            flow: sampleFlowId('OrderPizza'),
            start_line: 2,
            start_column: 3,
            end_line: 2,
            end_column: 7,
            message: 'at line 2,\n  x\n  ^\nbad',
          },
        ],
      },
    });
    const outcome = await validateWithStudio(harness.client(), localSample(), { sleep: noWait });
    assert.deepEqual(outcome.places.byFlow.get('OrderPizza'), [
      { line: 1, column: 2, endLine: 1, endColumn: 6, step: undefined, message: 'bad' },
    ]);
  });

  it('validates a bot with a flow of several MB', async () => {
    const big = `start:\n${'  say "a line of a long flow {{x}}"\n'.repeat(180_000)}  goto end\n`;
    assert.ok(big.length > 6_000_000);
    const outcome = await validateWithStudio(harness.client(), [...localSample(), { name: 'Huge', content: big }], { sleep: noWait });
    assert.equal(outcome.valid, true);
  });

  describe('bad worlds', () => {
    for (const [status, kind] of [
      [401, 'credentialsRejected'],
      [403, 'credentialsRejected'],
      [500, 'server'],
    ] as const) {
      it(`says what HTTP ${status} means and sends nothing more`, async () => {
        harness.emulator.fault({ path: '/bot/validate', status });
        assert.equal(await failureKind(validateWithStudio(harness.client(), localSample(), { sleep: noWait })), kind);
      });
    }

    it('waits as asked after a 429 with Retry-After, then validates', async () => {
      harness.emulator.fault({ path: '/bot/validate', status: 429, retryAfter: 3, times: 1 });
      const waits: number[] = [];
      const outcome = await validateWithStudio(harness.client(), localSample(), {
        sleep: async (ms) => void waits.push(ms),
        onWait: () => undefined,
      });
      assert.equal(outcome.valid, true);
      assert.deepEqual(waits, [3000]);
      assert.equal(harness.emulator.requests.filter((request) => request.path === '/bot/validate').length, 2);
    });

    it('gives up on a connection cut in the middle of the answer', async () => {
      harness.emulator.fault({ path: '/bot/validate', afterAuth: true, reset: true, json: { valid: true, padding: 'x'.repeat(10_000) } });
      assert.equal(await failureKind(validateWithStudio(harness.client(), localSample(), { sleep: noWait })), 'network');
    });

    it('refuses an answer of an unexpected shape', async () => {
      harness.emulator.fault({ path: '/bot/validate', afterAuth: true, json: { ok: true } });
      assert.equal(await failureKind(validateWithStudio(harness.client(), localSample(), { sleep: noWait })), 'malformed');
      harness.emulator.fault({ path: '/bot', afterAuth: true, json: { name: 'Pizza', flows: [{ id: 1 }] }, times: 1 });
      assert.equal(await failureKind(validateWithStudio(harness.client(), localSample(), { sleep: noWait })), 'malformed');
    });

    it('sends nothing for validation when the Studio bot is not the local one', async () => {
      const checked = validateWithStudio(harness.client(), localSample(), {
        sleep: noWait,
        checkBot: (bot) => {
          throw new StudioError('badRequest', `not ${bot.name}`);
        },
      });
      assert.equal(await failureKind(checked), 'badRequest');
      assert.ok(!harness.emulator.requests.some((request) => request.path === '/bot/validate'));
    });
  });
});
