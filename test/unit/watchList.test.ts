import * as assert from 'node:assert/strict';
import { LookUp, LookUpOutcome } from '../../src/conversations/lookUp';
import { MemoryStore } from '../support/memoryStore';
import { WatchList } from '../../src/conversations/watchList';
import { StudioError } from '../../src/studio/errors';
import { settle } from '../support/fakeClock';

interface Call {
  userId: string;
  signal?: AbortSignal;
  resolve(outcome: LookUpOutcome): void;
  reject(error: unknown): void;
}

/** A look-up whose answers the test hands out one by one, in any order. */
function controlledLookUp() {
  const calls: Call[] = [];
  const lookUp: LookUp = (userId, signal) =>
    new Promise((resolve, reject) => {
      calls.push({ userId, signal, resolve, reject });
    });
  return { calls, lookUp };
}

function open(stepId: string): LookUpOutcome {
  return { kind: 'open', conversation: { flowId: 'f', stepId, metadata: null, extra: {} } };
}

describe('WatchList', () => {
  it('shows the pinned user first, then the others newest first, and keeps them across reloads', async () => {
    const store = new MemoryStore();
    const { lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, store);
    void watch.add('alice');
    void watch.add('bob');
    watch.setPinned('carol');
    assert.deepEqual(
      watch.users.map((u) => [u.userId, u.pinned]),
      [
        ['carol', true],
        ['bob', false],
        ['alice', false],
      ],
    );
    await settle();
    const reloaded = new WatchList(lookUp, store);
    assert.deepEqual(
      reloaded.users.map((u) => u.userId),
      ['bob', 'alice'],
    );
    watch.dispose();
    reloaded.dispose();
  });

  it('sends one request per user at a time: refreshes while one is in flight join it', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore(), () => 7);
    const first = watch.add('alice');
    const joined = [watch.refresh('alice'), watch.refresh('alice'), watch.refreshAll()];
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(watch.get('alice')?.refreshing, true);
    calls[0].resolve(open('ask_name'));
    const state = await first;
    await Promise.all(joined);
    assert.deepEqual(state, { ...open('ask_name'), at: 7 });
    assert.equal(watch.get('alice')?.refreshing, false);
    watch.dispose();
  });

  it('turns failures into an error state with the StudioError', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    const pending = watch.add('alice');
    await settle();
    calls[0].reject(new StudioError('server', 'The Studio failed (HTTP 500); try again in a moment.'));
    const state = await pending;
    assert.equal(state.kind, 'error');
    assert.equal(state.kind === 'error' && state.error.kind, 'server');
    watch.dispose();
  });

  it('never lets an answer from before a reset overwrite a newer one', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    void watch.add('alice');
    await settle();
    watch.reset();
    assert.equal(calls[0].signal?.aborted, true);
    const fresh = watch.refresh('alice');
    await settle();
    assert.equal(calls.length, 2);
    calls[1].resolve(open('new_step'));
    await fresh;
    calls[0].resolve(open('old_step'));
    await settle();
    const state = watch.get('alice')?.state;
    assert.equal(state?.kind === 'open' && state.conversation.stepId, 'new_step');
    watch.dispose();
  });

  it('gives whoever waited before a reset the answer asked for after it', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    const waiting = watch.add('alice');
    await settle();
    watch.reset();
    calls[0].resolve(open('old_step'));
    await settle();
    assert.equal(calls.length, 2, 'the reset did not lead to a new request');
    calls[1].resolve(open('new_step'));
    const state = await waiting;
    assert.equal(state.kind === 'open' && state.conversation.stepId, 'new_step');
    watch.dispose();
  });

  it('cancels the request of a user who is removed, and ignores its answer', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    void watch.add('alice');
    await settle();
    await watch.remove('alice');
    assert.equal(calls[0].signal?.aborted, true);
    calls[0].resolve(open('late'));
    await settle();
    assert.equal(watch.get('alice'), undefined);
    assert.deepEqual(watch.users, []);
    watch.dispose();
  });

  it('keeps a pinned user who is also in the list when unpinned, and drops one who is not', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    void watch.add('alice');
    watch.setPinned('alice');
    watch.setPinned(undefined);
    assert.deepEqual(
      watch.users.map((u) => u.userId),
      ['alice'],
    );
    watch.setPinned('bob');
    void watch.refresh('bob');
    await settle();
    const bobCall = calls.find((c) => c.userId === 'bob');
    watch.setPinned(undefined);
    assert.equal(bobCall?.signal?.aborted, true);
    assert.deepEqual(
      watch.users.map((u) => u.userId),
      ['alice'],
    );
    watch.dispose();
  });

  it('tells listeners which user changed', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    const events: (string | undefined)[] = [];
    watch.onDidChange((id) => events.push(id));
    const pending = watch.add('alice');
    await settle();
    calls[0].resolve({ kind: 'none' });
    await pending;
    assert.deepEqual(events, [undefined, 'alice', 'alice']);
    watch.dispose();
  });

  it('aborts everything in flight when disposed', async () => {
    const { calls, lookUp } = controlledLookUp();
    const watch = new WatchList(lookUp, new MemoryStore());
    void watch.add('alice');
    void watch.add('bob');
    await settle();
    watch.dispose();
    assert.ok(calls.every((c) => c.signal?.aborted));
  });
});
