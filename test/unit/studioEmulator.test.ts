import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { EMULATOR_ENGINE_VERSION, StudioEmulator, type EmulatorOptions, type StudioConversation } from '../emulator/studioEmulator';
import {
  SAMPLE_BOT_ID,
  SAMPLE_CHANNEL_ID,
  SAMPLE_FLOW_IDS,
  sampleBot,
  sampleConversation,
  sampleEmulatorOptions,
  sampleFlows,
} from '../emulator/fixtures';
import { StudioHarness } from '../support/studioHarness';
import { parseChatAnswer, replyText } from '../../src/studio/chat';
import { SchemaError } from '../../src/studio/schema';

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

const TYPING = { content_type: 'typing', content: { duration: 500 } };

function text(words: string): unknown {
  return { content_type: 'text', content: { text: words } };
}

function debug(flow: string, step: string): unknown {
  return { content_type: 'debug', content: { args: [`flow ${flow}, step ${step}`] } };
}

function question(flow: string, step: string): unknown {
  return {
    content_type: 'question',
    content: {
      title: `Now in flow ${flow}, step ${step}. Go on?`,
      buttons: [
        { content_type: 'button', content: { title: 'Next', payload: 'next', accepts: ['Next', 'next'] } },
        { content_type: 'button', content: { title: 'Stop', payload: 'stop', accepts: ['Stop', 'stop'] } },
      ],
    },
  };
}

