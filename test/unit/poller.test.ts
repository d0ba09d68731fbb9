import * as assert from 'node:assert/strict';
import { MAX_BACKOFF_MS, PollResult, Poller } from '../../src/conversations/poller';
import { FakeClock, settle } from '../support/fakeClock';

/** A poll that records when it ran and answers as told. */
function recorder(clock: FakeClock, answer: () => PollResult | Promise<PollResult> = () => ({ ok: true })) {
  const times: number[] = [];
  const poll = async () => {
    times.push(clock.now());
    return answer();
  };
  return { times, poll };
}

describe('Poller', () => {
  it('polls once at start and once per interval: 61 polls in [0 s, 60 s] at 1 s', async () => {
    const clock = new FakeClock();
    const { times, poll } = recorder(clock);
    const poller = new Poller(poll, 1000, clock);
    poller.start();
    await clock.advance(60_000);
    assert.equal(times.length, 61);
    assert.deepEqual(times.slice(0, 3), [0, 1000, 2000]);
    assert.equal(times.at(-1), 60_000);
    poller.dispose();
  });

  it('keeps the beat even when answers are slow', async () => {
    const clock = new FakeClock();
    const { times, poll } = recorder(clock, () => new Promise((resolve) => clock.setTimeout(() => resolve({ ok: true }), 300)));
    const poller = new Poller(poll, 1000, clock);
    poller.start();
    await clock.advance(5_000);
    assert.deepEqual(times, [0, 1000, 2000, 3000, 4000, 5000]);
    poller.dispose();
  });

  it('does not poll while the window has no focus, and polls at once when focus returns', async () => {
    const clock = new FakeClock();
    const { times, poll } = recorder(clock);
    const poller = new Poller(poll, 1000, clock);
    poller.setFocused(false);
    poller.start();
    await clock.advance(60_000);
    assert.equal(times.length, 0);
    poller.setFocused(true);
    await settle();
    assert.deepEqual(times, [60_000]);
    await clock.advance(1000);
    assert.deepEqual(times, [60_000, 61_000]);
    poller.setFocused(false);
    await clock.advance(10_000);
    assert.equal(times.length, 2);
    assert.equal(clock.pendingTimers, 0);
    poller.dispose();
  });

  it('never has two polls in flight: a slow poll is joined, not repeated', async () => {
    const clock = new FakeClock();
    let release: (result: PollResult) => void = () => undefined;
    const { times, poll } = recorder(clock, () => new Promise<PollResult>((resolve) => (release = resolve)));
    const poller = new Poller(poll, 1000, clock);
    poller.start();
    await clock.advance(10_000);
    const joined = Array.from({ length: 50 }, () => poller.pollNow());
    await settle();
    assert.equal(times.length, 1);
    release({ ok: true });
    await Promise.all(joined);
    await clock.advance(1000);
    assert.equal(times.length, 2);
    poller.dispose();
  });

  it('doubles the pause after each failure up to 5 minutes, and a success resets it', async () => {
    const clock = new FakeClock();
    let ok = false;
    const { times, poll } = recorder(clock, () => ({ ok }));
    const poller = new Poller(poll, 1000, clock);
    poller.start();
    await clock.advance(2000 + 4000 + 8000 + 16000);
    assert.deepEqual(times, [0, 2000, 6000, 14000, 30000]);
    // 2^9 seconds is past the cap: ten failures reach it.
    while (times.length < 10) await clock.advance(1000);
    assert.equal(poller.delayMs, MAX_BACKOFF_MS);
    const before = times.length;
    const last = times[before - 1];
    await clock.advance(last + MAX_BACKOFF_MS - 1 - clock.now());
    assert.equal(times.length, before);
    ok = true;
    await clock.advance(1);
    assert.equal(times.length, before + 1);
    assert.equal(poller.delayMs, 1000);
    poller.dispose();
  });

  it('waits as long as the server asked when that is longer', async () => {
    const clock = new FakeClock();
    let answer: PollResult = { ok: false, retryAfterMs: 30_000 };
    const { times, poll } = recorder(clock, () => answer);
    const poller = new Poller(poll, 1000, clock);
    poller.start();
    await settle();
    answer = { ok: true };
    await clock.advance(29_999);
    assert.equal(times.length, 1);
    await clock.advance(1);
    assert.equal(times.length, 2);
    poller.dispose();
  });

  it('with an interval of 0 polls only at start and when asked', async () => {
    const clock = new FakeClock();
    const { times, poll } = recorder(clock);
    const poller = new Poller(poll, 0, clock);
    poller.start();
    await clock.advance(600_000);
    assert.equal(times.length, 1);
    await poller.pollNow();
    assert.equal(times.length, 2);
    assert.equal(clock.pendingTimers, 0);
    poller.dispose();
  });

  it('follows a new interval, and stops cleanly', async () => {
    const clock = new FakeClock();
    const { times, poll } = recorder(clock);
    const poller = new Poller(poll, 10_000, clock);
    poller.start();
    await settle();
    poller.setIntervalMs(2000);
    await clock.advance(4000);
    assert.deepEqual(times, [0, 2000, 4000]);
    poller.stop();
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(60_000);
    assert.equal(times.length, 3);
  });

  it('counts a poll that throws as a failure instead of stopping', async () => {
    const clock = new FakeClock();
    const { times, poll } = recorder(clock, () => {
      throw new Error('boom');
    });
    const poller = new Poller(poll, 1000, clock);
    poller.start();
    await clock.advance(2000);
    assert.deepEqual(times, [0, 2000]);
    poller.dispose();
  });
});
