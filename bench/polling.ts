/**
 * Polling on a fake clock: the real Poller, WatchList and pollPinnedUser, wired as extension.ts wires
 * them, over a look-up that counts its calls instead of sending requests.
 */
import { LookUp, LookUpOutcome } from '../src/conversations/lookUp';
import { pollPinnedUser } from '../src/conversations/pinnedPoll';
import { MAX_BACKOFF_MS, Poller } from '../src/conversations/poller';
import { KeyValueStore } from '../src/common/keyValueStore';
import { WatchList } from '../src/conversations/watchList';
import { StudioError } from '../src/studio/errors';
import { FakeClock } from '../test/support/fakeClock';
import { exactly, Report } from './report';

const GROUP = 'polling';
const PINNED = 'alice';
const INTERVAL_MS = 1000;
/** Each fake request takes this long on the fake clock. */
const ANSWER_MS = 50;

interface Rig {
  clock: FakeClock;
  watch: WatchList;
  poller: Poller;
  /** Fake-clock times at which the look-up was called. */
  calls: number[];
  /** What the `csml.refresh` command does. */
  readonly refreshCommand: () => Promise<void>;
}

function rig(fail: boolean): Rig {
  const clock = new FakeClock();
  const calls: number[] = [];
  const outcome: LookUpOutcome = { kind: 'none' };
  const lookUp: LookUp = (userId) => {
    calls.push(clock.now());
    return new Promise<LookUpOutcome>((resolve, reject) => {
      clock.setTimeout(() => {
        if (fail)
          reject(
            new StudioError('server', `The Studio failed to answer for ${userId} (HTTP 500); try again in a moment.`, { status: 500 }),
          );
        else resolve(outcome);
      }, ANSWER_MS);
    });
  };
  const watch = new WatchList(lookUp, memoryStore(), () => clock.now());
  // The poll extension.ts gives the Poller.
  const poller = new Poller(pollPinnedUser(watch), INTERVAL_MS, clock);
  watch.setPinned(PINNED);
  const refreshCommand = async () => {
    poller.resetBackoff();
    await Promise.all([watch.refreshAll(), poller.pollNow()]);
  };
  return { clock, watch, poller, calls, refreshCommand };
}

export async function runPolling(report: Report): Promise<void> {
  // 1. Focused window, pinned user, 1 s interval: requests in [0 s, 60 s].
  {
    const { clock, poller, calls } = rig(false);
    poller.setFocused(true);
    poller.start();
    await clock.advance(60_000);
    const inWindow = calls.filter((t) => t >= 0 && t <= 60_000).length;
    poller.dispose();
    report.metric(GROUP, 'poll_requests_60s', inWindow, 'count', exactly(61), { firstAt: calls[0], lastAt: calls[calls.length - 1] });
  }

  // 2. Unfocused window: nothing for 60 s.
  {
    const { clock, poller, calls } = rig(false);
    poller.setFocused(false);
    poller.start();
    await clock.advance(60_000);
    poller.dispose();
    report.metric(GROUP, 'poll_requests_unfocused', calls.length, 'count', exactly(0));
  }

  // 3. 50 refreshes at once (the csml.refresh command), while the poller runs: one request.
  {
    const { clock, poller, calls, refreshCommand } = rig(false);
    poller.setFocused(true);
    poller.start();
    await clock.advance(300); // the first poll has been answered; the next beat is at 1 s
    const before = calls.length;
    const refreshes = Array.from({ length: 50 }, () => refreshCommand());
    await clock.advance(ANSWER_MS + 10);
    await Promise.all(refreshes);
    const requests = calls.length - before;
    poller.dispose();
    report.metric(GROUP, 'poll_concurrent_refresh_requests', requests, 'count', exactly(1));
  }

  // 4. Ten failures in a row: the pause before the next poll.
  {
    const { clock, poller, calls } = rig(true);
    poller.setFocused(true);
    poller.start();
    for (let guard = 0; calls.length < 11 && guard < 24 * 60; guard++) await clock.advance(60_000);
    if (calls.length < 11) throw new Error(`only ${calls.length} polls in 24 fake hours`);
    const gapSeconds = (calls[10] - calls[9]) / 1000;
    const delayAfterTen = poller.delayMs;
    poller.dispose();
    report.metric(GROUP, 'poll_backoff_after_10_failures_s', gapSeconds, 's', exactly(MAX_BACKOFF_MS / 1000), {
      pollTimesSeconds: calls.slice(0, 11).map((t) => t / 1000),
      delayMsReportedAfterEleventhPoll: delayAfterTen,
    });
  }
  report.note(
    GROUP,
    `fake clock (test/support/fakeClock.ts), real Poller + WatchList + pollPinnedUser (as extension.ts wires them), pinned user, ${INTERVAL_MS / 1000} s interval,\n` +
      `each counted look-up answers after ${ANSWER_MS} fake ms. Refresh = what csml.refresh runs (resetBackoff, refreshAll + pollNow), 50 calls at once.\n` +
      'Backoff = fake seconds between the 10th failed poll and the 11th.',
  );
}

function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => void values.set(key, value),
  };
}
