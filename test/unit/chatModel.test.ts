import * as assert from 'node:assert/strict';
import { botMessage, MAX_SHOWN_CHARACTERS } from '../../src/chat/botMessages';
import { ChatTranscript, MAX_ENTRIES, MAX_KEPT_CHARACTERS } from '../../src/chat/chatTranscript';
import { replyLine } from '../../src/chat/replyLines';

const button = (title: string, payload = title) => ({ content_type: 'button', content: { title, payload, accepts: [title, payload] } });

describe('Bot messages, as the engine sends them', () => {
  it('reads text, pauses and the debug keyword', () => {
    assert.deepEqual(botMessage('text', { text: 'hi' }), { kind: 'text', text: 'hi' });
    assert.deepEqual(botMessage('typing', { duration: 500 }), { kind: 'pause', typing: true, durationMs: 500 });
    assert.deepEqual(botMessage('wait', { duration: 10 }), { kind: 'pause', typing: false, durationMs: 10 });
    assert.deepEqual(botMessage('debug', { args: ['42', { a: 1 }] }), { kind: 'debug', lines: ['42', '{"a":1}'] });
    assert.deepEqual(botMessage('error', { error: 'boom' }), { kind: 'error', text: 'boom' });
  });

  it('reads a question with its buttons, and a button alone', () => {
    assert.deepEqual(botMessage('question', { title: 'Size?', buttons: [button('Small', 'S'), button('Large')] }), {
      kind: 'question',
      title: 'Size?',
      buttons: [
        { title: 'Small', payload: 'S' },
        { title: 'Large', payload: 'Large' },
      ],
    });
    assert.deepEqual(botMessage('question', { buttons: [button('Go')] }), { kind: 'question', buttons: [{ title: 'Go', payload: 'Go' }] });
    assert.deepEqual(botMessage('button', { title: 'hello', payload: 'test', accepts: ['toto'] }), {
      kind: 'question',
      buttons: [{ title: 'hello', payload: 'test' }],
    });
  });

  it('shows images from https only, and links for the rest', () => {
    assert.deepEqual(botMessage('image', { url: 'https://example.com/a.png' }), {
      kind: 'image',
      url: 'https://example.com/a.png',
      showable: true,
    });
    assert.equal((botMessage('image', { url: 'http://example.com/a.png' }) as { showable: boolean }).showable, false);
    assert.equal((botMessage('image', { url: 'javascript:alert(1)' }) as { showable: boolean }).showable, false);
    assert.deepEqual(botMessage('url', { url: 'https://x.dev', text: 'x', title: 'X' }), {
      kind: 'link',
      media: 'url',
      url: 'https://x.dev',
      text: 'X',
    });
    assert.deepEqual(botMessage('file', { url: 'https://x.dev/f.pdf' }), {
      kind: 'link',
      media: 'file',
      url: 'https://x.dev/f.pdf',
      text: 'https://x.dev/f.pdf',
    });
  });

  it('keeps anything else, or anything malformed, as its JSON', () => {
    assert.deepEqual(botMessage('carousel', { cards: [] }), { kind: 'other', contentType: 'carousel', json: '{\n  "cards": []\n}' });
    assert.equal(botMessage('text', { text: 42 }).kind, 'other');
    assert.equal(botMessage('question', { buttons: [{ nope: true }] }).kind, 'other');
    assert.equal(botMessage('typing', { duration: -1 }).kind, 'other');
    assert.deepEqual(botMessage('mystery', undefined), { kind: 'other', contentType: 'mystery', json: 'null' });
  });

  it('keeps markup as text, and cuts a reply of 1 MB with how much was left out', () => {
    assert.deepEqual(botMessage('text', { text: '<img src=x onerror=alert(1)>' }), { kind: 'text', text: '<img src=x onerror=alert(1)>' });
    const huge = botMessage('text', { text: 'x'.repeat(1024 * 1024) });
    assert.equal(huge.kind, 'text');
    const shown = (huge as { text: string }).text;
    assert.ok(shown.length < MAX_SHOWN_CHARACTERS + 100);
    assert.match(shown, /… \(1,028,576 more characters\)$/);
  });
});

