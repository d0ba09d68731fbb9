import type { WatchList } from '../../conversations/watchList';

/**
 * The Conversations view came on screen: users restored from the last session are looked up then (not
 * at start-up), and the bot is named.
 */
export function onViewShown(watch: WatchList, botName: { viewShown(): void }): () => void {
  return () => {
    if (watch.users.some((user) => user.state.kind === 'pending' && !user.refreshing)) void watch.refreshAll();
    botName.viewShown();
  };
}
