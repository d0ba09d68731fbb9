import * as assert from 'node:assert/strict';
import { isInFlow, markerTitle, stepMarkers } from '../../src/conversations/stepMarkers';
import { MAX_TRAIL, StepTrail } from '../../src/conversations/stepTrail';
import { UserState, WatchedUser } from '../../src/conversations/watchList';

function user(userId: string, flowName: string | undefined, flowId: string, stepId: string, extra: Partial<WatchedUser> = {}): WatchedUser {
  return {
    userId,
    pinned: false,
    refreshing: false,
    state: {
      kind: 'open',
      conversation: { flowId, stepId, metadata: null, extra: {}, lastInteractionAt: '2026-01-01T11:59:48Z' },
      flow: flowName ? { id: flowId, name: flowName } : undefined,
      at: Date.parse('2026-01-01T12:00:00Z'),
    },
    ...extra,
  };
}

const SOURCE = ['/* ask_name: in a comment */', 'start:', '  goto ask_name', '', 'ask_name:', '  hold', 'done: say "bye"'].join('\n');

describe('stepMarkers', () => {
  it('marks each user on the label line of their step in the file of their flow', () => {
    const users = [
      user('alice', 'Onboarding', 'id-1', 'ask_name', { pinned: true }),
      user('bob', 'Onboarding', 'id-1', 'done'),
      user('carol', 'Other', 'id-2', 'start'),
    ];
    const markers = stepMarkers(users, 'onboarding', SOURCE);
    assert.deepEqual(
      markers.map((m) => [m.userId, m.line, m.character, m.pinned]),
      [
        ['alice', 4, 0, true],
        ['bob', 6, 0, false],
      ],
    );
  });

  it('matches a flow_id that is a flow name when the flow was not resolved', () => {
    assert.ok(isInFlow(user('dave', undefined, 'ONBOARDING', 'start'), 'Onboarding'));
    assert.ok(!isInFlow(user('dave', undefined, 'some-uuid', 'start'), 'Onboarding'));
  });

  it('draws nothing for a step without a label, or a user without a conversation', () => {
    const none: WatchedUser = { userId: 'erin', pinned: false, refreshing: false, state: { kind: 'none', at: 0 } };
    assert.deepEqual(stepMarkers([user('x', 'Onboarding', 'id', 'inserted_step'), none], 'Onboarding', SOURCE), []);
  });

  it('reads like "● alice is here · 12 s ago"', () => {
    const [marker] = stepMarkers([user('alice', 'Onboarding', 'id-1', 'ask_name')], 'Onboarding', SOURCE);
    assert.equal(markerTitle(marker, Date.parse('2026-01-01T12:00:00Z')), '● alice is here · 12 s ago');
  });
});

describe('StepTrail', () => {
  const open = (flowId: string, stepId: string, at: number): UserState => ({
    kind: 'open',
    conversation: { flowId, stepId, metadata: null, extra: {} },
    flow: { id: flowId, name: `N${flowId}` },
    at,
  });

  it('keeps transitions newest first, and only when the flow or step changes', () => {
    const trail = new StepTrail();
    assert.equal(trail.record('alice', open('f', 'start', 1)), true);
    assert.equal(trail.record('alice', open('f', 'start', 2)), false);
    assert.equal(trail.record('alice', { kind: 'none', at: 3 }), false);
    assert.equal(trail.record('alice', open('f', 'ask', 4)), true);
    assert.equal(trail.record('alice', open('g', 'ask', 5)), true);
    assert.deepEqual(
      trail.entries('alice').map((e) => [e.at, e.flowId, e.stepId, e.flowName]),
      [
        [5, 'g', 'ask', 'Ng'],
        [4, 'f', 'ask', 'Nf'],
        [1, 'f', 'start', 'Nf'],
      ],
    );
    assert.deepEqual(trail.entries('bob'), []);
  });

  it('keeps at most 50 entries', () => {
    const trail = new StepTrail();
    for (let i = 0; i < 80; i++) trail.record('alice', open('f', `s${i}`, i));
    assert.equal(trail.entries('alice').length, MAX_TRAIL);
    assert.equal(trail.entries('alice')[0].stepId, 's79');
    assert.equal(trail.entries('alice').at(-1)?.stepId, 's30');
  });
});
