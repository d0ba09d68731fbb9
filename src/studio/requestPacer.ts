import { abortableSleep } from '../common/abortableSleep';
import { createHash } from 'node:crypto';

export interface RequestPacerOptions {
  /** Requests allowed to start in any 1,000 ms; the Studio allows 50 per key, half of it leaves room for other tools. */
  readonly perSecond?: number;
  /** The window `perSecond` counts in: a second and a margin by default (see DEFAULT_WINDOW_MS). */
  readonly windowMs?: number;
  /** Milliseconds on a clock that never goes back. */
  readonly now?: () => number;
  /** Resolves after `ms`, or early once `signal` aborts; replaceable so tests do not wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A little over a second: the Studio counts requests as they arrive, and a request's way there takes more or less
 * time from one to the next, so grants spaced exactly 1,000 ms apart can arrive closer than that.
 */
const DEFAULT_WINDOW_MS = 1050;
const DEFAULT_PER_SECOND = 25;

interface Waiter {
  readonly resolve: () => void;
  readonly signal?: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * Lets requests start, in the order they asked, so that no more than `perSecond` start in any sliding window
 * of 1,000 ms, with a margin. It remembers the start times of the last `perSecond` grants: the next one waits until
 * the oldest of them is 1,050 ms old.
 */
export class RequestPacer {
  private readonly perSecond: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Start times of the last `perSecond` grants, oldest first. */
  private readonly starts: number[] = [];
  /** No grant before this time: the Studio asked to wait. */
  private notBefore = -Infinity;
  private readonly queue: Waiter[] = [];
  /** The running pump's; aborted when the queue empties, so no timer outlives the last waiter. */
  private pumping: AbortController | undefined;

  constructor(options: RequestPacerOptions = {}) {
    const perSecond = options.perSecond ?? DEFAULT_PER_SECOND;
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`perSecond must be a positive integer, not ${perSecond}`);
    this.perSecond = perSecond;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Resolves when a request may start; rejects with an AbortError, without using a slot, once `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    if (this.queue.length === 0 && this.waitMs() <= 0) {
      this.grant();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index < 0) return;
          this.queue.splice(index, 1);
          if (this.queue.length === 0) this.stopPump();
          reject(abortError());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      if (!this.pumping) void this.pump();
    });
  }

  /** Grants the queue's head whenever a slot frees, until the queue is empty or the pump is replaced. */
  private async pump(): Promise<void> {
    const controller = new AbortController();
    this.pumping = controller;
    while (this.pumping === controller && this.queue.length > 0) {
      const wait = this.waitMs();
      if (wait > 0) {
        try {
          await this.sleep(wait, controller.signal);
        } catch {
          // An aborted sleep may reject: the loop's condition decides what comes next.
        }
        continue;
      }
      const waiter = this.queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.grant();
      waiter.resolve();
    }
    if (this.pumping === controller) this.pumping = undefined;
  }

  private stopPump(): void {
    this.pumping?.abort();
    this.pumping = undefined;
  }

  /**
   * The Studio asked to wait (429 or 503 with Retry-After): no request of this key starts before then, whichever
   * part of the extension sends it. A request already waiting in the queue waits for it too.
   */
  holdFor(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }

  /** How long until a slot frees: zero or less when one is free now. */
  private waitMs(): number {
    const slot = this.starts.length < this.perSecond ? 0 : this.starts[0] + this.windowMs - this.now();
    return Math.max(slot, this.notBefore - this.now());
  }

  private grant(): void {
    this.starts.push(this.now());
    if (this.starts.length > this.perSecond) this.starts.shift();
  }
}

const pacers = new Map<string, RequestPacer>();

/**
 * The one pacer for a key at a Studio address, shared by every client built for them, so rebuilding clients
 * after a settings change does not reset the count. The map is keyed by a hash: no key lingers in it.
 */
export function pacerFor(apiKey: string, baseUrl: string): RequestPacer {
  const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
  let pacer = pacers.get(id);
  if (!pacer) {
    pacer = new RequestPacer();
    pacers.set(id, pacer);
  }
  return pacer;
}

function abortError(): Error {
  const error = new Error('The request was cancelled while waiting for its turn.');
  error.name = 'AbortError';
  return error;
}
