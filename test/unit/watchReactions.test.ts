import * as assert from 'node:assert/strict';
import { LookUp } from '../../src/conversations/lookUp';
import { WatchList } from '../../src/conversations/watchList';
import { onceWatched } from '../../src/ui/reactions/onceWatched';
import { onViewShown } from '../../src/ui/reactions/viewShown';
import { MemoryStore } from '../support/memoryStore';

function watchList(lookUp: LookUp = async () => ({ kind: 'none' })): WatchList {
  return new WatchList(lookUp, new MemoryStore());
}

describe('onceWatched', () => {
  it('starts once, at the first user pinned or added', async () => {
    const watch = watchList();
    let starts = 0;
    const subscription = onceWatched(watch, () => starts++);
    assert.equal(starts, 0);
    watch.setPinned('alice');
    await watch.add('bob');
    watch.setPinned(undefined);
    assert.equal(starts, 1);
    subscription.dispose();
  });

  it('starts at once when a user is already watched', () => {
    const watch = watchList();
    watch.setPinned('alice');
    let starts = 0;
    onceWatched(watch, () => starts++).dispose();
    assert.equal(starts, 1);
  });
});

describe('onViewShown', () => {
  it('looks up the users restored from the last session, and names the bot', async () => {
    const store = new MemoryStore();
    await store.update('csml.watchedUsers', ['carol', 'dave']);
    const asked: string[] = [];
    const watch = new WatchList(async (userId) => {
      asked.push(userId);
      return { kind: 'none' };
    }, store);
    let named = 0;
    const shown = onViewShown(watch, { viewShown: () => named++ });
    shown();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(asked.sort(), ['carol', 'dave']);
    assert.equal(named, 1);
    shown();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(asked.length, 2, 'users already answered are not asked again');
  });
});
