import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { StudioError, StudioErrorKind } from '../../src/studio/errors';
import { RequestPacer } from '../../src/studio/requestPacer';
import { sampleBot, sampleFlowId } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { harnessForSuite, TEST_CREDENTIALS } from '../support/studioHarness';

async function failure(promise: Promise<unknown>, kind: StudioErrorKind, pattern?: RegExp): Promise<StudioError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StudioError, `not a StudioError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (pattern) assert.match(error.message, pattern);
    assert.ok(!error.message.includes(TEST_CREDENTIALS.apiSecret), 'the secret leaked into a message');
    assert.ok(!/sha256=/.test(error.message), 'a signature leaked into a message');
    return error;
  }
  assert.fail(`expected a ${kind} failure`);
}

describe('StudioClient against the emulator', () => {
  const harness = harnessForSuite();

  describe('answers', () => {
    it('signs every request freshly and reads the bot', async () => {
      const bot = await harness.client().getBot();
      assert.equal(bot.name, sampleBot().name);
      const [request] = harness.emulator.requests;
      assert.match(String(request.headers['x-api-key']), /^test-key-PLAINKEY\|\d{10}$/);
      assert.match(String(request.headers['x-api-signature']), /^sha256=[0-9a-f]{64}$/);
    });

    it('finds an open conversation in the documented shape', async () => {
      const answer = await harness.client().openConversation('alice');
      assert.ok(answer.hasOpen);
      assert.equal(answer.conversation.flowId, sampleFlowId('Onboarding'));
      assert.equal(answer.conversation.stepId, 'ask_name');
      assert.equal(answer.conversation.client?.userId, 'alice');
    });

    it('says when a user has no open conversation, whatever shape the server uses', async () => {
      assert.deepEqual(await harness.client().openConversation('carol'), { hasOpen: false });
      assert.deepEqual(await harness.client().openConversation('nobody-at-all'), { hasOpen: false });
      for (const json of [{ has_open: false }, { has_open: false, conversation: {} }]) {
        harness.emulator.fault({ json, times: 1 });
        assert.deepEqual(await harness.client().openConversation('carol'), { hasOpen: false });
      }
    });

    it('sends the user id in the JSON body exactly as typed', async () => {
      const ids = [' spaced ', '\u202Eevil', '😀', '../../etc/passwd', 'https://x.example/?a=b&c', '{"user_id":"other"}', 'x'.repeat(256)];
      for (const id of ids) {
        await harness.client().openConversation(id);
        const last = harness.emulator.requests.at(-1);
        assert.equal(last?.path, '/conversations/open');
        assert.deepEqual(JSON.parse(last?.body ?? ''), { user_id: id });
      }
    });

    it('reads all flows, with their content', async () => {
      const flows = await harness.client().getFlows();
      assert.ok(
        flows.some(
          (flow) => flow.name === 'Onboarding' && flow.id === sampleFlowId('Onboarding') && (flow.content ?? '').includes('ask_name'),
        ),
      );
    });

    it('logs method, path, status and time, never a header', async () => {
      harness.records.length = 0;
      await harness.client().openConversation('alice');
      assert.equal(harness.records.length, 1);
      const [record] = harness.records;
      assert.equal(record.method, 'POST');
      assert.equal(record.path, '/v1/api/conversations/open');
      assert.equal(record.status, 200);
      assert.ok(record.ms >= 0);
      assert.ok(!JSON.stringify(record).includes('test-key-PLAINKEY'));
    });
  });

  describe('chat, the public endpoint', () => {
    it('sends a text as the user with the bare key and no signature, and reads the replies', async () => {
      const answer = await harness.client().chat('chatty', { content_type: 'text', content: { text: 'Hello bot' } });
      const request = harness.emulator.requests.at(-1);
      assert.equal(request?.path, '/chat');
      assert.equal(request?.headers['x-api-key'], TEST_CREDENTIALS.apiKey);
      assert.equal(request?.headers['x-api-signature'], undefined);
      assert.deepEqual(JSON.parse(request?.body ?? ''), {
        client: { user_id: 'chatty' },
        metadata: {},
        payload: { content_type: 'text', content: { text: 'Hello bot' } },
      });
      assert.deepEqual(
        answer.messages.map((m) => m.contentType),
        ['typing', 'text', 'debug', 'question'],
      );
      assert.deepEqual(answer.messages[1].content, { text: 'You said: Hello bot' });
      assert.equal(answer.conversationEnd, false);
    });

    it('starts a flow with a flow_trigger', async () => {
      await harness
        .client()
        .chat('alice', { content_type: 'flow_trigger', content: { flow_id: sampleFlowId('OrderPizza'), close_flows: true } });
      const answer = await harness.client().openConversation('alice');
      assert.ok(answer.hasOpen);
      assert.equal(answer.conversation.flowId, sampleFlowId('OrderPizza'));
      assert.equal(answer.conversation.stepId, 'start');
    });
  });

  describe('credentials', () => {
    it('reports rejected credentials with the clock hint', async () => {
      const client = harness.client({ credentials: { apiKey: TEST_CREDENTIALS.apiKey, apiSecret: 'wrong' } });
      const error = await failure(
        client.openConversation('alice'),
        'credentialsRejected',
        /rejected the API key or secret \(HTTP 401\).*clock/,
      );
      assert.equal(error.details.status, 401);
    });

    it('says by how much the clock is off when the server clock disagrees', async () => {
      const client = harness.client({ now: () => Date.now() - 10 * 60 * 1000 });
      await failure(client.openConversation('alice'), 'credentialsRejected', /clock is 10 min behind/);
    });

    it('treats 403 as rejected credentials too', async () => {
      harness.emulator.fault({ status: 403, json: { error: 'forbidden' }, times: 1 });
      await failure(harness.client().getBot(), 'credentialsRejected', /HTTP 403/);
    });
  });

  describe('bad answers', () => {
    const cases: [string, { body?: string; json?: unknown; headers?: Record<string, string> }, RegExp][] = [
      ['invalid JSON', { body: '{"has_open": tr' }, /not valid JSON/],
      ['an empty body', { body: '' }, /was empty/],
      ['HTML', { body: '<!doctype html><title>Login</title>', headers: { 'content-type': 'text/html' } }, /an HTML page/],
      ['a JSON array', { json: [] }, /an array, not an object/],
      ['null', { body: 'null' }, /null, not an object/],
      ['has_open missing', { json: { conversation: null } }, /has_open is missing/],
      ['has_open as a string', { json: { has_open: 'yes' } }, /has_open is a string/],
      ['has_open true without conversation', { json: { has_open: true } }, /conversation is missing/],
      ['conversation as a string', { json: { has_open: true, conversation: 'x' } }, /conversation is a string/],
      ['flow_id of a wrong type', { json: { has_open: true, conversation: { flow_id: 1, step_id: 's' } } }, /flow_id is a number/],
      ['step_id of a wrong type', { json: { has_open: true, conversation: { flow_id: 'f', step_id: {} } } }, /step_id is an object/],
      [
        'status of a wrong type',
        { json: { has_open: true, conversation: { flow_id: 'f', step_id: 's', status: 1 } } },
        /status is a number/,
      ],
    ];
    for (const [name, fault, pattern] of cases) {
      it(`a 200 with ${name} is a clear malformed-answer error, and the next request works`, async () => {
        harness.emulator.fault({ status: 200, ...fault, times: 1 });
        await failure(harness.client().openConversation('alice'), 'malformed', pattern);
        assert.ok((await harness.client().openConversation('alice')).hasOpen);
      });
    }

    it('refuses a flows answer over 32 MB, which is more than any bot has', async function () {
      this.timeout(10_000);
      harness.emulator.fault({ path: '/bot/flows', status: 200, body: `[${'"x",'.repeat(8.5 * 1024 * 1024)}"x"]`, times: 1 });
      await failure(harness.client({ timeoutMs: 10_000 }).getFlows(), 'tooLarge', /larger than 32 MB/);
    });

    it('refuses a conversation answer over 1 MB', async () => {
      harness.emulator.fault({ status: 200, body: `{"has_open":false,"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`, times: 1 });
      await failure(harness.client().openConversation('alice'), 'tooLarge', /larger than 1 MB/);
    });
  });

  describe('error statuses', () => {
    const cases: [number, StudioErrorKind, RegExp][] = [
      [400, 'badRequest', /refused POST \/conversations\/open \(HTTP 400\)/],
      [404, 'notFound', /HTTP 404.*\/v1\/api/],
      [405, 'badRequest', /HTTP 405/],
      [409, 'badRequest', /HTTP 409/],
      [413, 'badRequest', /too large \(HTTP 413\)/],
      [500, 'server', /HTTP 500.*try again/],
      [502, 'server', /HTTP 502/],
      [503, 'rateLimited', /HTTP 503/],
      [504, 'server', /HTTP 504/],
    ];
    for (const [status, kind, pattern] of cases) {
      for (const [bodyName, body] of [
        ['JSON', '{"error":"nope"}'],
        ['HTML', '<html><body>Bad Gateway</body></html>'],
        ['empty', ''],
      ] as const) {
        it(`${status} with a ${bodyName} body`, async () => {
          harness.emulator.fault({
            status,
            body,
            headers: { 'content-type': bodyName === 'HTML' ? 'text/html' : 'application/json' },
            times: 1,
          });
          const error = await failure(harness.client().openConversation('alice'), kind, pattern);
          assert.equal(error.details.status, status);
          assert.ok((await harness.client().openConversation('alice')).hasOpen);
        });
      }
    }

    it('429 with Retry-After in seconds, as an HTTP date, and absent', async () => {
      harness.emulator.fault({ status: 429, headers: { 'retry-after': '17' }, times: 1 });
      let error = await failure(harness.client().openConversation('alice'), 'rateLimited', /wait 17 s/);
      assert.equal(error.details.retryAfterSeconds, 17);
      const now = Date.parse('2026-01-01T00:00:00Z');
      harness.emulator.fault({ status: 429, headers: { 'retry-after': new Date(now + 90_000).toUTCString() }, times: 1 });
      error = await failure(harness.client({ now: () => now }).getFlows(), 'rateLimited');
      assert.equal(error.details.retryAfterSeconds, 90);
      harness.emulator.fault({ status: 429, times: 1 });
      error = await failure(harness.client().openConversation('alice'), 'rateLimited', /slow down/);
      assert.equal(error.details.retryAfterSeconds, undefined);
    });

    it('shows what a server said, with anything secret taken out', async () => {
      harness.emulator.fault({
        status: 400,
        json: { message: `bad signature for test-key-PLAINKEY using ${TEST_CREDENTIALS.apiSecret}` },
        times: 1,
      });
      const error = await failure(harness.client().openConversation('alice'), 'badRequest', /\[redacted\]/);
      assert.ok(!error.message.includes('PLAINKEY'));
    });
  });

  describe('redirects', () => {
    const elsewhere = new StudioEmulator({ apiKey: TEST_CREDENTIALS.apiKey, apiSecret: TEST_CREDENTIALS.apiSecret });
    before(() => elsewhere.start());
    after(() => elsewhere.stop());

    for (const status of [301, 307]) {
      it(`does not follow a ${status} to another origin with credentials`, async () => {
        harness.emulator.fault({ status, redirectTo: `${elsewhere.baseUrl}/conversations/open`, times: 1 });
        await failure(
          harness.client().openConversation('alice'),
          'redirect',
          new RegExp(`redirected POST /conversations/open to ${elsewhere.origin.replace(/[.]/g, '\\.')}`),
        );
        assert.equal(elsewhere.requests.length, 0);
      });
    }

    it('follows a redirect on the same origin, signing again', async () => {
      harness.emulator.fault({
        path: '/conversations/open',
        status: 307,
        redirectTo: `${harness.emulator.baseUrl}/conversations/open?moved=1`,
        times: 1,
      });
      const answer = await harness.client().openConversation('alice');
      assert.ok(answer.hasOpen);
      const [first, second] = harness.emulator.requests;
      assert.equal(second.url, '/v1/api/conversations/open?moved=1');
      assert.match(String(second.headers['x-api-signature']), /^sha256=[0-9a-f]{64}$/);
      assert.deepEqual(JSON.parse(second.body), JSON.parse(first.body));
    });
  });

  describe('pacing', () => {
    /** Notes when each request was let go: the moment the pacer answers for. */
    class RecordingPacer extends RequestPacer {
      readonly grants: number[] = [];
      override async take(signal?: AbortSignal): Promise<void> {
        await super.take(signal);
        this.grants.push(performance.now());
      }
    }

    /** The fewest milliseconds in which `limit + 1` of `times` fall: at least 1,000 when no second holds more than `limit`. */
    function tightestWindow(times: readonly number[], limit: number): number {
      const sorted = [...times].sort((a, b) => a - b);
      let tightest = Infinity;
      for (let i = limit; i < sorted.length; i++) tightest = Math.min(tightest, sorted[i] - sorted[i - limit]);
      return tightest;
    }

    it('lets no more than 25 requests go in any 1,000 ms, and answers them all', async function () {
      this.timeout(10_000);
      const pacer = new RecordingPacer();
      const client = harness.client({ pacer });
      const bots = await Promise.all(Array.from({ length: 60 }, () => client.getBot()));
      assert.equal(bots.length, 60);
      assert.equal(pacer.grants.length, 60);
      assert.ok(tightestWindow(pacer.grants, 25) >= 1000, `26 requests went within ${tightestWindow(pacer.grants, 25)} ms`);
      const arrivals = harness.emulator.requests.map((request) => request.receivedAt);
      assert.equal(arrivals.length, 60);
      assert.ok(Math.max(...arrivals) - Math.min(...arrivals) >= 2000, 'the Studio saw the burst in less than two seconds');
      // The transport holds part of each burst back for one of its 8 sockets, so the Studio may see a burst a little
      // tighter than the pacer let it go: the margin below its 50 per second absorbs that.
      assert.ok(tightestWindow(arrivals, 50) > 1000, `51 requests arrived within ${tightestWindow(arrivals, 50)} ms`);
    });

    it('paces each redirect hop, and the public chat endpoint too', async () => {
      const pacer = new RecordingPacer();
      harness.emulator.fault({ path: '/bot', status: 307, redirectTo: `${harness.emulator.baseUrl}/bot?moved=1`, times: 1 });
      const client = harness.client({ pacer });
      await client.getBot();
      assert.equal(pacer.grants.length, 2);
      await client.chat('chatty', { content_type: 'text', content: { text: 'Hi' } });
      assert.equal(pacer.grants.length, 3);
      assert.equal(harness.emulator.requests.length, 3);
    });

    it('reports a request cancelled while it waits for its turn, and sends nothing', async () => {
      const client = harness.client({ pacer: new RequestPacer({ perSecond: 1 }) });
      await client.getBot();
      const controller = new AbortController();
      const pending = client.openConversation('alice', controller.signal);
      setTimeout(() => controller.abort(), 50);
      await failure(pending, 'cancelled', /^POST \/conversations\/open was cancelled\.$/);
      assert.equal(harness.emulator.requests.length, 1);
    });

    it('sends nothing when cancelled just as its turn came', async () => {
      const controller = new AbortController();
      const pacer = new RequestPacer();
      pacer.take = (signal) => RequestPacer.prototype.take.call(pacer, signal).then(() => controller.abort());
      await failure(harness.client({ pacer }).getBot(controller.signal), 'cancelled', /^GET \/bot was cancelled\.$/);
      assert.equal(harness.emulator.requests.length, 0);
    });

    it('does not count the wait for its turn against the timeout', async function () {
      this.timeout(5000);
      const client = harness.client({ pacer: new RequestPacer({ perSecond: 1 }), timeoutMs: 300 });
      await client.getBot();
      const started = performance.now();
      assert.ok((await client.openConversation('alice')).hasOpen);
      assert.ok(performance.now() - started >= 600, 'the second request did not wait for its turn');
    });
  });

  describe('networks that misbehave', () => {
    it('times out a server that never answers', async () => {
      harness.emulator.fault({ hang: true, times: 1 });
      await failure(harness.client({ timeoutMs: 300 }).openConversation('alice'), 'timeout', /within 0.3 s.*requestTimeoutSeconds/);
      assert.ok((await harness.client().openConversation('alice')).hasOpen);
    });

    it('times out a body that trickles in too slowly', async () => {
      harness.emulator.fault({ status: 200, json: { has_open: false }, trickle: { chunks: 10, intervalMs: 100 }, times: 1 });
      await failure(harness.client({ timeoutMs: 300 }).openConversation('alice'), 'timeout');
    });

    it('reports a connection cut mid-body', async () => {
      harness.emulator.fault({ status: 200, json: { has_open: false, padding: 'x'.repeat(5000) }, reset: true, times: 1 });
      await failure(harness.client().openConversation('alice'), 'network', /cut off|Could not reach/);
      assert.ok((await harness.client().openConversation('alice')).hasOpen);
    });

    it('reports a refused connection', async () => {
      const port = await freePort();
      await failure(harness.client({ baseUrl: `http://127.0.0.1:${port}/v1/api` }).getBot(), 'network', /refused the connection/);
    });

    it('reports a host that does not exist', async function () {
      this.timeout(15_000);
      await failure(
        harness.client({ baseUrl: 'https://studio.invalid/v1/api', timeoutMs: 10_000 }).getBot(),
        'network',
        /DNS lookup failed|Could not reach/,
      );
    });

    it('stops when cancelled', async () => {
      harness.emulator.fault({ hang: true, times: 1 });
      const controller = new AbortController();
      const pending = harness.client().openConversation('alice', controller.signal);
      setTimeout(() => controller.abort(), 50);
      await failure(pending, 'cancelled');
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
