import * as assert from 'node:assert/strict';
import { parseBot, parseFlows, parseOpenConversationAnswer, SchemaError } from '../../src/studio/schema';

const documented = {
  has_open: true,
  conversation: {
    id: '43d5939f-4afc-4953-9e53-4c28b33cedd8',
    client: { channel_id: 'dd446008-3768-41df-9be9-f6ea0371f920', user_id: 'some-user-id', bot_id: 'b797a3b6-ad8c-446c-acfe-dfcafd787f4e' },
    flow_id: '31c2c4b0-05d6-44ce-9442-e87e9ae7e8a2',
    step_id: 'start',
    metadata: { somekey: 'somevalue' },
    status: 'OPEN',
    last_interaction_at: '2019-11-16T19:57:42.219Z',
    created_at: '2019-11-16T19:57:42.219Z',
  },
};

function malformed(body: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseOpenConversationAnswer(body),
    (error: unknown) => error instanceof SchemaError && pattern.test(error.message),
  );
}

describe('parseOpenConversationAnswer', () => {
  it('reads the documented answer', () => {
    const answer = parseOpenConversationAnswer(documented);
    assert.ok(answer.hasOpen);
    assert.equal(answer.conversation.flowId, '31c2c4b0-05d6-44ce-9442-e87e9ae7e8a2');
    assert.equal(answer.conversation.stepId, 'start');
    assert.equal(answer.conversation.status, 'OPEN');
    assert.deepEqual(answer.conversation.metadata, { somekey: 'somevalue' });
    assert.equal(answer.conversation.client?.botId, 'b797a3b6-ad8c-446c-acfe-dfcafd787f4e');
    assert.equal(answer.conversation.lastInteractionAt, '2019-11-16T19:57:42.219Z');
    assert.deepEqual(answer.conversation.extra, {});
  });

  it('accepts every form of "no open conversation"', () => {
    for (const body of [{ has_open: false, conversation: null }, { has_open: false }, { has_open: false, conversation: {} }]) {
      assert.deepEqual(parseOpenConversationAnswer(body), { hasOpen: false }, JSON.stringify(body));
    }
  });

  it('keeps fields it does not know instead of failing on them', () => {
    const body = {
      ...documented,
      conversation: { ...documented.conversation, updated_at: '2020-01-01T00:00:00Z', expires_at: null, nested: { a: [1] } },
    };
    const answer = parseOpenConversationAnswer(body);
    assert.ok(answer.hasOpen);
    assert.deepEqual(answer.conversation.extra, { updated_at: '2020-01-01T00:00:00Z', expires_at: null, nested: { a: [1] } });
  });

  it('accepts metadata of any JSON type, and missing metadata as null', () => {
    for (const metadata of ['text', [1, 2], null, 42, { deep: { deeper: {} } }]) {
      const answer = parseOpenConversationAnswer({ has_open: true, conversation: { ...documented.conversation, metadata } });
      assert.ok(answer.hasOpen);
      assert.deepEqual(answer.conversation.metadata, metadata);
    }
    const { metadata: _unused, ...withoutMetadata } = documented.conversation;
    const answer = parseOpenConversationAnswer({ has_open: true, conversation: withoutMetadata });
    assert.ok(answer.hasOpen && answer.conversation.metadata === null);
  });

  it('keeps dates that do not parse as they came', () => {
    const answer = parseOpenConversationAnswer({
      has_open: true,
      conversation: { ...documented.conversation, created_at: 'yesterday-ish' },
    });
    assert.ok(answer.hasOpen && answer.conversation.createdAt === 'yesterday-ish');
  });

  it('rejects answers that are not the documented shape, saying which field is wrong', () => {
    malformed(null, /null, not an object/);
    malformed([documented], /an array, not an object/);
    malformed('ok', /a string, not an object/);
    malformed({}, /has_open is missing/);
    malformed({ has_open: 'true', conversation: documented.conversation }, /has_open is a string/);
    malformed({ has_open: true }, /conversation is missing/);
    malformed({ has_open: true, conversation: 'open' }, /conversation is a string/);
    malformed({ has_open: true, conversation: { ...documented.conversation, flow_id: 7 } }, /flow_id is a number/);
    malformed({ has_open: true, conversation: { ...documented.conversation, step_id: null } }, /step_id is null/);
    malformed({ has_open: true, conversation: { ...documented.conversation, step_id: '' } }, /step_id/);
    malformed({ has_open: true, conversation: { ...documented.conversation, status: ['OPEN'] } }, /status is an array/);
    malformed({ has_open: true, conversation: { ...documented.conversation, created_at: 1574 } }, /created_at is a number/);
    malformed({ has_open: true, conversation: { ...documented.conversation, client: 'web' } }, /client is a string/);
  });
});

describe('parseBot and parseFlows', () => {
  it('reads a bot and needs its name', () => {
    assert.deepEqual(parseBot({ id: 'b', name: 'Pizza', default_flow: 'f', flows: [] }), { id: 'b', name: 'Pizza', defaultFlow: 'f' });
    assert.throws(() => parseBot({ id: 'b' }), /bot.name is missing/);
  });

  it('reads flows and rejects a list entry without id or name', () => {
    const flows = parseFlows([{ id: '1', name: 'Default', content: 'start:\n  goto end', commands: ['/default', 3] }]);
    assert.deepEqual(flows, [{ id: '1', name: 'Default', content: 'start:\n  goto end', commands: ['/default'] }]);
    assert.throws(() => parseFlows({ flows: [] }), /not an array of flows/);
    assert.throws(() => parseFlows([{ id: '1' }]), /flows\[0\].name is missing/);
  });
});

describe('parseBot and parseFlows: descriptions and dates', () => {
  it('reads a bot’s description, and drops one of the wrong type without failing the answer', () => {
    assert.equal(parseBot({ name: 'Pizza', description: 'Orders pizza' }).description, 'Orders pizza');
    assert.equal(parseBot({ name: 'Pizza', description: '' }).description, '');
    for (const description of [42, null, ['a'], { text: 'a' }, true]) {
      const bot = parseBot({ id: 'b', name: 'Pizza', default_flow: 'f', description });
      assert.deepEqual(bot, { id: 'b', name: 'Pizza', defaultFlow: 'f' }, JSON.stringify(description));
    }
  });

  it('reads a flow’s description and updated_at, and drops either when it is not a string', () => {
    const documented = {
      id: '1',
      bot_id: 'b',
      name: 'Default',
      description: 'The default flow',
      commands: ['/default'],
      content: 'start:\n  goto end',
      created_at: '2019-11-16T19:57:42.219Z',
      updated_at: '2019-11-17T08:00:00.000Z',
    };
    const [flow] = parseFlows([documented]);
    assert.equal(flow.description, 'The default flow');
    assert.equal(flow.updatedAt, '2019-11-17T08:00:00.000Z');

    const [odd] = parseFlows([{ ...documented, description: { en: 'x' }, updated_at: 1574 }]);
    assert.deepEqual(odd, { id: '1', name: 'Default', content: 'start:\n  goto end', commands: ['/default'] });
    const [nulls] = parseFlows([{ ...documented, description: null, updated_at: null }]);
    assert.equal(nulls.description, undefined);
    assert.equal(nulls.updatedAt, undefined);
  });
});
