/**
 * One deploy of a bot at a time across every VS Code window of this machine: a lock file in the extension's global
 * storage, created exclusively. A window that crashed leaves its file behind; the file names the process and is
 * refreshed while the deploy runs, so a lock whose process is gone, or that went stale, is taken over.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A deploy refreshes its lock this often; a lock not refreshed for STALE_AFTER_MS belongs to nobody. */
const REFRESH_MS = 5_000;
const STALE_AFTER_MS = 30_000;
const UNREADABLE_AFTER_MS = 2_000;

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
  readonly refreshed: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  readonly now?: () => number;
  /** Whether a process of this machine is alive; replaceable in tests. */
  readonly isAlive?: (pid: number) => boolean;
}

/** The lock of one bot (by its id, or its Studio and name when no id is known), or undefined when another window deploys it. */
export async function lockDeploy(storage: string, bot: string, options: LockOptions = {}): Promise<HeldLock | undefined> {
  const now = options.now ?? Date.now;
  const isAlive = options.isAlive ?? processAlive;
  await fs.mkdir(storage, { recursive: true });
  const file = path.join(storage, `deploy-${createHash('sha256').update(bot).digest('hex').slice(0, 32)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const record: LockRecord = { pid: process.pid, host: os.hostname(), since: now(), refreshed: now() };
    try {
      await fs.writeFile(file, JSON.stringify(record), { flag: 'wx' });
      return held(file, record, now);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readRecord(file);
    // An unreadable lock may be one being written this very moment: abandoned only once it has aged.
    const abandoned =
      holder === undefined
        ? (await ageMs(file)) > UNREADABLE_AFTER_MS
        : now() - holder.refreshed > STALE_AFTER_MS ||
          (holder.host === os.hostname() && holder.pid !== process.pid && !isAlive(holder.pid));
    if (!abandoned) return undefined;
    // Taken over by a rename, which one window alone can win. What it moved must be the record judged abandoned:
    // otherwise it is another window's fresh lock, and goes back.
    const moved = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      await fs.rename(file, moved);
    } catch {
      continue;
    }
    const taken = await readRecord(moved);
    const judged = holder === undefined ? taken === undefined : taken?.pid === holder.pid && taken.since === holder.since;
    if (!judged) {
      await fs.link(moved, file).catch(() => undefined);
      await fs.rm(moved, { force: true });
      return undefined;
    }
    await fs.rm(moved, { force: true });
  }
  return undefined;
}

function held(file: string, record: LockRecord, now: () => number): HeldLock {
  const ours = (found: LockRecord | undefined) => found?.pid === record.pid && found.since === record.since;
  let refreshing: Promise<void> = Promise.resolve();
  // Refreshed only while it is still this deploy's: a lock taken over after it went stale is not written back.
  const refresh = async () => {
    if (!ours(await readRecord(file))) return;
    // `r+`: never creates the file again once it is gone; the text is cut to its new length.
    const handle = await fs.open(file, 'r+');
    try {
      const text = Buffer.from(JSON.stringify({ ...record, refreshed: now() }));
      await handle.write(text, 0, text.length, 0);
      await handle.truncate(text.length);
    } finally {
      await handle.close();
    }
  };
  const timer = setInterval(() => {
    refreshing = refreshing.then(refresh).catch(() => undefined);
  }, REFRESH_MS);
  timer.unref?.();
  return {
    async release() {
      clearInterval(timer);
      await refreshing;
      if (ours(await readRecord(file))) await fs.rm(file, { force: true });
    },
  };
}

async function readRecord(file: string): Promise<LockRecord | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockRecord>;
    if (
      typeof value.pid !== 'number' ||
      typeof value.host !== 'string' ||
      typeof value.since !== 'number' ||
      typeof value.refreshed !== 'number'
    )
      return undefined;
    return value as LockRecord;
  } catch {
    return undefined;
  }
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs;
  } catch {
    return Infinity;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
