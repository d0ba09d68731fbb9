import { hasControlCharacters } from '../common/controlCharacters';
export const MAX_USER_ID_LENGTH = 256;

/**
 * Why a typed user id cannot be sent, or undefined when it can. Accepted ids are sent exactly as
 * typed (no trimming): the Studio matches them byte for byte.
 */
export function userIdProblem(value: string): string | undefined {
  if (value.trim() === '') return 'Enter a user id (it cannot be empty or only spaces).';
  if (value.length > MAX_USER_ID_LENGTH)
    return `A user id can have at most ${MAX_USER_ID_LENGTH} characters (this one has ${value.length}).`;
  if (hasControlCharacters(value)) return 'A user id cannot contain control characters such as tabs or line breaks.';
  return undefined;
}

/** Most recent first, without duplicates, at most `limit`. */
export function rememberRecent(recent: readonly string[], userId: string, limit = 10): string[] {
  return [userId, ...recent.filter((id) => id !== userId)].slice(0, limit);
}
