import type { Disposable } from '../../common/emitter';
import type { WatchList } from '../../conversations/watchList';

/**
 * Runs `start` once, as soon as the watch list has a user, pinned or added: what draws users (markers
 * in the flow sources) costs nothing while nobody is watched.
 */
export function onceWatched(watch: WatchList, start: () => void): Disposable {
  let started = false;
  const check = () => {
    if (started || (!watch.pinned && watch.users.length === 0)) return;
    started = true;
    start();
  };
  const subscription = watch.onDidChange(check);
  check();
  return subscription;
}
