import { abortableSleep } from '../common/abortableSleep';
import { StudioError } from './errors';

export interface PacedRetryOptions {
  readonly signal?: AbortSignal;
  /** Told before each wait, so a progress line can say why nothing happens. */
  readonly onWait?: (seconds: number) => void;
  /** Waits longer than this are not worth it: the error goes to the user, who can try later. */
  readonly maxWaitSeconds?: number;
  readonly retries?: number;
  /** Which "slow down" answers to retry; all by default. A request that must not be sent twice retries fewer. */
  readonly retryable?: (error: StudioError) => boolean;
  /** Replaceable so tests do not wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_MAX_WAIT_SECONDS = 30;
/** The Studio allows 50 requests a second: without Retry-After, a short pause is enough. */
const WAIT_WITHOUT_RETRY_AFTER_SECONDS = 2;

/**
 * Runs `request`, and again after the wait the Studio asks for when it is limiting requests (429 or 503), a
 * few times at most. Any other failure, a cancellation or too long a wait ends it with the error as it came.
 */
export async function withPacedRetry<T>(request: () => Promise<T>, options: PacedRetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 2;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof StudioError) || error.kind !== 'rateLimited' || attempt >= retries) throw error;
      if (options.retryable && !options.retryable(error)) throw error;
      const seconds = error.details.retryAfterSeconds ?? WAIT_WITHOUT_RETRY_AFTER_SECONDS;
      if (seconds > (options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS)) throw error;
      options.onWait?.(seconds);
      await sleep(seconds * 1000, options.signal);
      if (options.signal?.aborted) throw new StudioError('cancelled', 'The request was cancelled while waiting for the Studio.');
    }
  }
}
