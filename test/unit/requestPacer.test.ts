import * as assert from 'node:assert/strict';
import { pacerFor, RequestPacer } from '../../src/studio/requestPacer';
import { FakeClock, settle } from '../support/fakeClock';

/** A pacer on a fake clock, and the times at which its grants arrived. */
/** `windowMs` null: the pacer's own default. */
function pacedOnFakeClock(perSecond?: number, windowMs: number | null = 1000) {
  const clock = new FakeClock();
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const handle = clock.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clock.clearTimeout(handle);
        resolve();
      });
    });
  const pacer = new RequestPacer({ perSecond, windowMs: windowMs ?? undefined, now: () => clock.now(), sleep });
  const granted: Array<{ label: string; at: number }> = [];
  const take = (label: string, signal?: AbortSignal) => pacer.take(signal).then(() => granted.push({ label, at: clock.now() }));
  /** Moves the clock to `at`, then asks for `count` grants at once. */
  const takeAt = async (at: number, count: number, prefix = 't') => {
    await clock.advance(at - clock.now());
    for (let i = 0; i < count; i++) void take(`${prefix}${i}`);
  };
  return { clock, pacer, granted, take, takeAt };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('RequestPacer', () => {
  it('holds every request while the Studio asked to wait', async () => {
    const { clock, pacer, granted, take } = pacedOnFakeClock();
    void take('before');
    await settle();
    pacer.holdFor(500);
    void take('held');
    await clock.advance(499);
    assert.deepEqual(
      granted.map((grant) => grant.label),
      ['before'],
    );
    await clock.advance(1);
    assert.deepEqual(granted.at(-1), { label: 'held', at: 500 });
  });

  it('keeps a margin over the second by default, for the way to the Studio', async () => {
    const { clock, granted, take, takeAt } = pacedOnFakeClock(undefined, null);
    await takeAt(0, 25);
    void take('late');
    await clock.advance(1049);
    assert.equal(granted.length, 25);
    await clock.advance(1);
    assert.deepEqual(granted.at(-1), { label: 'late', at: 1050 });
  });

  it('grants 25 at once, and the 26th 1,000 ms after the first', async () => {
    const { clock, granted, take, takeAt } = pacedOnFakeClock();
    await takeAt(0, 25);
    await settle();
    assert.equal(granted.length, 25);
    assert.ok(granted.every((grant) => grant.at === 0));
    void take('late');
    await clock.advance(999);
    assert.equal(granted.length, 25);
    await clock.advance(1);
    assert.deepEqual(granted.at(-1), { label: 'late', at: 1000 });
    assert.equal(clock.pendingTimers, 0, 'a timer is left behind');
  });

  it('counts any 1,000 ms, not calendar seconds', async () => {
    const { clock, granted, takeAt } = pacedOnFakeClock();
    for (let i = 0; i < 25; i++) await takeAt(900 + i, 1, `s${i}`);
    // A new calendar second starts at 1,000, but 25 requests started since 24.
    await takeAt(1000, 3, 'next');
    await clock.advance(2000);
    assert.deepEqual(
      granted.slice(25).map((grant) => grant.at),
      [1900, 1901, 1902],
    );
  });

  it('waits for the oldest of the last 25 grants when they were spread out', async () => {
    const { clock, granted, takeAt } = pacedOnFakeClock();
    for (let i = 0; i < 25; i++) await takeAt(i * 40, 1, `s${i}`);
    assert.deepEqual(
      granted.map((grant) => grant.at),
      Array.from({ length: 25 }, (_, i) => i * 40),
    );
    await takeAt(970, 5, 'more');
    await clock.advance(3000);
    assert.deepEqual(
      granted.slice(25).map((grant) => grant.at),
      [1000, 1040, 1080, 1120, 1160],
    );
    assertNoWindowOver(
      granted.map((grant) => grant.at),
      25,
    );
  });

  it('serves concurrent callers in the order they asked, newcomers behind those waiting', async () => {
    const { clock, granted, take, takeAt } = pacedOnFakeClock();
    await takeAt(0, 60);
    await clock.advance(500);
    void take('newcomer');
    await clock.advance(3000);
    assert.deepEqual(
      granted.map((grant) => grant.label),
      [...Array.from({ length: 60 }, (_, i) => `t${i}`), 'newcomer'],
    );
    assert.deepEqual(
      [0, 24, 25, 49, 50, 59, 60].map((i) => granted[i].at),
      [0, 0, 1000, 1000, 2000, 2000, 2000],
    );
    assert.equal(clock.pendingTimers, 0);
  });

  it('keeps a freed slot for the caller already waiting, not for one arriving before it wakes', async () => {
    let now = 0;
    const wakeUps: Array<() => void> = [];
    const pacer = new RequestPacer({
      perSecond: 1,
      windowMs: 1000,
      now: () => now,
      sleep: () => new Promise<void>((resolve) => wakeUps.push(resolve)),
    });
    const order: string[] = [];
    await pacer.take();
    const waiting = pacer.take().then(() => order.push('waiting'));
    now = 1000;
    const newcomer = pacer.take().then(() => order.push('newcomer'));
    await settle();
    assert.deepEqual(order, []);
    for (let i = 0; i < 5 && order.length < 2; i++) {
      wakeUps.shift()?.();
      now += 1000;
      await settle();
    }
    await Promise.all([waiting, newcomer]);
    assert.deepEqual(order, ['waiting', 'newcomer']);
  });

  it('drops a cancelled waiter at once: it takes no slot and delays nobody', async () => {
    const { clock, granted, take, takeAt } = pacedOnFakeClock();
    await takeAt(0, 25);
    const controller = new AbortController();
    void take('before');
    const cancelled = rejection(take('cancelled', controller.signal));
    void take('after');
    await clock.advance(500);
    controller.abort();
    const error = await cancelled;
    assert.equal(error.name, 'AbortError');
    assert.equal(clock.now(), 500, 'the rejection waited for the clock');
    await clock.advance(500);
    assert.deepEqual(granted.slice(25), [
      { label: 'before', at: 1000 },
      { label: 'after', at: 1000 },
    ]);
    // 23 slots are left in this second: the cancelled waiter used none.
    await takeAt(1000, 24, 'u');
    await settle();
    assert.equal(granted.length, 25 + 2 + 23);
    await clock.advance(1000);
    assert.deepEqual(granted.at(-1), { label: 'u23', at: 2000 });
  });

  it('refuses a signal already aborted, without using a slot', async () => {
    const { granted, take, pacer } = pacedOnFakeClock(1);
    const error = await rejection(pacer.take(AbortSignal.abort()));
    assert.equal(error.name, 'AbortError');
    await take('first');
    assert.deepEqual(granted, [{ label: 'first', at: 0 }]);
  });

  it('leaves no timer once its last waiter is cancelled', async () => {
    const { clock, granted, take, takeAt } = pacedOnFakeClock(1);
    await takeAt(0, 1);
    const controller = new AbortController();
    const cancelled = rejection(take('waiting', controller.signal));
    await settle();
    assert.equal(clock.pendingTimers, 1);
    controller.abort();
    await cancelled;
    await settle();
    assert.equal(clock.pendingTimers, 0);
    // And a later caller still waits for the slot in use.
    void take('later');
    await clock.advance(999);
    assert.equal(granted.length, 1);
    await clock.advance(1);
    assert.deepEqual(granted.at(-1), { label: 'later', at: 1000 });
  });

  it('takes its rate from perSecond', async () => {
    const { clock, granted, takeAt } = pacedOnFakeClock(2);
    await takeAt(0, 5);
    await clock.advance(3000);
    assert.deepEqual(
      granted.map((grant) => grant.at),
      [0, 0, 1000, 1000, 2000],
    );
    assert.throws(() => new RequestPacer({ perSecond: 0 }), RangeError);
    assert.throws(() => new RequestPacer({ perSecond: 2.5 }), RangeError);
  });

  it('on the real clock, lets a cancelled waiter go at once', async () => {
    const pacer = new RequestPacer({ perSecond: 1 });
    await pacer.take();
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pacer.take(controller.signal));
    assert.equal(error.name, 'AbortError');
    assert.ok(performance.now() - started < 500);
  });

  it('is one per key and Studio address', () => {
    const url = 'https://studio.example/v1/api/';
    assert.equal(pacerFor('key-a', url), pacerFor('key-a', url));
    assert.notEqual(pacerFor('key-a', url), pacerFor('key-b', url));
    assert.notEqual(pacerFor('key-a', url), pacerFor('key-a', 'http://127.0.0.1:8787/v1/api/'));
  });
});

/** Fails when some 1,000 ms window [t, t + 1000) holds more than `limit` of the sorted `times`. */
function assertNoWindowOver(times: readonly number[], limit: number): void {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = limit; i < sorted.length; i++) {
    assert.ok(
      sorted[i] - sorted[i - limit] >= 1000,
      `${limit + 1} starts within ${sorted[i] - sorted[i - limit]} ms, from ${sorted[i - limit]}`,
    );
  }
}