/** The payloads of a chat answer's messages, in order. */
function payloadsOf(answer: Record<string, unknown>): unknown[] {
  return (answer.messages as Array<{ payload: unknown }>).map((message) => message.payload);
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
      assert.deepEqual(messages[1], {
        conversation_id: conversation.id,
        direction: 'SEND',
        interaction_order: 1,
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
      assert.deepEqual(payloadsOf(answer), [TYPING, text('You said: bye'), text('Goodbye!')]);
      assert.equal(emulator.getConversation('frank'), null);
    });

    describe('replies', () => {
      const said = (userId: string, words: string): unknown => chatBody(userId, { content_type: 'text', content: { text: words } });
      const clicked = (userId: string, payload: unknown): unknown => chatBody(userId, { content_type: 'payload', content: { payload } });

      it('are a typing indicator, an echo, a debug message and a question with Next and Stop buttons, in that order', async () => {
        emulator.setConversation('frank', sampleConversation('frank', { flow_id: SAMPLE_FLOW_IDS.OrderPizza, step_id: 'choose_size' }));
        const response = await chat(said('frank', 'large please'));
        assert.equal(response.status, 200);
        const answer = await json(response);
        assert.equal(answer.conversation_end, false);
        const conversationId = sampleConversation('frank').id;
        assert.deepEqual(answer.messages, [
          { conversation_id: conversationId, direction: 'SEND', interaction_order: 0, payload: TYPING },
          { conversation_id: conversationId, direction: 'SEND', interaction_order: 1, payload: text('You said: large please') },
          {
            conversation_id: conversationId,
            direction: 'SEND',
            interaction_order: 2,
            payload: { content_type: 'debug', content: { args: ['flow OrderPizza, step choose_toppings'] } },
          },
          {
            conversation_id: conversationId,
            direction: 'SEND',
            interaction_order: 3,
            payload: {
              content_type: 'question',
              content: {
                title: 'Now in flow OrderPizza, step choose_toppings. Go on?',
                buttons: [
                  { content_type: 'button', content: { title: 'Next', payload: 'next', accepts: ['Next', 'next'] } },
                  { content_type: 'button', content: { title: 'Stop', payload: 'stop', accepts: ['Stop', 'stop'] } },
                ],
              },
            },
          },
        ]);
        assert.equal(emulator.getConversation('frank')?.step_id, 'choose_toppings');
      });

      it('are the same for the same request in the same state, ids aside', async () => {
        const twice = async (setUp: () => void, body: unknown): Promise<Array<Record<string, unknown>>> => {
          const answers: Array<Array<Record<string, unknown>>> = [];
          for (let round = 0; round < 2; round += 1) {
            setUp();
            const answer = await json(await chat(body));
            answers.push((answer.messages as Array<Record<string, unknown>>).map(({ conversation_id: _id, ...rest }) => rest));
          }
          assert.deepEqual(answers[1], answers[0]);
          return answers[0];
        };
        const inMenu = await twice(
          () => emulator.setConversation('frank', sampleConversation('frank', { step_id: 'menu' })),
          clicked('frank', 'next'),
        );
        assert.deepEqual(
          inMenu.map((message) => message.interaction_order),
          [0, 1, 2, 3],
        );
        // A new conversation gets a new id each time; the messages stay the same.
        const fresh = await twice(() => emulator.setConversation('frank', null), said('frank', 'Hello'));
        assert.deepEqual(
          fresh.map((message) => message.payload),
          [TYPING, text('You said: Hello'), debug('Default', 'start'), question('Default', 'start')],
        );
      });

      it('take a button click as a payload, echo it and move on a step', async () => {
        emulator.setConversation('frank', sampleConversation('frank', { flow_id: SAMPLE_FLOW_IDS.Onboarding, step_id: 'ask_name' }));
        const answer = await json(await chat(clicked('frank', 'next')));
        assert.equal(answer.conversation_end, false);
        assert.deepEqual(payloadsOf(answer), [
          TYPING,
          text('You chose: next'),
          debug('Onboarding', 'ask_topping'),
          question('Onboarding', 'ask_topping'),
        ]);
        assert.equal(emulator.getConversation('frank')?.step_id, 'ask_topping');
      });

      it('refuse a payload that is not a string', async () => {
        for (const content of [{}, { payload: 3 }, { payload: null }, { payload: ['next'] }]) {
          const response = await chat(chatBody('frank', { content_type: 'payload', content }));
          assert.equal(response.status, 400, JSON.stringify(content));
          assert.match(JSON.stringify(await response.json()), /payload\.content\.payload must be a string/);
        }
        assert.equal(emulator.getConversation('frank'), null);
      });

      it('end the conversation with Goodbye and no question on "stop", clicked or typed', async () => {
        emulator.setConversation('frank', sampleConversation('frank', { step_id: 'menu' }));
        const click = await json(await chat(clicked('frank', 'stop')));
        assert.equal(click.conversation_end, true);
        assert.deepEqual(payloadsOf(click), [TYPING, text('You chose: stop'), text('Goodbye!')]);
        assert.equal(emulator.getConversation('frank'), null);

        emulator.setConversation('frank', sampleConversation('frank', { step_id: 'menu' }));
        const typed = await json(await chat(said('frank', ' Stop ')));
        assert.equal(typed.conversation_end, true);
        assert.deepEqual(payloadsOf(typed), [TYPING, text('You said:  Stop '), text('Goodbye!')]);
        assert.equal(emulator.getConversation('frank'), null);

        // With no open conversation, "stop" opens none.
        const alone = await json(await chat(said('frank', 'stop')));
        assert.equal(alone.conversation_end, true);
        assert.deepEqual(payloadsOf(alone), [TYPING, text('You said: stop'), text('Goodbye!')]);
        assert.equal(emulator.getConversation('frank'), null);
      });

      it('start a flow on flow_trigger, and refuse an unknown flow with 400, changing nothing', async () => {
        emulator.setConversation('frank', sampleConversation('frank', { step_id: 'menu' }));
        const trigger = (flowId: string): unknown =>
          chatBody('frank', { content_type: 'flow_trigger', content: { flow_id: flowId, close_flows: false } });
        const unknown = await chat(trigger('NoSuchFlow'));
        assert.equal(unknown.status, 400);
        assert.match(JSON.stringify(await unknown.json()), /NoSuchFlow/);
        assert.deepEqual(emulator.getConversation('frank'), sampleConversation('frank', { step_id: 'menu' }));

        const started = await json(await chat(trigger('ORDERPIZZA')));
        assert.equal(started.conversation_end, false);
        assert.deepEqual(payloadsOf(started), [
          TYPING,
          text('Starting flow OrderPizza.'),
          debug('OrderPizza', 'start'),
          question('OrderPizza', 'start'),
        ]);
        // Without close_flows, the open conversation switches flow in place.
        for (const message of started.messages as Array<Record<string, unknown>>) {
          assert.equal(message.conversation_id, sampleConversation('frank').id);
        }
        const conversation = emulator.getConversation('frank');
        assert.deepEqual([conversation?.flow_id, conversation?.step_id], [SAMPLE_FLOW_IDS.OrderPizza, 'start']);
      });

      it('read as the extension reads them, with parseChatAnswer', async () => {
        emulator.setConversation('frank', sampleConversation('frank', { step_id: 'menu' }));
        const goOn = parseChatAnswer(await json(await chat(clicked('frank', 'next'))));
        assert.equal(goOn.conversationEnd, false);
        assert.deepEqual(
          goOn.messages.map((message) => message.contentType),
          ['typing', 'text', 'debug', 'question'],
        );
        assert.deepEqual(goOn.messages.map(replyText), [
          '[typing] {"duration":500}',
          'You chose: next',
          '[debug] {"args":["flow Default, step fallback"]}',
          '[question] {"title":"Now in flow Default, step fallback. Go on?","buttons":[' +
            '{"content_type":"button","content":{"title":"Next","payload":"next","accepts":["Next","next"]}},' +
            '{"content_type":"button","content":{"title":"Stop","payload":"stop","accepts":["Stop","stop"]}}]}',
        ]);

        const end = parseChatAnswer(await json(await chat(clicked('frank', 'stop'))));
        assert.equal(end.conversationEnd, true);
        assert.deepEqual(end.messages.map(replyText), ['[typing] {"duration":500}', 'You chose: stop', 'Goodbye!']);
      });

      it('can be replaced by a bad answer with a fault, which parseChatAnswer refuses', async () => {
        emulator.fault({ path: '/chat', method: 'POST', status: 200, json: { messages: [{ payload: { content: { text: 'no type' } } }] } });
        const response = await chat(said('frank', 'hi'));
        assert.equal(response.status, 200);
        const body = await json(response);
        assert.throws(() => parseChatAnswer(body), SchemaError);
        assert.equal(emulator.getConversation('frank'), null);
      });
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

describe('StudioEmulator flow edits, builds, nth faults and request rate', () => {
  const START_MS = NOW_SECONDS * 1000;
  let clock: number;
  let emulator: StudioEmulator;
  const url = (path: string): string => emulator.baseUrl + path;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = signed()): Promise<Response> =>
    fetch(url(path), {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const flows = async (): Promise<Array<Record<string, unknown>>> =>
    (await (await send('GET', '/bot/flows')).json()) as Array<Record<string, unknown>>;
  const flowNamed = async (name: string): Promise<Record<string, unknown> | undefined> => (await flows()).find((f) => f.name === name);
  const control = (path: string, init: RequestInit = {}): Promise<Response> => fetch(emulator.origin + '/__emulator' + path, init);
  const onboarding = SAMPLE_FLOW_IDS.Onboarding;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const startWith = async (options: EmulatorOptions = {}): Promise<void> => {
    await emulator.stop();
    emulator = new StudioEmulator({ apiKey: KEY, apiSecret: SECRET, ...sampleEmulatorOptions(), now: () => clock, ...options });
    await emulator.start();
  };
  const assertRefused = async (response: Response, status: number, reason: RegExp): Promise<void> => {
    assert.equal(response.status, status);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const answer = await json(response);
    assert.equal(typeof answer.error, 'string');
    assert.match(String(answer.message), reason);
  };

  beforeEach(async () => {
    clock = START_MS;
    emulator = new StudioEmulator({ apiKey: KEY, apiSecret: SECRET, ...sampleEmulatorOptions(), now: () => clock });
    await emulator.start();
  });

  afterEach(() => emulator.stop());

  describe('POST /bot/flows', () => {
    const newFlow = { name: 'Feedback', description: 'Asks for feedback', commands: ['/feedback'], content: 'start:\n  say "How was it?"' };

    it('answers 201 with the new flow, which GET /bot/flows, GET /bot/flows/:id and GET /bot show at once', async () => {
      clock = START_MS + 1234;
      const response = await send('POST', '/bot/flows', newFlow);
      assert.equal(response.status, 201);
      const created = await json(response);
      assert.match(String(created.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(!Object.values(SAMPLE_FLOW_IDS).includes(String(created.id)));
      assert.deepEqual(created, {
        id: created.id,
        bot_id: SAMPLE_BOT_ID,
        organization_id: sampleBot().organization_id,
        ...newFlow,
        created_at: iso(START_MS + 1234),
        updated_at: iso(START_MS + 1234),
      });
      assert.deepEqual(await flowNamed('Feedback'), created);
      assert.deepEqual(await (await send('GET', `/bot/flows/${String(created.id)}`)).json(), created);
      const bot = await json(await send('GET', '/bot'));
      const { content: _content, ...summary } = created;
      assert.deepEqual((bot.flows as unknown[]).at(-1), summary);
      assert.equal(emulator.getFlows().length, 4);
    });

    it('takes a flow with only a name and content', async () => {
      const created = await json(await send('POST', '/bot/flows', { name: 'Bare', content: '' }));
      assert.deepEqual([created.name, created.description, created.commands, created.content], ['Bare', '', [], '']);
    });

    it('answers 409 to a name already used, whatever its case, and keeps the flows as they were', async () => {
      for (const name of ['Onboarding', 'ONBOARDING', 'orderpizza']) {
        await assertRefused(await send('POST', '/bot/flows', { name, content: 'start:' }), 409, /already exists.*case-insensitive/);
      }
      assert.deepEqual(emulator.getFlows(), sampleFlows());
    });

    it('answers 400 with a reason to a body it cannot use, and never fails', async () => {
      const bodies: Array<[body: unknown, reason: RegExp]> = [
        ['', /not valid JSON/],
        ['{"name": "A"', /not valid JSON/],
        ['null', /JSON object/],
        [[], /JSON object/],
        [{ content: 'start:' }, /name is required/],
        [{ name: '', content: 'start:' }, /name is required/],
        [{ name: '   ', content: 'start:' }, /name is required/],
        [{ name: 7, content: 'start:' }, /name is required/],
        [{ name: 'A' }, /content is required/],
        [{ name: 'A', content: 5 }, /content is required/],
        [{ name: 'A', content: 'start:', description: 5 }, /description must be a string/],
        [{ name: 'A', content: 'start:', commands: '/a' }, /commands must be an array of strings/],
        [{ name: 'A', content: 'start:', commands: ['/a', 1] }, /commands must be an array of strings/],
      ];
      for (const [body, reason] of bodies) {
        await assertRefused(await send('POST', '/bot/flows', body), 400, reason);
      }
      assert.equal(emulator.getFlows().length, 3);
    });
  });

  describe('PUT /bot/flows/:flow_id', () => {
    it('updates the flow, moves its updated_at to now and answers 204 without a body', async () => {
      clock = START_MS + 5000;
      const response = await send('PUT', `/bot/flows/${onboarding}`, {
        content: 'start:\n  goto end',
        description: 'New',
        commands: ['/on'],
      });
      assert.equal(response.status, 204);
      assert.equal(await response.text(), '');
      assert.equal(response.headers.get('content-length'), null);
      const before = sampleFlows().find((f) => f.name === 'Onboarding');
      assert.deepEqual(await flowNamed('Onboarding'), {
        ...before,
        content: 'start:\n  goto end',
        description: 'New',
        commands: ['/on'],
        updated_at: iso(START_MS + 5000),
      });
    });

    it('changes only the fields sent, and ignores a name', async () => {
      const before = await flowNamed('Onboarding');
      const response = await send('PUT', `/bot/flows/${onboarding}`, { content: 'start:', name: 'Renamed' });
      assert.equal(response.status, 204);
      assert.deepEqual(await flowNamed('Onboarding'), { ...before, content: 'start:', updated_at: iso(START_MS) });
    });

    it('moves updated_at strictly later on every change, even when the clock has not moved', async () => {
      const stamps: string[] = [];
      for (let i = 0; i < 3; i++) {
        assert.equal((await send('PUT', `/bot/flows/${onboarding}`, { content: `start:\n  say "${i}"` })).status, 204);
        stamps.push(String((await flowNamed('Onboarding'))?.updated_at));
      }
      assert.deepEqual(stamps, [iso(START_MS), iso(START_MS + 1), iso(START_MS + 2)]);
      clock = START_MS + 60_000;
      await send('PUT', `/bot/flows/${onboarding}`, {});
      assert.equal((await flowNamed('Onboarding'))?.updated_at, iso(START_MS + 60_000));
      // A flow stamped in the future by another editor still moves forward.
      emulator.setFlows(emulator.getFlows().map((f) => (f.id === onboarding ? { ...f, updated_at: iso(START_MS + 3_600_000) } : f)));
      await send('PUT', `/bot/flows/${onboarding}`, {});
      assert.equal((await flowNamed('Onboarding'))?.updated_at, iso(START_MS + 3_600_001));
    });

    it("answers 200 with the updated flow when putFlowAnswer is 'flow'", async () => {
      await startWith({ putFlowAnswer: 'flow' });
      const response = await send('PUT', `/bot/flows/${onboarding}`, { content: 'start:\n  say "hi"' });
      assert.equal(response.status, 200);
      const answer = await json(response);
      assert.equal(answer.content, 'start:\n  say "hi"');
      assert.equal(answer.updated_at, iso(START_MS));
      assert.deepEqual(answer, await flowNamed('Onboarding'));
    });

    it('answers 404 to an unknown id, and 400 with a reason to a body it cannot use, changing nothing', async () => {
      await assertRefused(await send('PUT', '/bot/flows/00000000-0000-4000-8000-000000000000', { content: 'start:' }), 404, /No flow/);
      // By id only: a name is not a flow_id here.
      await assertRefused(await send('PUT', '/bot/flows/Onboarding', { content: 'start:' }), 404, /No flow/);
      await assertRefused(await send('PUT', '/bot/flows/%E0%A4%A', { content: 'start:' }), 404, /No flow/);
      const bodies: Array<[body: unknown, reason: RegExp]> = [
        ['', /not valid JSON/],
        ['nope', /not valid JSON/],
        ['null', /JSON object/],
        ['"start:"', /JSON object/],
        [{ content: 5 }, /content must be a string/],
        [{ content: null }, /content must be a string/],
        [{ description: null }, /description must be a string/],
        [{ commands: [true] }, /commands must be an array of strings/],
      ];
      for (const [body, reason] of bodies) {
        await assertRefused(await send('PUT', `/bot/flows/${onboarding}`, body), 400, reason);
      }
      assert.deepEqual(emulator.getFlows(), sampleFlows());
    });
  });

  describe('DELETE /bot/flows/:flow_id', () => {
    it('answers 204 and the flow is gone from every answer; a second time, 404', async () => {
      const response = await send('DELETE', `/bot/flows/${onboarding}`);
      assert.equal(response.status, 204);
      assert.equal(await response.text(), '');
      assert.deepEqual(
        (await flows()).map((f) => f.name),
        ['Default', 'OrderPizza'],
      );
      const bot = await json(await send('GET', '/bot'));
      assert.deepEqual(
        (bot.flows as Array<Record<string, unknown>>).map((f) => f.name),
        ['Default', 'OrderPizza'],
      );
      await assertRefused(await send('GET', `/bot/flows/${onboarding}`), 404, /No flow/);
      await assertRefused(await send('DELETE', `/bot/flows/${onboarding}`), 404, /No flow/);
    });

    it('refuses other methods on flows with 405 and the allowed ones', async () => {
      const patch = await send('PATCH', `/bot/flows/${onboarding}`, {});
      assert.equal(patch.status, 405);
      assert.equal(patch.headers.get('allow'), 'GET, PUT, DELETE');
      await patch.arrayBuffer();
      const deleteAll = await send('DELETE', '/bot/flows');
      assert.equal(deleteAll.status, 405);
      assert.equal(deleteAll.headers.get('allow'), 'GET, POST');
      await deleteAll.arrayBuffer();
    });
  });

  describe('POST and GET /bot/build', () => {
    it('answers 404 to latest before any build', async () => {
      await assertRefused(await send('GET', '/bot/build'), 404, /not been built/);
      await assertRefused(await send('GET', '/bot/build?version_id=latest'), 404, /not been built/);
    });

    it('builds versions of the flows as they are, and answers each by version_id and the last as latest', async () => {
      clock = START_MS + 10;
      const firstResponse = await send('POST', '/bot/build');
      assert.equal(firstResponse.status, 200);
      const first = await json(firstResponse);
      const bot = sampleBot();
      assert.deepEqual(first, {
        id: bot.id,
        name: bot.name,
        default_flow: bot.default_flow,
        created_at: iso(START_MS + 10),
        version_id: first.version_id,
        engine_version: EMULATOR_ENGINE_VERSION,
        flows: sampleFlows(),
      });
      assert.match(String(first.version_id), /^[0-9a-f-]{36}$/);

      clock = START_MS + 20;
      assert.equal((await send('PUT', `/bot/flows/${onboarding}`, { content: 'start:\n  goto end' })).status, 204);
      const second = await json(await send('POST', '/bot/build', {}));
      assert.notEqual(second.version_id, first.version_id);
      assert.equal(second.created_at, iso(START_MS + 20));
      const onboardingIn = (build: Record<string, unknown>): unknown =>
        (build.flows as Array<Record<string, unknown>>).find((f) => f.id === onboarding)?.content;
      assert.equal(onboardingIn(second), 'start:\n  goto end');

      assert.deepEqual(await json(await send('GET', '/bot/build')), second);
      assert.deepEqual(await json(await send('GET', '/bot/build?version_id=latest')), second);
      const older = await json(await send('GET', `/bot/build?version_id=${String(first.version_id)}`));
      assert.deepEqual(older, first);
      assert.equal(onboardingIn(older), sampleFlows().find((f) => f.id === onboarding)?.content);
      assert.deepEqual(
        emulator.getBuilds().map((b) => b.version_id),
        [first.version_id, second.version_id],
      );
    });

    it('answers 404 to an unknown version and 400 to an empty one', async () => {
      await (await send('POST', '/bot/build')).arrayBuffer();
      await assertRefused(await send('GET', '/bot/build?version_id=00000000-0000-4000-8000-000000000000'), 404, /No version/);
      await assertRefused(await send('GET', '/bot/build?version_id='), 400, /version_id/);
    });
  });

  describe("a colleague's edit", () => {
    it('changes a flow found by name or id, case-insensitively, and moves its updated_at', async () => {
      clock = START_MS + 42;
      const edited = emulator.editFlowAsColleague('onboarding', 'start:\n  say "by a colleague"');
      assert.deepEqual([edited.id, edited.content, edited.updated_at], [onboarding, 'start:\n  say "by a colleague"', iso(START_MS + 42)]);
      assert.deepEqual(await flowNamed('Onboarding'), edited);
      const again = emulator.editFlowAsColleague(onboarding.toUpperCase(), 'start:');
      assert.equal(again.updated_at, iso(START_MS + 43));
      assert.throws(() => emulator.editFlowAsColleague('Nowhere', 'start:'), /No flow with id or name Nowhere/);
    });

    it("reaches the extension's client on its next request", async () => {
      const harness = new StudioHarness();
      await harness.start();
      try {
        const client = harness.client();
        const before = (await client.getFlows()).find((f) => f.name === 'OrderPizza');
        harness.emulator.editFlowAsColleague('OrderPizza', 'start:\n  say "changed"');
        const after = (await client.getFlows()).find((f) => f.name === 'OrderPizza');
        assert.equal(after?.content, 'start:\n  say "changed"');
        assert.ok(before?.updatedAt !== undefined && after?.updatedAt !== undefined && after.updatedAt > before.updatedAt);
      } finally {
        await harness.stop();
      }
    });

    it('can be made through PUT /__emulator/flows/:nameOrId/content', async () => {
      clock = START_MS + 7;
      const response = await control('/flows/orderpizza/content', {
        method: 'PUT',
        body: JSON.stringify({ content: 'start:\n  goto end' }),
      });
      assert.equal(response.status, 200);
      const edited = await json(response);
      assert.deepEqual([edited.name, edited.content, edited.updated_at], ['OrderPizza', 'start:\n  goto end', iso(START_MS + 7)]);
      assert.deepEqual(await flowNamed('OrderPizza'), edited);
      const byId = await control(`/flows/${SAMPLE_FLOW_IDS.Default}/content`, { method: 'PUT', body: '{"content": ""}' });
      assert.equal((await json(byId)).content, '');
      await assertRefused(await control('/flows/Nowhere/content', { method: 'PUT', body: '{"content": ""}' }), 404, /No flow/);
      await assertRefused(await control('/flows/%E0%A4%A/content', { method: 'PUT', body: '{"content": ""}' }), 404, /No flow/);
      for (const body of ['', 'start:', '{"content": 5}', '{}', '["start:"]']) {
        await assertRefused(await control('/flows/OrderPizza/content', { method: 'PUT', body }), 400, /content/);
      }
      const get = await control('/flows/OrderPizza/content');
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'PUT');
      await get.arrayBuffer();
      // Control requests are not API requests.
      assert.equal(emulator.requests.filter((r) => r.path.startsWith('/__emulator')).length, 0);
    });
  });

  describe('signatures', () => {
    it('are required by every new endpoint, which then changes nothing', async () => {
      const wrong = signedHeaders(KEY, 'wrong-secret', NOW_SECONDS);
      const attempts: Array<[method: string, path: string, body?: unknown]> = [
        ['POST', '/bot/flows', { name: 'Sneaky', content: 'start:' }],
        ['PUT', `/bot/flows/${onboarding}`, { content: 'start:' }],
        ['DELETE', `/bot/flows/${onboarding}`],
        ['POST', '/bot/build'],
        ['GET', '/bot/build'],
      ];
      for (const [method, path, body] of attempts) {
        for (const headers of [wrong, {}, { 'X-Api-Key': KEY }]) {
          const response = await send(method, path, body, headers);
          assert.equal(response.status, 401, `${method} ${path}`);
          await response.arrayBuffer();
        }
      }
      assert.deepEqual(emulator.getFlows(), sampleFlows());
      assert.deepEqual(emulator.getBuilds(), []);
      assert.ok(emulator.requests.every((r) => r.authOk === false));
    });
  });

  describe('the nth request fault', () => {
    it('fails only the nth matching request, then is gone', async () => {
      emulator.fault({ path: '/bot/flows/' + onboarding, method: 'PUT', nth: 3, status: 500 });
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        // Requests the fault does not match are not counted.
        await (await send('GET', `/bot/flows/${onboarding}`)).arrayBuffer();
        const response = await send('PUT', `/bot/flows/${onboarding}`, { content: `start:\n  say "${i}"` });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      assert.deepEqual(statuses, [204, 204, 500, 204, 204]);
      assert.deepEqual(await (await control('/faults')).json(), []);
      assert.equal((await flowNamed('Onboarding'))?.content, 'start:\n  say "5"');
    });

    it('counts from when it was added, and after the credentials when afterAuth is set', async () => {
      await (await send('GET', '/bot')).arrayBuffer();
      emulator.fault({ path: '/bot', nth: 2, status: 503, afterAuth: true });
      const statuses: number[] = [];
      for (const headers of [signed(), {}, signed(), signed()]) {
        const response = await send('GET', '/bot', undefined, headers);
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      assert.deepEqual(statuses, [200, 401, 503, 200]);
    });

    it('still counts the requests another fault answers', async () => {
      emulator.fault({ path: '/bot', times: 2, status: 502 });
      emulator.fault({ path: '/bot', nth: 2, status: 500 });
      emulator.fault({ path: '/bot', nth: 3, status: 504 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await send('GET', '/bot');
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      assert.deepEqual(statuses, [502, 502, 504, 200]);
      assert.deepEqual(await (await control('/faults')).json(), []);
    });

    it('is refused unless a positive integer, and with times', async () => {
      for (const fault of [{ nth: 0 }, { nth: -1 }, { nth: 1.5 }, { nth: 2, times: 1 }]) {
        assert.throws(() => emulator.fault({ status: 500, ...fault }), /Invalid fault: nth/, JSON.stringify(fault));
      }
      const refused = await control('/faults', { method: 'POST', body: JSON.stringify({ status: 500, nth: '3' }) });
      await assertRefused(refused, 400, /nth must be a positive integer/);
      const added = await control('/faults', { method: 'POST', body: JSON.stringify({ status: 500, nth: 1, path: '/bot/build' }) });
      assert.equal(added.status, 201);
      await added.arrayBuffer();
      assert.equal((await send('POST', '/bot/build')).status, 500);
      assert.equal((await send('POST', '/bot/build')).status, 200);
    });
  });

  describe('the request rate', () => {
    it('is the most requests whose arrival falls in any 1,000 ms, start included, end excluded', async () => {
      assert.equal(emulator.maxRequestsPerSecond(), 0);
      // 400..1399 holds 400, 999, 1000, 1001, 1002 but not 1400: five, where an inclusive end would count six.
      for (const offset of [0, 400, 999, 1000, 1001, 1002, 1400, 2500]) {
        clock = START_MS + offset;
        await (await send('GET', '/bot')).arrayBuffer();
      }
      assert.equal(emulator.maxRequestsPerSecond(), 5);
      assert.deepEqual(await (await control('/rate')).json(), { maxPerSecond: 5 });
    });

    it('counts every recorded request, refused and faulted ones too, in any order of arrival', async () => {
      emulator.fault({ path: '/bot/build', status: 429, afterAuth: true });
      for (const [offset, headers] of [
        [900, signed()],
        [100, {}],
        [500, signed()],
        [1200, signed()],
      ] as const) {
        clock = START_MS + offset;
        await (await send('POST', '/bot/build', undefined, headers)).arrayBuffer();
      }
      assert.equal(emulator.maxRequestsPerSecond(), 3);
    });

    it('starts again from zero when the requests are cleared', async () => {
      for (let i = 0; i < 4; i++) await (await send('GET', '/bot/flows')).arrayBuffer();
      assert.equal(emulator.maxRequestsPerSecond(), 4);
      emulator.clearRequests();
      assert.equal(emulator.maxRequestsPerSecond(), 0);
      await (await send('GET', '/bot/flows')).arrayBuffer();
      await (await control('/requests', { method: 'DELETE' })).arrayBuffer();
      assert.deepEqual(await (await control('/rate')).json(), { maxPerSecond: 0 });
    });
  });

  it('adds the configured latency to the new endpoints too', async () => {
    await startWith({ latencyMs: 60 });
    for (const [method, path, body] of [
      ['POST', '/bot/flows', { name: 'Slow', content: 'start:' }],
      ['PUT', `/bot/flows/${onboarding}`, { content: 'start:' }],
      ['DELETE', `/bot/flows/${onboarding}`, undefined],
      ['POST', '/bot/build', undefined],
      ['GET', '/bot/build', undefined],
    ] as const) {
      const start = Date.now();
      const response = await send(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status}`);
      await response.arrayBuffer();
      assert.ok(elapsedSince(start) >= 55, `${method} ${path} took ${elapsedSince(start)} ms`);
    }
  });
});
