import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { StudioEmulator, type StudioConversation } from '../emulator/studioEmulator';
import {
  SAMPLE_BOT_ID,
  SAMPLE_CHANNEL_ID,
  SAMPLE_FLOW_IDS,
  sampleBot,
  sampleConversation,
  sampleEmulatorOptions,
  sampleFlows,
} from '../emulator/fixtures';

// The emulator is checked against the spec with its own signing code, independent of the extension's client.
const KEY = 'test-key';
const SECRET = 'test-secret';
const NOW_SECONDS = 1_750_000_000;

function signedHeaders(key: string, secret: string, unixSeconds: number): Record<string, string> {
  const apiKey = `${key}|${unixSeconds}`;
  const signature = 'sha256=' + createHmac('sha256', secret).update(apiKey, 'utf8').digest('hex');
  return { 'X-Api-Key': apiKey, 'X-Api-Signature': signature };
}

function signed(unixSeconds = NOW_SECONDS): Record<string, string> {
  return signedHeaders(KEY, SECRET, unixSeconds);
}

function postJson(body: unknown, headers: Record<string, string> = signed()): RequestInit {
  return {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function chatBody(userId: string, payload: unknown): unknown {
  return { client: { user_id: userId }, metadata: { source: 'test' }, request_id: 'req-1', payload };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

function elapsedSince(start: number): number {
  return Date.now() - start;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('StudioEmulator', () => {
  let emulator: StudioEmulator;
  const url = (path: string): string => emulator.baseUrl + path;
  const openConversation = (userId: string, headers = signed()): Promise<Response> =>
    fetch(url('/conversations/open'), postJson({ user_id: userId }, headers));

  before(async () => {
    emulator = new StudioEmulator({
      apiKey: KEY,
      apiSecret: SECRET,
      ...sampleEmulatorOptions(),
      now: () => NOW_SECONDS * 1000,
    });
    await emulator.start();
  });

  after(() => emulator.stop());

  afterEach(() => {
    emulator.clearFaults();
    emulator.clearRequests();
  });

  it('listens on loopback and exposes its base URL', () => {
    assert.match(emulator.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emulator.baseUrl, emulator.origin + '/v1/api');
  });

  describe('known-answer signing vectors', () => {
    const vectors = [
      {
        key: 'my-api-key',
        secret: 'my-api-secret',
        time: 1700000000,
        apiKey: 'my-api-key|1700000000',
        signature: 'sha256=4b5131500882a595d35ce71a7ea886826e822a8ec2836f0af6c464d84e01b282',
      },
      {
        key: 'demo-key',
        secret: 'ünïcødé-sécret',
        time: 1767225600,
        apiKey: 'demo-key|1767225600',
        signature: 'sha256=750455f03d584503c266bd943d01b154df9df9b207cfb2bd4907df9250b90be0',
      },
    ];
    for (const vector of vectors) {
      it(`accepts exactly the documented headers for ${vector.key}`, async () => {
        assert.deepEqual(signedHeaders(vector.key, vector.secret, vector.time), {
          'X-Api-Key': vector.apiKey,
          'X-Api-Signature': vector.signature,
        });
        const vectorEmulator = new StudioEmulator({ apiKey: vector.key, apiSecret: vector.secret, now: () => vector.time * 1000 });
        await vectorEmulator.start();
        try {
          const headers = { 'X-Api-Key': vector.apiKey, 'X-Api-Signature': vector.signature };
          const accepted = await fetch(vectorEmulator.baseUrl + '/conversations/open', postJson({ user_id: 'u' }, headers));
          assert.equal(accepted.status, 200);
          const altered = { ...headers, 'X-Api-Signature': vector.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) };
          const refused = await fetch(vectorEmulator.baseUrl + '/conversations/open', postJson({ user_id: 'u' }, altered));
          assert.equal(refused.status, 401);
          assert.deepEqual(
            vectorEmulator.requests.map((r) => r.authOk),
            [true, false],
          );
        } finally {
          await vectorEmulator.stop();
        }
      });
    }
  });

  describe('private endpoint credentials', () => {
    const refusedWith = async (headers: Record<string, string>, pattern: RegExp): Promise<void> => {
      const response = await openConversation('alice', headers);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      assert.match(String((await json(response)).message), pattern);
    };

    it('refuses a signature made with another secret', () => refusedWith(signedHeaders(KEY, 'other-secret', NOW_SECONDS), /signature/i));

    it('refuses an unknown key even when signed with the right secret', () =>
      refusedWith(signedHeaders('other-key', SECRET, NOW_SECONDS), /key/i));

    it('refuses missing and malformed headers', async () => {
      const good = signed();
      await refusedWith({ 'X-Api-Signature': good['X-Api-Signature'] }, /X-Api-Key/);
      await refusedWith({ 'X-Api-Key': good['X-Api-Key'] }, /X-Api-Signature/);
      await refusedWith({ 'X-Api-Key': KEY, 'X-Api-Signature': good['X-Api-Signature'] }, /X-Api-Key/);
      await refusedWith({ ...good, 'X-Api-Signature': good['X-Api-Signature'].toUpperCase() }, /X-Api-Signature/);
      await refusedWith({ ...good, 'X-Api-Signature': good['X-Api-Signature'].slice('sha256='.length) }, /X-Api-Signature/);
    });

    it('accepts timestamps at the edge of the 5-minute window, each way', async () => {
      assert.equal((await openConversation('alice', signed(NOW_SECONDS - 300))).status, 200);
      assert.equal((await openConversation('alice', signed(NOW_SECONDS + 300))).status, 200);
    });

    it('refuses a stale timestamp and says the clock is off', () => refusedWith(signed(NOW_SECONDS - 301), /timestamp.*clock/i));

    it('refuses a timestamp too far in the future', () => refusedWith(signed(NOW_SECONDS + 301), /ahead.*clock/i));

    it('hints at milliseconds when the timestamp has too many digits', () => refusedWith(signed(NOW_SECONDS * 1000), /milliseconds/));

    it("accepts another channel of the bot with its own key and secret, never one channel's secret for another's key", async () => {
      const channels = new StudioEmulator({
        apiKey: KEY,
        apiSecret: SECRET,
        otherChannels: [{ apiKey: 'second-key', apiSecret: 'second-secret' }],
        ...sampleEmulatorOptions(),
        now: () => NOW_SECONDS * 1000,
      });
      await channels.start();
      try {
        const open = (headers: Record<string, string>) =>
          fetch(`${channels.baseUrl}/conversations/open`, postJson({ user_id: 'alice' }, headers));
        assert.equal((await open(signedHeaders('second-key', 'second-secret', NOW_SECONDS))).status, 200);
        assert.equal((await open(signedHeaders(KEY, SECRET, NOW_SECONDS))).status, 200);
        assert.equal((await open(signedHeaders('second-key', SECRET, NOW_SECONDS))).status, 401);
        assert.equal((await open(signedHeaders(KEY, 'second-secret', NOW_SECONDS))).status, 401);
      } finally {
        await channels.stop();
      }
    });

    it('records whether the credentials were accepted', async () => {
      await openConversation('alice');
      await openConversation('alice', signedHeaders(KEY, 'nope', NOW_SECONDS));
      assert.deepEqual(
        emulator.requests.map((r) => [r.path, r.status, r.authOk]),
        [
          ['/conversations/open', 200, true],
          ['/conversations/open', 401, false],
        ],
      );
    });
  });

  describe('POST /conversations/open', () => {
    it('answers the documented shape for a user with an open conversation', async () => {
      const response = await openConversation('alice');
      assert.equal(response.status, 200);
      assert.deepEqual(await json(response), {
        has_open: true,
        conversation: sampleConversation('alice', { flow_id: SAMPLE_FLOW_IDS.Onboarding, step_id: 'ask_name' }),
      });
    });

    it('answers has_open false with a null conversation for users without one', async () => {
      assert.deepEqual(await json(await openConversation('carol')), { has_open: false, conversation: null });
      assert.deepEqual(await json(await openConversation('nobody')), { has_open: false, conversation: null });
    });

    it('rejects bodies without a string user_id, and invalid JSON', async () => {
      for (const body of [{}, { user_id: 42 }, { user_id: '' }, [], 'not json', '{"user_id": "alice"']) {
        const response = await fetch(url('/conversations/open'), postJson(body));
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(typeof (await json(response)).message, 'string');
      }
    });

    it('can answer "no open conversation" with the key absent or an empty object', async () => {
      for (const [shape, expected] of [
        ['absent', { has_open: false }],
        ['empty-object', { has_open: false, conversation: {} }],
      ] as const) {
        const other = new StudioEmulator({ apiKey: KEY, apiSecret: SECRET, now: () => NOW_SECONDS * 1000, noOpenConversationShape: shape });
        await other.start();
        try {
          const response = await fetch(other.baseUrl + '/conversations/open', postJson({ user_id: 'x' }));
          assert.deepEqual(await json(response), expected);
        } finally {
          await other.stop();
        }
      }
    });
  });

  describe('Bot API and routing', () => {
    it('GET /bot answers the bot with flow summaries', async () => {
      const body = await json(await fetch(url('/bot'), { headers: signed() }));
      assert.equal(body.name, 'Pizza Helper');
      assert.equal(body.default_flow, SAMPLE_FLOW_IDS.Default);
      const flows = body.flows as Array<Record<string, unknown>>;
      assert.deepEqual(
        flows.map((f) => f.name),
        ['Default', 'Onboarding', 'OrderPizza'],
      );
      assert.ok(flows.every((f) => !('content' in f)));
    });

    it('GET /bot/flows answers every flow with its content, GET /bot/flows/:id one flow', async () => {
      const flows = (await (await fetch(url('/bot/flows'), { headers: signed() })).json()) as Array<Record<string, unknown>>;
      const onboarding = flows.find((f) => f.name === 'Onboarding');
      assert.ok(onboarding);
      assert.equal(onboarding.id, SAMPLE_FLOW_IDS.Onboarding);
      assert.equal(onboarding.bot_id, SAMPLE_BOT_ID);
      assert.deepEqual(onboarding.commands, ['/onboarding', '/profile']);
      assert.match(String(onboarding.content), /^ask_name:$/m);
      const one = await fetch(url(`/bot/flows/${SAMPLE_FLOW_IDS.Onboarding}`), { headers: signed() });
      assert.deepEqual(await one.json(), onboarding);
      const missing = await fetch(url('/bot/flows/00000000-0000-4000-8000-000000000000'), { headers: signed() });
      assert.equal(missing.status, 404);
    });

    it('answers 404 for unknown paths and 405 for wrong methods, in JSON', async () => {
      const unknown = await fetch(url('/nothing/here'), { headers: signed() });
      assert.equal(unknown.status, 404);
      assert.equal(typeof (await json(unknown)).message, 'string');
      const outside = await fetch(emulator.origin + '/prod/api/bot', { headers: signed() });
      assert.equal(outside.status, 404);
      await outside.arrayBuffer();
      const wrongMethod = await fetch(url('/bot'), { method: 'DELETE', headers: signed() });
      assert.equal(wrongMethod.status, 405);
      assert.equal(wrongMethod.headers.get('allow'), 'GET');
      await wrongMethod.arrayBuffer();
    });
  });

  describe('POST /bot/validate', () => {
    const validate = (body: unknown, headers = signed()): Promise<Response> => fetch(url('/bot/validate'), postJson(body, headers));
    /** A bot as GET /bot answers it, each flow with its content. */
    const botWith = (...flows: Array<[name: string, content: string]>): unknown => ({
      ...sampleBot(),
      flows: flows.map(([name, content]) => ({ id: `id-${name}`, name, description: '', commands: [], content })),
    });
    const answerTo = async (body: unknown): Promise<Record<string, unknown>> => {
      const response = await validate(body);
      assert.equal(response.status, 200);
      return json(response);
    };

    it('answers valid for the sample bot, checked as posted', async () => {
      const sample = { ...sampleBot(), flows: sampleFlows() };
      assert.deepEqual(await answerTo(sample), { valid: true });
    });

    it('checks the posted flows, not its own', async () => {
      assert.deepEqual(await answerTo(botWith(['Elsewhere', 'menu:\n  goto end'])), {
        valid: false,
        errors: [{ flow: 'Elsewhere', step: 'start', line: 1, column: 1, message: 'The flow has no start step' }],
      });
      assert.deepEqual(await answerTo(botWith()), { valid: true });
    });

    it("reports an unmatched '}' and an unclosed '{' where they are, with their step, in flow then position order", async () => {
      const answer = await answerTo(
        botWith(
          ['Good', 'start:\n  say "hi"'],
          ['Closing', 'start:\n  say "hi"\n\nmenu:\n  }\n  goto end'],
          ['Extra', 'start:\n  if (x) {\n    say "x"\n\n  goto end\n}\n}'],
          ['Both', 'intro:\n  }\nstart:\n  {'],
        ),
      );
      assert.deepEqual(answer, {
        valid: false,
        errors: [
          { flow: 'Closing', step: 'menu', line: 5, column: 3, message: "Unmatched '}'" },
          { flow: 'Extra', step: 'start', line: 7, column: 1, message: "Unmatched '}'" },
          { flow: 'Both', step: 'intro', line: 2, column: 3, message: "Unmatched '}'" },
          { flow: 'Both', step: 'start', line: 4, column: 3, message: "Unclosed '{'" },
        ],
      });
      const unclosed = await answerTo(botWith(['Open', 'start:\n  remember x = {\n    "a": 1\n']));
      assert.deepEqual(unclosed.errors, [{ flow: 'Open', step: 'start', line: 2, column: 16, message: "Unclosed '{'" }]);
    });

    it('ignores braces and labels in strings and comments', async () => {
      const content = [
        '/* start:',
        '   { */',
        'start:',
        '  say "} {{name}} \\" {"',
        '  // }',
        '  say "/* }"',
        '  remember x = {"a": "}"}',
      ].join('\n');
      assert.deepEqual(await answerTo(botWith(['Tricky', content])), { valid: true });
      const commentedStart = await answerTo(botWith(['Commented', '// start:\n/*\nstart:\n*/\nmenu:\n  say "\nstart:\n"']));
      assert.deepEqual(commentedStart.errors, [
        { flow: 'Commented', step: 'start', line: 1, column: 1, message: 'The flow has no start step' },
      ]);
    });

    it('answers 400 with a reason to a body that is not a bot with flows, and never fails', async () => {
      const bodies: Array<[body: unknown, reason: RegExp]> = [
        ['', /not valid JSON/],
        ['{"flows": [', /not valid JSON/],
        ['null', /JSON object/],
        [[], /JSON object/],
        ['"a bot"', /JSON object/],
        [{}, /flows is required/],
        [{ flows: { Default: 'start:' } }, /flows must be an array/],
        [{ flows: ['start:'] }, /flows\[0\] must be an object/],
        [{ flows: [{ name: 'A', content: 'start:' }, { content: 'start:' }] }, /flows\[1\]\.name must be a string/],
        [{ flows: [{ name: 'A', content: null }] }, /flows\[0\]\.content must be a string/],
        [{ flows: [{ name: 7, content: 'start:' }] }, /flows\[0\]\.name must be a string/],
      ];
      for (const [body, reason] of bodies) {
        const response = await validate(body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.match(response.headers.get('content-type') ?? '', /application\/json/);
        const answer = await json(response);
        assert.equal(answer.error, 'Bad Request');
        assert.match(String(answer.message), reason, JSON.stringify(body));
      }
    });

    it('checks the credentials like every private endpoint', async () => {
      const response = await validate(botWith(['A', 'start:']), signedHeaders(KEY, 'wrong', NOW_SECONDS));
      assert.equal(response.status, 401);
      await response.arrayBuffer();
    });

    it('takes a bot with a flow of several MB', async function () {
      this.timeout(10_000);
      const content = 'start:\n' + '  say "Some text, {{ name }}, and a } in a string"\n'.repeat(130_000) + '  if (x) {\n';
      assert.ok(content.length > 6_000_000);
      const lines = content.split('\n').length;
      const answer = await answerTo(botWith(['Huge', content]));
      assert.deepEqual(answer, {
        valid: false,
        errors: [{ flow: 'Huge', step: 'start', line: lines - 1, column: 10, message: "Unclosed '{'" }],
      });
    });

    describe('with a fault', () => {
      const validBot = botWith(['A', 'start:\n  goto end']);

      for (const status of [401, 403, 500]) {
        it(`answers an injected ${status}`, async () => {
          emulator.fault({ path: '/bot/validate', status, times: 1 });
          const response = await validate(validBot);
          assert.equal(response.status, status);
          assert.equal(typeof (await json(response)).message, 'string');
          assert.deepEqual(await answerTo(validBot), { valid: true });
        });
      }

      it('answers 429 with Retry-After', async () => {
        emulator.fault({ path: '/bot/validate', status: 429, retryAfter: 7 });
        const response = await validate(validBot);
        assert.equal(response.status, 429);
        assert.equal(response.headers.get('retry-after'), '7');
        assert.equal((await json(response)).error, 'Too Many Requests');
      });

      it('leaves other paths alone', async () => {
        emulator.fault({ path: '/bot/validate', status: 500 });
        const bot = await fetch(url('/bot'), { headers: signed() });
        assert.equal(bot.status, 200);
        await bot.arrayBuffer();
        assert.equal((await validate(validBot)).status, 500);
      });

      it('cuts the connection in the middle of the answer', async () => {
        emulator.fault({ path: '/bot/validate', reset: true });
        const response = await validate(validBot);
        assert.equal(response.status, 200);
        await assert.rejects(response.text());
        assert.equal(emulator.requests[0].outcome, 'reset');
      });

      it('answers an unexpected shape', async () => {
        emulator.fault({ path: '/bot/validate', json: { valid: 'perhaps', errors: {} } });
        const response = await validate(validBot);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { valid: 'perhaps', errors: {} });
      });

      it('applies after the credentials when asked', async () => {
        emulator.fault({ path: '/bot/validate', status: 503, afterAuth: true, retryAfter: 1 });
        const refused = await validate(validBot, signedHeaders(KEY, 'wrong', NOW_SECONDS));
        assert.equal(refused.status, 401);
        await refused.arrayBuffer();
        const faulted = await validate(validBot);
        assert.equal(faulted.status, 503);
        assert.equal(faulted.headers.get('retry-after'), '1');
        await faulted.arrayBuffer();
      });
    });
  });

  describe('POST /chat', () => {
    const chat = (body: unknown, key = KEY): Promise<Response> => fetch(url('/chat'), postJson(body, { 'X-Api-Key': key }));

    afterEach(() => {
      emulator.setConversation('frank', null);
    });

    it('takes the bare key and refuses a signed one', async () => {
      const body = chatBody('frank', { content_type: 'text', content: { text: 'hi' } });
      assert.equal((await chat(body, `${KEY}|${NOW_SECONDS}`)).status, 401);
      assert.equal((await chat(body, 'wrong')).status, 401);
    });

    it('requires client.user_id, metadata and payload', async () => {
      const payload = { content_type: 'text', content: { text: 'hi' } };
      for (const body of [
        { metadata: {}, payload },
        { client: {}, metadata: {}, payload },
        { client: { user_id: 'frank' }, payload },
        { client: { user_id: 'frank' }, metadata: {} },
        { client: { user_id: 'frank' }, metadata: {}, payload: { content_type: 'smell', content: {} } },
        'nope',
      ]) {
        assert.equal((await chat(body)).status, 400, JSON.stringify(body));
      }
    });

    it('starts the default flow, answers in the documented shape, then moves step by step', async () => {
      const first = await json(await chat(chatBody('frank', { content_type: 'text', content: { text: 'Hello' } })));
      assert.equal(first.request_id, 'req-1');
      assert.equal(first.conversation_end, false);
      assert.deepEqual(first.client, { bot_id: SAMPLE_BOT_ID, channel_id: SAMPLE_CHANNEL_ID, user_id: 'frank' });
      assert.equal(first.received_at, new Date(NOW_SECONDS * 1000).toISOString());
      const messages = first.messages as Array<Record<string, unknown>>;
      assert.ok(messages.length > 0);
      const conversation = emulator.getConversation('frank');
      assert.ok(conversation);
      assert.deepEqual(messages[0], {
        conversation_id: conversation.id,
        direction: 'SEND',
        interaction_order: 0,
        payload: { content_type: 'text', content: { text: 'You said: Hello' } },
      });
      assert.deepEqual([conversation.flow_id, conversation.step_id], [SAMPLE_FLOW_IDS.Default, 'start']);
      await chat(chatBody('frank', { content_type: 'text', content: { text: 'next' } }));
      assert.equal(emulator.getConversation('frank')?.step_id, 'menu');
    });

    it('flow_trigger moves the user to the start of a flow named case-insensitively', async () => {
      emulator.setConversation('frank', sampleConversation('frank', { step_id: 'menu' }));
      const response = await chat(
        chatBody('frank', { content_type: 'flow_trigger', content: { flow_id: 'onboarding', close_flows: true } }),
      );
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      const conversation = emulator.getConversation('frank');
      assert.deepEqual([conversation?.flow_id, conversation?.step_id], [SAMPLE_FLOW_IDS.Onboarding, 'start']);
      assert.notEqual(conversation?.id, sampleConversation('frank').id);
      // The next step is the first real label, not the one inside the block comment at the top of the file.
      await chat(chatBody('frank', { content_type: 'text', content: { text: 'ok' } }));
      assert.equal(emulator.getConversation('frank')?.step_id, 'ask_name');
      const unknown = await chat(chatBody('frank', { content_type: 'flow_trigger', content: { flow_id: 'NoSuchFlow' } }));
      assert.equal(unknown.status, 400);
    });

    it('ends the conversation after the last step', async () => {
      emulator.setConversation('frank', sampleConversation('frank', { flow_id: SAMPLE_FLOW_IDS.OrderPizza, step_id: 'thanks' }));
      const answer = await json(await chat(chatBody('frank', { content_type: 'text', content: { text: 'bye' } })));
      assert.equal(answer.conversation_end, true);
      assert.equal(emulator.getConversation('frank'), null);
    });
  });

  describe('fault injection', () => {
    it('answers an injected status before checking credentials', async () => {
      emulator.fault({ status: 503, retryAfter: 2, path: '/conversations/open' });
      const response = await fetch(url('/conversations/open'), postJson({ user_id: 'alice' }, {}));
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '2');
      assert.equal((await json(response)).error, 'Service Unavailable');
      assert.equal(emulator.requests[0].authOk, null);
    });

    it('applies only to its path and only the given number of times', async () => {
      emulator.fault({ status: 500, times: 1, path: '/bot' });
      assert.equal((await openConversation('alice')).status, 200);
      assert.equal((await fetch(url('/bot'), { headers: signed() })).status, 500);
      assert.equal((await fetch(url('/bot'), { headers: signed() })).status, 200);
    });

    it('answers after the credentials when afterAuth is set', async () => {
      emulator.fault({ status: 429, afterAuth: true });
      assert.equal((await openConversation('alice', {})).status, 401);
      assert.equal((await openConversation('alice')).status, 429);
    });

    it('sends raw and JSON bodies', async () => {
      emulator.fault({ body: '{"has_open": tr', times: 1 });
      emulator.fault({ json: { has_open: 'maybe' }, status: 200, times: 1 });
      const raw = await openConversation('alice', {});
      assert.equal(raw.status, 200);
      assert.equal(await raw.text(), '{"has_open": tr');
      assert.deepEqual(await (await openConversation('alice', {})).json(), { has_open: 'maybe' });
    });

    it('delays, then answers normally', async () => {
      emulator.fault({ delayMs: 80 });
      const start = Date.now();
      const response = await openConversation('alice');
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      assert.ok(elapsedSince(start) >= 75);
    });

    it('hangs until the client gives up', async () => {
      emulator.fault({ hang: true });
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 60);
      const start = Date.now();
      const aborted = fetch(url('/conversations/open'), { ...postJson({ user_id: 'alice' }), signal: abort.signal });
      await assert.rejects(aborted, { name: 'AbortError' });
      clearTimeout(timer);
      assert.ok(elapsedSince(start) >= 55);
      const [request] = await emulator.waitForRequests(1, 500);
      assert.deepEqual([request.outcome, request.status], ['hung', null]);
    });

    it('trickles the body slowly but completely', async () => {
      emulator.fault({ trickle: { chunks: 4, intervalMs: 30 } });
      const start = Date.now();
      const response = await openConversation('alice');
      assert.equal(response.status, 200);
      const body = (await response.json()) as { has_open: boolean };
      assert.equal(body.has_open, true);
      assert.ok(elapsedSince(start) >= 110, `took ${elapsedSince(start)} ms`);
    });

    it('cuts the connection in the middle of the body', async () => {
      emulator.fault({ reset: true });
      const response = await fetch(url('/bot/flows'), { headers: signed() });
      assert.equal(response.status, 200);
      await assert.rejects(response.text());
      assert.equal(emulator.requests[0].outcome, 'reset');
    });

    it('redirects', async () => {
      emulator.fault({ redirectTo: 'https://elsewhere.example/v1/api/conversations/open', status: 307 });
      const response = await fetch(url('/conversations/open'), { ...postJson({ user_id: 'alice' }), redirect: 'manual' });
      assert.equal(response.status, 307);
      assert.equal(response.headers.get('location'), 'https://elsewhere.example/v1/api/conversations/open');
      await response.arrayBuffer();
    });

    it('refuses malformed faults', () => {
      assert.throws(() => emulator.fault({ status: 42 }));
      assert.throws(() => emulator.fault({ times: 0 }));
    });
  });

  describe('control endpoints', () => {
    const control = (path: string, init: RequestInit = {}): Promise<Response> => fetch(emulator.origin + '/__emulator' + path, init);

    it('reports health', async () => {
      assert.deepEqual(await (await control('/health')).json(), { ok: true, baseUrl: emulator.baseUrl });
    });

    it('adds and clears faults', async () => {
      const added = await control('/faults', { method: 'POST', body: JSON.stringify({ status: 502, path: '/conversations/open' }) });
      assert.equal(added.status, 201);
      await added.arrayBuffer();
      assert.equal((await openConversation('alice')).status, 502);
      const invalid = await control('/faults', { method: 'POST', body: JSON.stringify({ status: 'soon' }) });
      assert.equal(invalid.status, 400);
      await invalid.arrayBuffer();
      await (await control('/faults', { method: 'DELETE' })).arrayBuffer();
      assert.equal((await openConversation('alice')).status, 200);
    });

    it('sets and removes a conversation', async () => {
      const conversation: StudioConversation = { ...sampleConversation('erin'), expires_at: '2030-01-01T00:00:00.000Z' };
      const put = await control('/conversations/erin', { method: 'PUT', body: JSON.stringify(conversation) });
      assert.equal(put.status, 200);
      await put.arrayBuffer();
      assert.deepEqual(await json(await openConversation('erin')), { has_open: true, conversation });
      await (await control('/conversations/erin', { method: 'PUT', body: 'null' })).arrayBuffer();
      assert.deepEqual(await json(await openConversation('erin')), { has_open: false, conversation: null });
    });

    it('lists requests with the signature redacted, and clears them', async () => {
      await (await openConversation('alice')).arrayBuffer();
      const listed = (await (await control('/requests')).json()) as Array<{ path: string; body: string; headers: Record<string, string> }>;
      assert.equal(listed.length, 1);
      assert.equal(listed[0].path, '/conversations/open');
      assert.deepEqual(JSON.parse(listed[0].body), { user_id: 'alice' });
      assert.equal(listed[0].headers['x-api-key'], `${KEY}|${NOW_SECONDS}`);
      assert.equal(listed[0].headers['x-api-signature'], '<redacted>');
      assert.ok(emulator.requests[0].headers['x-api-signature']?.toString().startsWith('sha256='));
      await (await control('/requests', { method: 'DELETE' })).arrayBuffer();
      assert.equal(emulator.requests.length, 0);
    });

    it('answers 404 for unknown control paths', async () => {
      const response = await control('/nope');
      assert.equal(response.status, 404);
      await response.arrayBuffer();
    });
  });

  describe('waitForRequests', () => {
    it('rejects when too few requests arrive in time', async () => {
      await assert.rejects(emulator.waitForRequests(1, 20), /Expected 1 request/);
    });
  });
});

describe('StudioEmulator lifecycle, latency and demo', () => {
  it('stop() ends a hung request at once', async () => {
    const emulator = new StudioEmulator();
    await emulator.start();
    emulator.fault({ hang: true });
    const pending = fetch(emulator.baseUrl + '/bot').then(
      () => 'answered',
      () => 'failed',
    );
    await emulator.waitForRequests(1, 500);
    const start = Date.now();
    await emulator.stop();
    assert.ok(elapsedSince(start) < 300, `stop took ${elapsedSince(start)} ms`);
    assert.equal(await pending, 'failed');
  });

  it('adds the configured latency to API answers', async () => {
    const emulator = new StudioEmulator({ latencyMs: 60 });
    await emulator.start();
    try {
      const start = Date.now();
      const response = await fetch(emulator.baseUrl + '/bot');
      assert.equal(response.status, 401);
      await response.arrayBuffer();
      assert.ok(elapsedSince(start) >= 55);
    } finally {
      await emulator.stop();
    }
  });

  it('demo mode moves alice and bob through their steps; carol has no conversation', async () => {
    const flows = sampleFlows();
    const emulator = new StudioEmulator({
      flows,
      bot: sampleBot(),
      conversations: { alice: sampleConversation('alice', { flow_id: SAMPLE_FLOW_IDS.Onboarding, step_id: 'confirm' }) },
      demo: { stepIntervalMs: 40 },
    });
    await emulator.start();
    try {
      assert.equal(emulator.getConversation('carol'), null);
      const bobStart = emulator.getConversation('bob');
      assert.ok(bobStart);
      // alice is on Onboarding's last step: the demo moves her on to the next flow's start.
      await until(() => emulator.getConversation('alice')?.step_id !== 'confirm', 500);
      const alice = emulator.getConversation('alice');
      assert.deepEqual([alice?.flow_id, alice?.step_id], [SAMPLE_FLOW_IDS.OrderPizza, 'start']);
      await until(() => emulator.getConversation('bob')?.step_id !== bobStart.step_id, 500);
      const names = flows.map((f) => f.content).join('\n');
      assert.match(names, new RegExp(`^${emulator.getConversation('bob')?.step_id}:`, 'm'));
    } finally {
      await emulator.stop();
    }
  });
});
