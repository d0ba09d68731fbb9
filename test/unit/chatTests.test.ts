import * as assert from 'node:assert/strict';
import { BotMessage } from '../../src/chat/botMessages';
import { checkAnswer } from '../../src/chattests/answerCheck';
import { ChatSession } from '../../src/chat/chatSession';
import { ChatTranscript } from '../../src/chat/chatTranscript';
import { MAX_TURNS, readChatTest } from '../../src/chattests/chatTestFile';
import { chatTestText, testFileNameProblem, testFromTranscript } from '../../src/chattests/testFromTranscript';
import { ChatTestDeps, runChatTest } from '../../src/chattests/chatTestRun';
import { studioChatTestDeps } from '../../src/chattests/studioChatTestDeps';
import { BoundedRegex } from '../../src/common/boundedRegex';
import { sampleFlowId } from '../emulator/fixtures';
import { harnessForSuite } from '../support/studioHarness';

describe('Conversations kept as tests', () => {
  describe('the file', () => {
    it('reads each kind of turn and expectation', () => {
      const text = JSON.stringify({
        name: 'Orders a pizza',
        turns: [
          {
            startFlow: 'OrderPizza',
            expect: ['Starting flow OrderPizza.', { any: true }, { buttons: ['Next', 'Stop'] }],
            flow: 'OrderPizza',
            step: 'start',
          },
          { send: 'large', expect: [{ matches: '^you said', flags: 'i' }] },
          { click: 'Stop', ended: true },
          { payload: 'next' },
        ],
      });
      const { test, problems } = readChatTest(text, 'tests/order.chat.json');
      assert.deepEqual(problems, []);
      assert.equal(test?.name, 'Orders a pizza');
      assert.deepEqual(
        test?.turns.map(({ action, expect, flow, step, ended }) => ({ action, expect, flow, step, ended })),
        [
          {
            action: { kind: 'startFlow', flow: 'OrderPizza' },
            expect: [{ kind: 'exact', text: 'Starting flow OrderPizza.' }, { kind: 'any' }, { kind: 'buttons', titles: ['Next', 'Stop'] }],
            flow: 'OrderPizza',
            step: 'start',
            ended: undefined,
          },
          {
            action: { kind: 'text', text: 'large' },
            expect: [{ kind: 'matches', pattern: '^you said', flags: 'i' }],
            flow: undefined,
            step: undefined,
            ended: undefined,
          },
          { action: { kind: 'click', title: 'Stop' }, expect: undefined, flow: undefined, step: undefined, ended: true },
          { action: { kind: 'payload', payload: 'next' }, expect: undefined, flow: undefined, step: undefined, ended: undefined },
        ],
      );
      const second = test?.turns[1];
      assert.equal(
        text.slice(second?.offset, (second?.offset ?? 0) + (second?.length ?? 0)),
        JSON.stringify({ send: 'large', expect: [{ matches: '^you said', flags: 'i' }] }),
      );
    });

    it('names the test after its file when it has no name', () => {
      assert.equal(readChatTest('{"turns": [{"send": "hi"}]}', '/work/bot/tests/greets.chat.json').test?.name, 'greets');
    });

    it('says what is wrong, and where, for a malformed file, keeping the turns it can read', () => {
      const text =
        '{"turns": [{"send": "hi"}, {"send": "a", "click": "b"}, {"say": "x"}, {"send": "ok", "expect": [{"matches": 3}]}, 7], "extra": 1}';
      const { test, problems } = readChatTest(text, 'x.chat.json');
      assert.deepEqual(
        test?.turns.map((turn) => turn.index),
        [0],
      );
      const where = problems.map(
        (problem) => `${text.slice(problem.offset, problem.offset + Math.min(problem.length, 12))} | ${problem.message}`,
      );
      assert.deepEqual(where, [
        '"extra" | Unknown field "extra": a chat test has "name" and "turns".',
        '{"send": "a" | A turn does one thing; this one has "send" and "click".',
        '"say" | Unknown field "say": a turn has one of "send", "click", "payload", "startFlow", and "expect", "flow", "step" or "ended".',
        '{"say": "x"} | A turn needs what the user does: "send", "click", "payload" or "startFlow".',
        '{"matches":  | A message is expected as its exact text, {"matches": "regular expression", "flags": "i"}, {"any": true} or {"buttons": ["Yes", "No"]}.',
        '7 | A turn is an object such as {"send": "hello", "expect": ["Hi!"]}.',
      ]);
    });

    it('refuses what is not JSON, or not a test, with a sentence', () => {
      const broken = readChatTest('{"turns": [{"send": "hi"},]}', 'x.chat.json');
      assert.equal(broken.test, undefined);
      assert.match(broken.problems[0]?.message ?? '', /^The file is not valid JSON here: /);
      assert.deepEqual(
        readChatTest('[]', 'x').problems.map((p) => p.message),
        ['A chat test is a JSON object with "turns".'],
      );
      assert.deepEqual(
        readChatTest('', 'x').problems.map((p) => p.message),
        ['The file is empty.'],
      );
      assert.match(readChatTest('{"name": "n"}', 'x').problems[0]?.message ?? '', /needs "turns"/);
    });

    it('refuses a test of 10,000 turns, with how to fix it', () => {
      const text = JSON.stringify({ turns: Array.from({ length: 10_000 }, (_, index) => ({ send: `turn ${index}` })) });
      const { test, problems } = readChatTest(text, 'long.chat.json');
      assert.equal(test, undefined);
      const marked = text.slice(problems[0]?.offset, (problems[0]?.offset ?? 0) + (problems[0]?.length ?? 0));
      assert.ok(marked === '{"send":"turn 1000"}', `marked ${marked.length} characters`);
      assert.equal(
        problems[0]?.message,
        `A chat test has at most ${MAX_TURNS.toLocaleString('en')} turns (this one has 10,000); split it into several files.`,
      );
    });
  });

  it('names test files safely', () => {
    assert.equal(testFileNameProblem('order a pizza'), undefined);
    assert.equal(testFileNameProblem('größe-1.2_b'), undefined);
    for (const bad of ['', '../escape', 'a/b', 'a\\b', '.hidden', 'ends.', 'NUL', 'com1.x', 'x'.repeat(101), 'tab\there']) {
      assert.ok(testFileNameProblem(bad), bad);
    }
  });

  it('says in the file what only a run would have found: unusable patterns and flags, keys given twice', () => {
    const text = JSON.stringify({
      $schema: 5,
      turns: [{ send: 'a', expect: [{ matches: '(' }, { matches: 'x', flags: 'gi' }, { matches: 'x', flags: 'ii' }] }],
    }).replace('{"send":"a"', '{"send":"a","send":"b"');
    const { problems } = readChatTest(text, 'x.chat.json');
    assert.deepEqual(
      problems.map((problem) => problem.message.replace(/: .*$/, '')),
      [
        '"$schema" is the address of a schema, a string.',
        '"send" is given twice; keep one.',
        'This regular expression cannot be used',
        'This regular expression cannot be used',
        'This regular expression cannot be used',
      ],
    );
  });

  it('refuses a file too large to be a test before reading it', () => {
    const { problems } = readChatTest(`{"turns": [${'{"send": "x"},'.repeat(200_000)}]}`, 'huge.chat.json');
    assert.match(problems[0]?.message ?? '', /^The file is larger than a chat test can be \(2 MB\)/);
  });

  describe('checking an answer', () => {
    const regex = new BoundedRegex(100);
    const answer: BotMessage[] = [
      { kind: 'pause', typing: true, durationMs: 500 },
      { kind: 'text', text: 'You said: hi' },
      {
        kind: 'question',
        title: 'Go on?',
        buttons: [
          { title: 'Next', payload: 'next' },
          { title: 'Stop', payload: 'stop' },
        ],
      },
    ];

    after(() => regex.dispose());

    it('passes exact texts, matches, anything and buttons by title, pauses left out', async () => {
      assert.deepEqual((await checkAnswer(['You said: hi', { buttons: ['Next', 'Stop'] }].map(toExpectation), answer, regex)).problems, []);
      assert.deepEqual(
        (await checkAnswer([{ kind: 'matches', pattern: 'said: \\w+$', flags: '' }, { kind: 'any' }], answer, regex)).problems,
        [],
      );
    });

    it('shows a mismatch as a diff whose matched lines are the same on both sides', async () => {
      const check = await checkAnswer(
        [{ kind: 'exact', text: 'You said: hi' }, { kind: 'buttons', titles: ['Yes', 'No'] }, { kind: 'any' }],
        answer,
        regex,
      );
      assert.deepEqual(check.problems, [
        'Expected 3 messages, the bot sent 2.',
        'Message 2: expected the buttons Yes, No, got Next, Stop.',
      ]);
      assert.equal(check.expected, 'You said: hi\n[Yes] [No]\n(any message)');
      assert.equal(check.actual, 'You said: hi\nGo on? [Next] [Stop]');
    });

    it("stops pathological regular expressions off the caller's thread, failing those expectations", async () => {
      const slow: BotMessage[] = Array.from({ length: 5 }, () => ({ kind: 'text', text: `${'a'.repeat(40)}!` }));
      // The caller's event loop keeps turning while the worker backtracks: ticks go on every 10 ms.
      let ticks = 0;
      const ticking = setInterval(() => void ticks++, 10);
      const started = Date.now();
      const check = await checkAnswer(
        slow.map(() => ({ kind: 'matches', pattern: '^(a+)+$', flags: '' })),
        slow,
        regex,
      );
      clearInterval(ticking);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5_000, `the matches were not stopped (${elapsed} ms)`);
      assert.ok(ticks >= elapsed / 10 / 3, `the event loop stalled: ${ticks} ticks in ${elapsed} ms`);
      assert.equal(check.problems.length, 5);
      assert.match(check.problems[0] ?? '', /^Message 1: \/\^\(a\+\)\+\$\/ took more than \d+ ms and was stopped; simplify it\.$/);
      // The worker ended by the time limit is replaced: the next match works.
      assert.deepEqual((await checkAnswer([{ kind: 'matches', pattern: '!$', flags: '' }], slow.slice(0, 1), regex)).problems, []);
    });

    it('says when a pattern or its flags cannot be used, quoting at most 200 characters of it', async () => {
      const one: BotMessage[] = [{ kind: 'text', text: 'x' }];
      assert.match(
        (await checkAnswer([{ kind: 'matches', pattern: '(', flags: '' }], one, regex)).problems[0] ?? '',
        /is not a valid regular expression/,
      );
      assert.match(
        (await checkAnswer([{ kind: 'matches', pattern: 'a', flags: 'g' }], one, regex)).problems[0] ?? '',
        /flags may only be i, m, s and u/,
      );
      const long = await checkAnswer([{ kind: 'matches', pattern: `(${'y'.repeat(100_000)}`, flags: '' }], one, regex);
      assert.ok((long.problems[0]?.length ?? 0) < 700, `a message of ${long.problems[0]?.length} characters`);
    });
  });

  describe('a run against the emulator', () => {
    const harness = harnessForSuite();
    const deps = (): ChatTestDeps => {
      const client = harness.client();
      return studioChatTestDeps(client, () => client.getFlows());
    };
    const run = (text: string, userId = `run-${Math.random().toString(16).slice(2)}`) => {
      const { test } = readChatTest(text, 't.chat.json');
      assert.ok(test);
      return runChatTest(test, deps(), { userId, signal: new AbortController().signal });
    };

    it('passes a conversation that goes as written, starting, typing and clicking', async () => {
      const result = await run(
        JSON.stringify({
          turns: [
            {
              startFlow: 'OrderPizza',
              expect: ['Starting flow OrderPizza.', { matches: '^\\[debug\\]' }, { buttons: ['Next', 'Stop'] }],
              flow: 'OrderPizza',
              step: 'start',
            },
            { send: 'large', expect: ['You said: large', { any: true }, { any: true }], step: 'choose_size' },
            { click: 'Stop', expect: ['You chose: stop', 'Goodbye!'], ended: true },
          ],
        }),
      );
      assert.deepEqual(
        result.turns.map((turn) => `${turn.status}${turn.message ? `: ${turn.message}` : ''}`),
        ['passed', 'passed', 'passed'],
      );
      assert.equal(result.status, 'passed');
      const trigger = harness.emulator.requests.find((request) => request.path === '/chat');
      assert.deepEqual((JSON.parse(trigger?.body ?? '{}') as { payload: unknown }).payload, {
        content_type: 'flow_trigger',
        content: { flow_id: sampleFlowId('OrderPizza'), close_flows: true },
      });
    });

    it('fails at the first turn that differs, with both answers, and skips the rest', async () => {
      const result = await run(
        JSON.stringify({ turns: [{ send: 'hi', expect: ['Hello!', { any: true }, { any: true }], step: 'nowhere' }, { send: 'again' }] }),
      );
      assert.equal(result.status, 'failed');
      const [first, second] = result.turns;
      assert.equal(first?.status, 'failed');
      assert.match(
        first?.message ?? '',
        /^Message 1: expected "Hello!", got "You said: hi"\. Expected the user at step nowhere, found Default · start\.$/,
      );
      assert.equal(first?.expected?.split('\n')[0], 'Hello!');
      assert.equal(first?.actual?.split('\n')[0], 'You said: hi');
      assert.equal(second?.status, 'skipped');
    });

    it('fails a test that names a flow or a button the bot does not have, or expects a flow it lacks', async () => {
      const noFlow = await run(JSON.stringify({ turns: [{ startFlow: 'NoSuchFlow' }] }));
      assert.equal(noFlow.turns[0]?.message, 'The bot has no flow named "NoSuchFlow"; deploy it, or correct the name.');
      const noButton = await run(JSON.stringify({ turns: [{ send: 'hi' }, { click: 'Maybe' }] }));
      assert.equal(noButton.turns[1]?.message, 'The bot\'s previous answer has no button "Maybe"; it offered "Next", "Stop".');
      const expectsNoFlow = await run(JSON.stringify({ turns: [{ send: 'hi', flow: 'Elsewhere' }] }));
      assert.equal(expectsNoFlow.turns[0]?.message, 'The test expects flow "Elsewhere", which the bot does not have.');
      assert.equal(harness.emulator.requests.filter((request) => request.path === '/chat').length, 2, 'only the two "hi" turns were sent');
    });

    it('saves a Test Chat session as a test that passes when replayed as a new user', async () => {
      const client = harness.client();
      const found = deps();
      const session = new ChatSession(new ChatTranscript(), {
        chat: (userId, payload) => client.chat(userId, payload),
        placeOf: (userId) => found.placeOf(userId, new AbortController().signal),
        defaultFlow: async () => ({ id: sampleFlowId('Default'), name: 'Default' }),
      });
      await session.send('saver', 'before the restart');
      await session.restart('saver');
      await session.send('saver', 'large');
      harness.emulator.fault({ path: '/chat', status: 500, times: 1 });
      await session.send('saver', 'lost on the way');
      const last = session.transcript.entries.filter((entry) => entry.from === 'bot').at(-1);
      const question = last?.from === 'bot' ? last.messages.find((message) => message.kind === 'question') : undefined;
      assert.ok(question?.kind === 'question');
      await session.click('saver', question.buttons[1]);

      const saved = testFromTranscript(session.transcript.entries, 'Restart and stop');
      assert.deepEqual(saved, {
        name: 'Restart and stop',
        turns: [
          {
            startFlow: 'Default',
            expect: ['Starting flow Default.', '[debug] flow Default, step start', 'Now in flow Default, step start. Go on? [Next] [Stop]'],
            flow: 'Default',
            step: 'start',
          },
          {
            send: 'large',
            expect: ['You said: large', '[debug] flow Default, step menu', 'Now in flow Default, step menu. Go on? [Next] [Stop]'],
            flow: 'Default',
            step: 'menu',
          },
          { click: 'Stop', expect: ['You chose: stop', 'Goodbye!'], ended: true },
        ],
      });
      const replayed = await run(chatTestText(saved ?? { name: '', turns: [] }));
      assert.deepEqual(
        replayed.turns.map((turn) => `${turn.status}${turn.message ? `: ${turn.message}` : ''}`),
        ['passed', 'passed', 'passed'],
      );
    });

    it('saves a click as a payload when its title names two buttons, an answer cut short with any message for each left out, and starts after a change of user', () => {
      const transcript = new ChatTranscript();
      transcript.note('Now talking as old', { newSession: true });
      transcript.userSaid('earlier', undefined, 'old');
      transcript.botSaid([{ kind: 'text', text: 'ok' }], false, 'old');
      transcript.note('Now talking as ann', { newSession: true });
      transcript.userSaid('hi', undefined, 'ann');
      transcript.botSaid(
        [
          { kind: 'question', title: 'Size?', buttons: [{ title: 'Yes', payload: 'size-yes' }] },
          { kind: 'question', title: 'Drink?', buttons: [{ title: 'Yes', payload: 'drink-yes' }] },
        ],
        false,
        'ann',
      );
      transcript.userSaid('Yes', 'drink-yes', 'ann');
      transcript.delivered(transcript.entries.at(-1)?.id ?? 0);
      const huge = Array.from({ length: 12 }, () => ({ kind: 'text' as const, text: 'z'.repeat(19_000) }));
      transcript.botSaid(huge, false, 'ann');
      for (const entry of transcript.entries) if (entry.from === 'user') transcript.delivered(entry.id);
      const saved = testFromTranscript(transcript.entries, 'x');
      assert.deepEqual(
        saved?.turns.map((turn) => ({
          ...turn,
          expect: turn.expect?.map((line) => (typeof line === 'string' ? line.slice(0, 10) : line)),
        })),
        [
          { send: 'hi', expect: ['Size? [Yes', 'Drink? [Ye'] },
          { payload: 'drink-yes', expect: [...Array.from({ length: 10 }, () => 'zzzzzzzzzz'), { any: true }, { any: true }] },
        ],
      );
    });

    it('stops at once when cancelled, the turns not run marked skipped', async () => {
      const stop = new AbortController();
      harness.emulator.fault({ path: '/chat', delayMs: 400, times: 1 });
      const { test } = readChatTest(JSON.stringify({ turns: [{ send: 'one' }, { send: 'two' }, { send: 'three' }] }), 't.chat.json');
      assert.ok(test);
      const running = runChatTest(test, deps(), { userId: 'cancelled-run', signal: stop.signal });
      setTimeout(() => stop.abort(), 100);
      const result = await running;
      assert.equal(result.cancelled, true);
      assert.deepEqual(
        result.turns.map((turn) => turn.status),
        ['skipped', 'skipped', 'skipped'],
      );
      assert.equal(harness.emulator.requests.filter((r) => r.path === '/chat').length, 1);
    });

    it('marks a test errored, not failed, when the Studio fails mid-test', async () => {
      harness.emulator.fault({ path: '/chat', status: 500, nth: 2 });
      const result = await run(JSON.stringify({ turns: [{ send: 'one' }, { send: 'two' }, { send: 'three' }] }));
      assert.equal(result.status, 'errored');
      assert.deepEqual(
        result.turns.map((turn) => turn.status),
        ['passed', 'errored', 'skipped'],
      );
      assert.match(result.turns[1]?.message ?? '', /^The Studio failed: .*HTTP 500/);
    });
  });
});

function toExpectation(value: string | { buttons: string[] }) {
  return typeof value === 'string' ? ({ kind: 'exact', text: value } as const) : ({ kind: 'buttons', titles: value.buttons } as const);
}
