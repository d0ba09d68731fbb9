import { Disposable } from '../common/emitter';

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What one poll reported: failures slow polling down, and a server may ask for a longer pause. */
export interface PollResult {
  readonly ok: boolean;
  readonly retryAfterMs?: number;
}

export const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * Runs `poll` every interval while the window has focus: once at start, then on a fixed beat
 * measured from each poll's start (so slow answers do not drift it), never two at once, at once
 * when focus returns, and backing off by doubling (capped at 5 minutes) after failures.
 * An interval of 0 turns polling off: `poll` then runs only when asked to.
 */
export class Poller implements Disposable {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private failures = 0;
  private retryAfterMs = 0;
  private focused = true;
  private started = false;
  private lastStart = -Infinity;

  constructor(
    private readonly poll: () => Promise<PollResult>,
    private intervalMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The pause before the next poll, with backoff applied. */
  get delayMs(): number {
    if (this.intervalMs <= 0) return Infinity;
    const backoff = Math.min(this.intervalMs * 2 ** this.failures, MAX_BACKOFF_MS);
    return Math.max(this.intervalMs, backoff, this.retryAfterMs);
  }

  /** Polls at once if the window has focus (or polling is off, to show a first answer), else on focus. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.focused || this.intervalMs <= 0) void this.pollNow();
  }

  stop(): void {
    this.started = false;
    this.cancelTimer();
  }

  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    if (!focused) {
      this.cancelTimer();
    } else if (this.started && this.intervalMs > 0) {
      void this.pollNow();
    }
  }

  setIntervalMs(intervalMs: number): void {
    if (intervalMs === this.intervalMs) return;
    this.intervalMs = intervalMs;
    if (this.started && !this.running) this.schedule();
  }

  /** Polls now (joining a poll already running) and restarts the beat; failures are forgotten. */
  pollNow(): Promise<void> {
    this.cancelTimer();
    if (this.running) return this.running;
    this.lastStart = this.clock.now();
    const run = this.poll().then(
      (result) => this.record(result),
      () => this.record({ ok: false }),
    );
    this.running = run.finally(() => {
      this.running = undefined;
      if (this.started) this.schedule();
    });
    return this.running;
  }

  /** Forget earlier failures, e.g. after the user fixed the credentials. */
  resetBackoff(): void {
    this.failures = 0;
    this.retryAfterMs = 0;
  }

  dispose(): void {
    this.stop();
  }

  private record(result: PollResult): void {
    if (result.ok) {
      this.failures = 0;
      this.retryAfterMs = 0;
    } else {
      this.failures = Math.min(this.failures + 1, 32);
      this.retryAfterMs = Math.min(result.retryAfterMs ?? 0, MAX_BACKOFF_MS);
    }
  }

  private schedule(): void {
    this.cancelTimer();
    if (!this.started || !this.focused || this.intervalMs <= 0) return;
    const wait = Math.max(0, this.lastStart + this.delayMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pollNow();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
