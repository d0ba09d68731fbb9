import * as assert from 'node:assert/strict';
import { parseChatAnswer, replyText } from '../../src/studio/chat';
import { SchemaError } from '../../src/studio/schema';

describe('chat answers', () => {
  it('reads the documented answer and shows text as text, anything else as compact JSON', () => {
    const answer = parseChatAnswer({
      request_id: 'r',
      messages: [
        { conversation_id: 'c', direction: 'SEND', interaction_order: 0, payload: { content_type: 'text', content: { text: 'Hi!' } } },
        { payload: { content_type: 'question', content: { title: 'Size?', buttons: [{ title: 'L' }] } } },
      ],
      conversation_end: true,
    });
    assert.equal(answer.conversationEnd, true);
    assert.deepEqual(answer.messages.map(replyText), ['Hi!', '[question] {"title":"Size?","buttons":[{"title":"L"}]}']);
  });

  it('rejects answers without messages or payload types', () => {
    assert.throws(() => parseChatAnswer({}), SchemaError);
    assert.throws(() => parseChatAnswer({ messages: [{ payload: {} }] }), /content_type/);
  });
});
