/**
 * Writing a downloaded bot's files into a folder the user chose: what each file would change, and the
 * writes themselves. Paths and contents come from a server, so every target is checked to stay inside the
 * folder, through links too, and each file is replaced in one rename: it is either as it was or complete.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The part of a planned file this needs; a `PlannedFile` of `studio/downloadPlan.ts` is one. */
export interface FileToWrite {
  /** Relative, with forward slashes: `bot.json` or `flows/<name>.csml`. */
  readonly path: string;
  readonly content: string;
}

export type FileState = 'absent' | 'same' | 'differs' | 'unsafe';

export interface FileComparison {
  state: FileState;
  /** The file's text now, when it is there and safe to read. */
  current?: string;
  /** Why it is unsafe. */
  reason?: string;
}

type Safety = { readonly target: string; readonly exists: boolean } | { readonly unsafe: string };

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Only the Studio CLI's files are ever written: never `.env` (the credentials), never anything elsewhere. */
function pathProblem(relative: string): string | undefined {
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  // Windows drops trailing dots and spaces, and compares without case: `.ENV.` is `.env` there.
  if (base.replace(/[. ]+$/, '').toLowerCase() === '.env') return 'it is a .env file, which a download never writes';
  if (relative === 'bot.json') return undefined;
  if (!relative.startsWith('flows/') || relative.indexOf('/') !== relative.lastIndexOf('/')) {
    return 'only bot.json and files directly in flows/ are written';
  }
  if (!base.toLowerCase().endsWith('.csml') || base.length === '.csml'.length) return 'only .csml files are written in flows/';
  // Already refused for flow names; here so that nothing else can slip a `\` or a `:` (an NTFS stream) through.
  if (/[\\<>:"|?*\0]/.test(base)) return 'its name holds a character Windows forbids in file names';
  return undefined;
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative);
}

/**
 * Where a planned file would go, if it may go there: inside the folder by its path, inside it still once
 * the links of its nearest existing folder are followed, and not onto a link or anything but a file.
 */
async function checkTarget(folder: string, relative: string): Promise<Safety> {
  const problem = pathProblem(relative);
  if (problem !== undefined) return { unsafe: problem };
  const root = path.resolve(folder);
  const target = path.resolve(root, relative);
  if (!isInside(root, target)) return { unsafe: 'it would be written outside the chosen folder' };

  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return { unsafe: 'the chosen folder cannot be read' };
  }
  let ancestor = path.dirname(target);
  while (ancestor !== root && !(await exists(ancestor))) ancestor = path.dirname(ancestor);
  try {
    const realAncestor = await fs.realpath(ancestor);
    if (realAncestor !== realRoot && !isInside(realRoot, realAncestor)) {
      return { unsafe: 'its folder is a link that leads outside the chosen folder' };
    }
    if (!(await fs.stat(realAncestor)).isDirectory()) return { unsafe: 'a file stands where its folder should be' };
  } catch {
    return { unsafe: 'its folder is a link that leads nowhere' };
  }

  try {
    const stat = await fs.lstat(target);
    if (stat.isSymbolicLink()) return { unsafe: 'it is a symbolic link, which is never followed' };
    if (stat.isDirectory()) return { unsafe: 'a folder stands in its place' };
    if (!stat.isFile()) return { unsafe: 'it is not a regular file' };
    return { target, exists: true };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { target, exists: false };
    return { unsafe: 'it cannot be examined' };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (error) {
    // Anything but "not there" counts as there, so that realpath reports it.
    return errorCode(error) !== 'ENOENT';
  }
}

function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/** For each planned path: absent, the same (line endings aside), different, or unsafe to write, with why. */
export async function compareWithFolder(folder: string, files: readonly FileToWrite[]): Promise<Map<string, FileComparison>> {
  const result = new Map<string, FileComparison>();
  for (const file of files) {
    const safety = await checkTarget(folder, file.path);
    if ('unsafe' in safety) {
      result.set(file.path, { state: 'unsafe', reason: safety.unsafe });
    } else if (!safety.exists) {
      result.set(file.path, { state: 'absent' });
    } else {
      try {
        const current = await fs.readFile(safety.target, 'utf8');
        result.set(file.path, { state: sameText(current, file.content) ? 'same' : 'differs', current });
      } catch (error) {
        result.set(file.path, { state: 'unsafe', reason: `it cannot be read (${errorCode(error) ?? 'unknown error'})` });
      }
    }
  }
  return result;
}

function failureReason(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission was denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EISDIR':
      return 'a folder stands in its place';
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENAMETOOLONG':
      return 'its name is too long for this disk';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Writes the text beside the target under a name no flow file can have, then renames it over the target. */
async function replaceFile(target: string, content: string): Promise<void> {
  // Never a `.csml` name, so an interrupted write can never be read as a flow.
  const temporary = path.join(path.dirname(target), `.download-${randomBytes(8).toString('hex')}.tmp`);
  try {
    // `wx` fails rather than open whatever already has the name, a link included.
    // A file replaced keeps its permissions (an executable bit, a group's write access).
    const mode = await fs.stat(target).then(
      (found) => found.mode & 0o7777,
      () => undefined,
    );
    const handle = await fs.open(temporary, 'wx', mode);
    try {
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A rename replaces a link at the target rather than following it.
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes each file whole or not at all, creating `flows/` when needed. Each target is checked again right
 * before its write; a refused or failed file is reported and the others are still written.
 */
export async function writeFilesAtomically(
  folder: string,
  files: readonly FileToWrite[],
): Promise<{ written: string[]; failed: Array<{ path: string; reason: string }> }> {
  const written: string[] = [];
  const failed: Array<{ path: string; reason: string }> = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) {
      failed.push({ path: file.path, reason: 'it appears twice among the files to write' });
      continue;
    }
    seen.add(file.path);
    try {
      if (pathProblem(file.path) === undefined && file.path.startsWith('flows/')) await makeFlowsFolder(folder);
      const safety = await checkTarget(folder, file.path);
      if ('unsafe' in safety) {
        failed.push({ path: file.path, reason: safety.unsafe });
        continue;
      }
      await replaceFile(safety.target, file.content);
      written.push(file.path);
    } catch (error) {
      failed.push({ path: file.path, reason: failureReason(error) });
    }
  }
  return { written, failed };
}

/** `flows/` in the chosen folder, which must exist already; whatever is there under that name is left to the checks. */
async function makeFlowsFolder(folder: string): Promise<void> {
  try {
    await fs.mkdir(path.join(path.resolve(folder), 'flows'));
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}