describe('The chat transcript', () => {
  it('follows a message from sending to sent or failed, and the place after each answer', () => {
    const transcript = new ChatTranscript();
    const hello = transcript.userSaid('hello');
    transcript.delivered(hello);
    const answer = transcript.botSaid([{ kind: 'text', text: 'hi' }], false);
    transcript.placeAfter(answer, { flowId: 'id', flowName: 'Default', stepId: 'menu' });
    const lost = transcript.userSaid('are you there?');
    transcript.failed(lost, 'The Studio did not answer');
    transcript.note('Restarted');
    assert.deepEqual(
      transcript.entries.map((entry) => [
        entry.id,
        entry.from,
        entry.from === 'user' ? entry.status : entry.from === 'bot' ? entry.after?.stepId : entry.text,
      ]),
      [
        [1, 'user', 'sent'],
        [2, 'bot', 'menu'],
        [3, 'user', 'failed'],
        [4, 'note', 'Restarted'],
      ],
    );
  });

  it('survives being stored and read back, and leaves out what it did not write', () => {
    const transcript = new ChatTranscript();
    transcript.userSaid('Large', 'L');
    transcript.botSaid([{ kind: 'image', url: 'http://insecure.example/x.png', showable: false }], true);
    const stored = JSON.parse(JSON.stringify(transcript)) as { entries: Array<Record<string, unknown>> };
    // A hand-edited state: a forged image marked showable, and entries of no known shape.
    (stored.entries[1].messages as Array<Record<string, unknown>>)[0].showable = true;
    stored.entries.push(
      { id: 9, from: 'bot', messages: [{ kind: 'html', html: '<b>x</b>' }], ended: false },
      { id: 10, from: 'admin' },
      'junk' as never,
    );
    const restored = ChatTranscript.restore(stored);
    assert.equal(restored.entries.length, 2);
    const [user, bot] = restored.entries;
    assert.deepEqual(
      user.from === 'user' && [user.payload, user.status],
      ['L', 'failed'],
      'a message sending when stored was never answered',
    );
    assert.equal(bot.from === 'bot' && bot.messages[0].kind === 'image' && bot.messages[0].showable, false);
    assert.equal(restored.userSaid('next'), 3);
    assert.equal(ChatTranscript.restore('nonsense').entries.length, 0);
  });

  it('keeps the latest entries, and no more characters than its cap', () => {
    const transcript = new ChatTranscript();
    for (let i = 0; i < MAX_ENTRIES + 50; i++) transcript.note(`note ${i}`);
    assert.equal(transcript.entries.length, MAX_ENTRIES);
    assert.equal(transcript.entries[0].from === 'note' && transcript.entries[0].text, 'note 50');
    for (let i = 0; i < 80; i++) transcript.botSaid([{ kind: 'text', text: 'y'.repeat(20_000) }], false);
    assert.ok(JSON.stringify(transcript.entries).length <= MAX_KEPT_CHARACTERS);
    assert.ok(transcript.entries.length < 80);
  });

  it('keeps what came before one huge answer, counting the messages past its budget', () => {
    const transcript = new ChatTranscript();
    for (let i = 0; i < 10; i++) transcript.userSaid(`turn ${i}`);
    transcript.userSaid('show me');
    const huge = Array.from({ length: 60 }, () => botMessage('text', { text: 'z'.repeat(30_000) }));
    transcript.botSaid(huge, false);
    transcript.botSaid([botMessage('debug', { args: Array.from({ length: 200_000 }, (_, i) => i) })], false);
    const [first, , , , , , , , , , asked, answer, debug] = transcript.entries;
    assert.equal(first.from === 'user' && first.text, 'turn 0');
    assert.equal(asked.from === 'user' && asked.text, 'show me');
    assert.ok(answer.from === 'bot' && answer.messages.length === 9 && answer.leftOut === 51, JSON.stringify(answer).slice(0, 100));
    assert.ok(debug.from === 'bot' && debug.messages[0]?.kind === 'debug' && debug.messages[0].lines.at(-1) === '… (199,900 more)');
    assert.ok(JSON.stringify(transcript.toJSON()).length <= MAX_KEPT_CHARACTERS);
    const bots = (entries: readonly { from: string }[]) => entries.filter((entry) => entry.from === 'bot');
    assert.deepEqual(bots(ChatTranscript.restore(transcript.toJSON()).entries), bots(transcript.entries));
  });

  it('shows a question whose button payload is too long to keep as its JSON, not as a button', () => {
    const message = botMessage('question', { title: 'Pick', buttons: [button('A', 'p'.repeat(MAX_SHOWN_CHARACTERS + 1))] });
    assert.equal(message.kind, 'other');
  });
});

describe('Bot messages in a plain-text transcript', () => {
  it('reads as a person would, with pauses left out', () => {
    const lines = [
      botMessage('typing', { duration: 500 }),
      botMessage('text', { text: 'You said: hi' }),
      botMessage('debug', { args: ['flow Default, step menu'] }),
      botMessage('question', { title: 'Go on?', buttons: [button('Next', 'next'), button('Stop', 'stop')] }),
      botMessage('url', { url: 'https://x.dev', title: 'X' }),
      botMessage('carousel', { cards: [1] }),
    ].map(replyLine);
    assert.deepEqual(lines, [
      undefined,
      'You said: hi',
      '[debug] flow Default, step menu',
      'Go on? [Next] [Stop]',
      '[url] X <https://x.dev>',
      '[carousel] { "cards": [ 1 ] }',
    ]);
  });
});
