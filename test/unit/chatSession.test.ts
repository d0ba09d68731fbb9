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
      defaultFlow: async () => 'Default',
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
    await chat.retry('chat-cy', lost.id);
    assert.deepEqual(chat.transcript.entries.map(summary), ['user are you there? sent', 'bot pause,text,debug,question at start']);
  });

  it('restarts from the default flow, and says so when that fails', async () => {
    const { chat } = session();
    await chat.restart('chat-dee');
    const trigger = JSON.parse(harness.emulator.requests.at(-2)?.body ?? '{}') as { payload: unknown };
    assert.deepEqual(trigger.payload, { content_type: 'flow_trigger', content: { flow_id: 'Default', close_flows: true } });
    assert.deepEqual(chat.transcript.entries.map(summary), [
      'note Restarted from the default flow',
      'bot pause,text,debug,question at start',
    ]);

    const broken = new ChatSession(new ChatTranscript(), {
      chat: (userId, payload) => harness.client().chat(userId, payload),
      placeOf: async () => undefined,
      defaultFlow: async () => 'NoSuchFlow',
    });
    await broken.restart('chat-dee');
    assert.match(
      broken.transcript.entries.map(summary).at(-1) ?? '',
      /^note The restart failed: The Studio refused POST \/chat \(HTTP 400\)/,
    );
  });
});
