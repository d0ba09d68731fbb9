import * as assert from 'node:assert/strict';
import { ChatSession } from '../../src/chat/chatSession';
import { ChatTranscript, TranscriptEntry } from '../../src/chat/chatTranscript';
import { sampleFlowId } from '../emulator/fixtures';
import { harnessForSuite } from '../support/studioHarness';

describe('A test chat, against the emulator', () => {
  const harness = harnessForSuite();

  function session(): { chat: ChatSession; changes: () => number } {
    const client = harness.client();
    let changes = 0;
    const chat = new ChatSession(new ChatTranscript(), {
      chat: (userId, payload) => client.chat(userId, payload),
      placeOf: async (userId) => {
        const answer = await client.openConversation(userId);
        return answer.hasOpen ? { flowId: answer.conversation.flowId, stepId: answer.conversation.stepId } : undefined;
      },
      defaultFlow: async () => ({ id: 'Default', name: 'Default' }),
      changed: () => void changes++,
    });
    return { chat, changes: () => changes };
  }

  const summary = (entry: TranscriptEntry) =>
    entry.from === 'user'
      ? `user ${entry.text} ${entry.status}`
      : entry.from === 'bot'
        ? `bot ${entry.messages.map((message) => message.kind).join(',')}${entry.ended ? ' ended' : ''} at ${entry.after?.stepId ?? '-'}`
        : `note ${entry.text}`;

  it('sends a text, shows the answer by kind, and the step after it', async () => {
    const { chat, changes } = session();
    await chat.send('chat-ann', 'hello');
    assert.deepEqual(chat.transcript.entries.map(summary), ['user hello sent', 'bot pause,text,debug,question at start']);
    const [, bot] = chat.transcript.entries;
    assert.equal(bot.from === 'bot' && bot.after?.flowId, sampleFlowId('Default'));
    assert.ok(changes() >= 3, 'the view was not told of each change');
  });

  it('sends a clicked button as its payload, and ends with the bot', async () => {
    const { chat } = session();
    await chat.send('chat-ben', 'hi');
    const [, answer] = chat.transcript.entries;
    const question = answer.from === 'bot' ? answer.messages.find((message) => message.kind === 'question') : undefined;
    const stop = question?.kind === 'question' ? question.buttons.find((button) => button.payload === 'stop') : undefined;
    assert.ok(stop);
    await chat.click('chat-ben', stop);
    const sent = JSON.parse(harness.emulator.requests.at(-1)?.body ?? '{}') as { payload: unknown };
    assert.deepEqual(sent.payload, { content_type: 'payload', content: { payload: 'stop' } });
    assert.deepEqual(chat.transcript.entries.slice(2).map(summary), ['user Stop sent', 'bot pause,text,text ended at -']);
  });

  it('keeps a message the Studio failed to take, marked not delivered, and sends it again on retry', async () => {
    const { chat } = session();
    harness.emulator.fault({ path: '/chat', status: 500, times: 1 });
    await chat.send('chat-cy', 'are you there?');
    const [lost] = chat.transcript.entries;
    assert.equal(lost.from === 'user' && lost.status, 'failed');
    assert.match(lost.from === 'user' ? (lost.error ?? '') : '', /HTTP 500/);
    await chat.send('chat-cy', 'hello?');
    // Retried while another user is pinned: it goes as the user who wrote it, and to the end of the log.
    await chat.retry('someone-else', lost.id);
    assert.deepEqual(chat.transcript.entries.map(summary), [
      'user hello? sent',
      'bot pause,text,debug,question at start',
      'user are you there? sent',
      'bot pause,text,debug,question at menu',
    ]);
    const senders = harness.emulator.requests
      .filter((request) => request.path === '/chat')
      .map((request) => (JSON.parse(request.body) as { client: { user_id: string } }).client.user_id);
    assert.deepEqual(senders, ['chat-cy', 'chat-cy', 'chat-cy']);
    assert.equal(await chat.retry('chat-cy', lost.id), undefined, 'a message already sent again is not sent twice');
  });

  it("returns the bot's messages from a turn, and nothing from one that did not reach it", async () => {
    const { chat } = session();
    const answer = await chat.send('chat-eve', 'hello');
    assert.deepEqual(
      answer?.map((message) => message.kind),
      ['pause', 'text', 'debug', 'question'],
    );
    harness.emulator.fault({ path: '/chat', status: 503, times: 1 });
    assert.equal(await chat.send('chat-eve', 'again'), undefined);
  });

  it('takes turns one at a time, in the order they were asked for', async () => {
    const { chat } = session();
    harness.emulator.fault({ path: '/chat', delayMs: 300, times: 1 });
    const first = chat.send('chat-fay', 'one');
    const second = chat.send('chat-fay', 'two');
    assert.deepEqual(
      chat.transcript.entries.map(summary),
      ['user one sending', 'user two sending'],
      'both messages show at once, before any answer',
    );
    await Promise.all([first, second]);
    const sent = harness.emulator.requests
      .filter((request) => request.path === '/chat')
      .map((request) => (JSON.parse(request.body) as { payload: { content: { text: string } } }).payload.content.text);
    assert.deepEqual(sent, ['one', 'two']);
    const echoes = chat.transcript.entries.flatMap((entry) =>
      entry.from === 'bot' ? entry.messages.flatMap((message) => (message.kind === 'text' ? [message.text] : [])) : [],
    );
    assert.deepEqual(echoes, ['You said: one', 'You said: two'], 'the slow first answer came after the second');
  });

  it('starts a flow by id and notes it by name; a flow the Studio does not have is said, not thrown', async () => {
    const { chat } = session();
    const answer = await chat.startFlow('chat-gus', { id: sampleFlowId('Onboarding'), name: 'Onboarding' });
    assert.ok(answer);
    const trigger = harness.emulator.requests.find((request) => request.path === '/chat');
    assert.deepEqual((JSON.parse(trigger?.body ?? '{}') as { payload: unknown }).payload, {
      content_type: 'flow_trigger',
      content: { flow_id: sampleFlowId('Onboarding'), close_flows: true },
    });
    assert.equal(await chat.startFlow('chat-gus', { id: 'gone', name: 'Gone' }), undefined);
    assert.deepEqual(chat.transcript.entries.map(summary).slice(-2), [
      'note Start flow Gone',
      'note Starting Gone failed: the Studio refused to start Gone (HTTP 400); check that it is deployed, then try again.',
    ]);
  });

  it('restarts from the default flow, and says so when that fails', async () => {
    const { chat } = session();
    await chat.restart('chat-dee');
    const trigger = JSON.parse(harness.emulator.requests.at(-2)?.body ?? '{}') as { payload: unknown };
    assert.deepEqual(trigger.payload, { content_type: 'flow_trigger', content: { flow_id: 'Default', close_flows: true } });
    assert.deepEqual(chat.transcript.entries.map(summary), [
      'note Restart from the default flow, Default',
      'bot pause,text,debug,question at start',
    ]);

    const broken = new ChatSession(new ChatTranscript(), {
      chat: (userId, payload) => harness.client().chat(userId, payload),
      placeOf: async () => undefined,
      defaultFlow: async () => ({ id: 'NoSuchFlow', name: 'NoSuchFlow' }),
    });
    await broken.restart('chat-dee');
    assert.match(
      broken.transcript.entries.map(summary).at(-1) ?? '',
      /^note The restart failed: the Studio refused to start NoSuchFlow \(HTTP 400\)/,
    );
  });
});
