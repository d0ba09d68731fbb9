/**
 * Regular expressions written by someone else (a repository's test files), run so that none can stall the
 * process: each match runs in its own V8 context under a time limit, which interrupts even catastrophic
 * backtracking.
 */
import { Context, createContext, Script } from 'node:vm';

export type RegexOutcome =
  | { readonly kind: 'match' }
  | { readonly kind: 'noMatch' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'timedOut' };

/** What one match may take; a pattern that needs longer is treated as broken, not waited for. */
export const REGEX_TIME_LIMIT_MS = 200;

/** The flags a test may use: `g` and `y` would make a match depend on the one before. */
const ALLOWED_FLAGS = /^[imsu]*$/;

const MATCH = new Script('new RegExp(pattern, flags).test(subject)');

export class BoundedRegex {
  private readonly context: Context = createContext(Object.create(null) as object);

  constructor(private readonly timeLimitMs = REGEX_TIME_LIMIT_MS) {}

  test(pattern: string, flags: string, subject: string): RegexOutcome {
    if (!ALLOWED_FLAGS.test(flags)) return { kind: 'invalid', message: `flags may only be i, m, s and u (not "${flags}")` };
    Object.assign(this.context, { pattern, flags, subject });
    try {
      return MATCH.runInContext(this.context, { timeout: this.timeLimitMs }) === true ? { kind: 'match' } : { kind: 'noMatch' };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { kind: 'timedOut' };
      // Errors made in the other context are not instances of this one's Error.
      return { kind: 'invalid', message: String((error as { message?: unknown }).message ?? error) };
    } finally {
      Object.assign(this.context, { pattern: '', flags: '', subject: '' });
    }
  }
}
