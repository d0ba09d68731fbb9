import type { Disposable } from '../../common/emitter';
import type { StepTrail } from '../../conversations/stepTrail';
import type { WatchedUser, WatchList } from '../../conversations/watchList';

/** What pinning drives besides the watch list. */
export interface PinnedUserTargets {
  readonly watch: WatchList;
  readonly trail: StepTrail;
  readonly poller: { resetBackoff(): void; start(): void; stop(): void; pollNow(): Promise<void> };
  /** The status bar item: the pinned user's state, or nothing when no one is pinned. */
  readonly status: { update(user: WatchedUser | undefined): void };
}

/**
 * The test user named by `csml.pinnedUserId`: shown first in the view and in the status bar, polled,
 * and followed step by step in their trail.
 */
export class PinnedUser implements Disposable {
  private readonly subscription: Disposable;

  constructor(
    private readonly targets: PinnedUserTargets,
    userId: string,
  ) {
    targets.watch.setPinned(userId || undefined);
    this.subscription = targets.watch.onDidChange((changed) => this.watchChanged(changed));
    this.show();
  }

  /** Polling starts once the window is up, never during activation itself. */
  startPolling(): void {
    if (this.targets.watch.pinned) this.targets.poller.start();
  }

  /** The setting changed: follow the new user (or nobody, for an empty id). */
  pin(userId: string): void {
    const { watch, trail, poller } = this.targets;
    if (watch.pinned && watch.pinned !== userId) trail.clear(watch.pinned);
    watch.setPinned(userId || undefined);
    this.show();
    poller.resetBackoff();
    if (userId) {
      poller.start();
      void poller.pollNow();
    } else {
      poller.stop();
    }
  }

  /** Draws the status bar item again, e.g. after the credentials profile changed. */
  show(): void {
    const { watch, status } = this.targets;
    status.update(watch.pinned ? watch.get(watch.pinned) : undefined);
  }

  private watchChanged(userId: string | undefined): void {
    const { watch, trail } = this.targets;
    const pinned = watch.pinned;
    if (userId === undefined || userId === pinned) this.show();
    if (pinned && userId === pinned) {
      const user = watch.get(pinned);
      if (user) trail.record(pinned, user.state);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
