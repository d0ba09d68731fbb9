/**
 * One deploy of a bot at a time across every VS Code window of this machine: a lock file in the extension's global
 * storage, created exclusively. A window that crashed leaves its file behind; the file names the process and is
 * refreshed while the deploy runs, so a lock whose process is gone, or that went stale, is taken over.
 */
import { createHash } from 'node:crypto';
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
    // Whoever removes it first wins the next exclusive create; the loser sees EEXIST again and gives up.
    await fs.rm(file, { force: true });
  }
  return undefined;
}

function held(file: string, record: LockRecord, now: () => number): HeldLock {
  const timer = setInterval(() => {
    void fs.writeFile(file, JSON.stringify({ ...record, refreshed: now() })).catch(() => undefined);
  }, REFRESH_MS);
  timer.unref?.();
  return {
    async release() {
      clearInterval(timer);
      const holder = await readRecord(file);
      // Only its own lock: one taken over after it went stale belongs to another deploy now.
      if (holder?.pid === record.pid && holder.since === record.since) await fs.rm(file, { force: true });
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
