import { PollResult } from './poller';
import { WatchList } from './watchList';

/** One poll of the pinned user: a failure slows polling down, as long as the server asked if it did. */
export function pollPinnedUser(watch: WatchList): () => Promise<PollResult> {
  return async () => {
    const pinned = watch.pinned;
    if (!pinned) return { ok: true };
    const state = await watch.refresh(pinned);
    if (state.kind !== 'error') return { ok: true };
    const retryAfter = state.error.details.retryAfterSeconds;
    return { ok: false, retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000 };
  };
}
