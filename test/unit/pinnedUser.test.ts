import * as assert from 'node:assert/strict';
import { LookUpOutcome } from '../../src/conversations/lookUp';
import { StepTrail } from '../../src/conversations/stepTrail';
import { WatchedUser, WatchList } from '../../src/conversations/watchList';
import { PinnedUser } from '../../src/ui/reactions/pinnedUser';
import { MemoryStore } from '../support/memoryStore';

function at(stepId: string): LookUpOutcome {
  return { kind: 'open', conversation: { flowId: 'f', stepId, metadata: null, extra: {} } };
}

/** A pinned user over a real watch list and trail, whose look-ups answer with `steps[userId]`. */
function setUp(initial: string) {
  const steps = new Map<string, string>();
  const watch = new WatchList(async (userId) => at(steps.get(userId) ?? 'start'), new MemoryStore());
  const trail = new StepTrail();
  const calls: string[] = [];
  const poller = {
    resetBackoff: () => calls.push('resetBackoff'),
    start: () => calls.push('start'),
    stop: () => calls.push('stop'),
    pollNow: async () => void calls.push('pollNow'),
  };
  const shown: (WatchedUser | undefined)[] = [];
  const pinned = new PinnedUser({ watch, trail, poller, status: { update: (user) => shown.push(user) } }, initial);
  return { watch, trail, calls, shown, steps, pinned };
}

describe('PinnedUser', () => {
  it('pins the user of the setting at once and shows them, but polls only once asked to start', () => {
    const { watch, calls, shown, pinned } = setUp('alice');
    assert.equal(watch.pinned, 'alice');
    assert.equal(shown.at(-1)?.userId, 'alice');
    assert.deepEqual(calls, []);
    pinned.startPolling();
    assert.deepEqual(calls, ['start']);
  });

  it('with no user in the setting hides the status bar item and never polls', () => {
    const { watch, calls, shown, pinned } = setUp('');
    assert.equal(watch.pinned, undefined);
    assert.equal(shown.at(-1), undefined);
    pinned.startPolling();
    assert.deepEqual(calls, []);
  });

  it('follows a new user at once and forgets the previous one’s trail', async () => {
    const { watch, trail, calls, shown, steps, pinned } = setUp('alice');
    await watch.refresh('alice');
    steps.set('alice', 'ask_name');
    await watch.refresh('alice');
    assert.equal(trail.entries('alice').length, 2);
    pinned.pin('bob');
    assert.equal(watch.pinned, 'bob');
    assert.equal(trail.entries('alice').length, 0);
    assert.equal(shown.at(-1)?.userId, 'bob');
    assert.deepEqual(calls, ['resetBackoff', 'start', 'pollNow']);
  });

  it('stops polling when unpinned', () => {
    const { watch, calls, shown, pinned } = setUp('alice');
    pinned.pin('');
    assert.equal(watch.pinned, undefined);
    assert.equal(shown.at(-1), undefined);
    assert.deepEqual(calls, ['resetBackoff', 'stop']);
  });

  it('records the pinned user’s steps, not other users’, and redraws the item on each of its answers', async () => {
    const { watch, trail, shown, steps } = setUp('alice');
    await watch.add('carol');
    steps.set('alice', 'ask_name');
    const before = shown.length;
    await watch.refresh('alice');
    assert.equal(shown.at(-1)?.state.kind, 'open');
    assert.ok(shown.length > before);
    assert.deepEqual(
      trail.entries('alice').map((entry) => entry.stepId),
      ['ask_name'],
    );
    assert.deepEqual(trail.entries('carol'), []);
  });

  it('stops following the watch list once disposed', async () => {
    const { watch, shown, pinned } = setUp('alice');
    pinned.dispose();
    const before = shown.length;
    await watch.refresh('alice');
    assert.equal(shown.length, before);
  });
});
