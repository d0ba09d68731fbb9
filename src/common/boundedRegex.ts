/**
 * Regular expressions written by someone else (a repository's test files), matched where none can stall the
 * process: in a worker thread, under a time limit after which the worker is ended (even catastrophic backtracking
 * stops there) and another started for the next match. The caller's thread only waits, asynchronously.
 */
import { Worker } from 'node:worker_threads';

export type RegexOutcome =
  | { readonly kind: 'match' }
  | { readonly kind: 'noMatch' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'timedOut' };

/** What one match may take; a pattern that needs longer is treated as broken, not waited for. */
export const REGEX_TIME_LIMIT_MS = 200;

/** The flags a test may use: `g` and `y` would make a match depend on the one before. */
const ALLOWED_FLAGS = /^(?!.*(.).*\1)[imsu]*$/;

// Plain JavaScript run by the worker: it has no access to anything but the messages it is sent.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, pattern, flags, subject }) => {
  try {
    parentPort.postMessage({ id, kind: new RegExp(pattern, flags).test(subject) ? 'match' : 'noMatch' });
  } catch (error) {
    parentPort.postMessage({ id, kind: 'invalid', message: String(error && error.message) });
  }
});
`;

/** Why a pattern and its flags cannot be used, checked without matching anything; undefined when they can. */
export function regexProblem(pattern: string, flags: string): string | undefined {
  if (!ALLOWED_FLAGS.test(flags)) return `flags may only be i, m, s and u, each once (not "${flags}")`;
  try {
    // Compiling is linear in the pattern's length: only matching can run away.
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export class BoundedRegex {
  private worker: Worker | undefined;
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly timeLimitMs = REGEX_TIME_LIMIT_MS) {}

  /** One match at a time, in the order asked: the time limit is each match's own. */
  test(pattern: string, flags: string, subject: string): Promise<RegexOutcome> {
    const problem = regexProblem(pattern, flags);
    if (problem !== undefined) return Promise.resolve({ kind: 'invalid', message: problem });
    const result = this.queue.then(() => this.match(pattern, flags, subject));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private match(pattern: string, flags: string, subject: string): Promise<RegexOutcome> {
    const worker = (this.worker ??= this.start());
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const finish = (outcome: RegexOutcome) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(outcome);
      };
      const onMessage = (message: { id: number } & RegexOutcome) => {
        if (message.id === id) finish(message.kind === 'invalid' ? { kind: 'invalid', message: message.message } : { kind: message.kind });
      };
      const onError = (error: Error) => {
        this.stop(worker);
        finish({ kind: 'invalid', message: error.message });
      };
      const timer = setTimeout(() => {
        this.stop(worker);
        finish({ kind: 'timedOut' });
      }, this.timeLimitMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, pattern, flags, subject });
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    // An idle worker must not keep a command line running.
    worker.unref();
    return worker;
  }

  private stop(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    void worker.terminate();
  }

  /** Ends the worker; a later match starts another. */
  dispose(): void {
    if (this.worker) this.stop(this.worker);
  }
}
