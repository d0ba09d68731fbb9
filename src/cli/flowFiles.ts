import * as fs from 'node:fs';
import { isSkippedFolder, MAX_FLOW_BYTES } from '../csml/botLayout';
import { flowNameOfFile } from '../csml/flowMatch';

/** What a folder holds, searched through all its subfolders. Paths use `/`. */
export interface FolderContents {
  /** The `.csml` flows, `.cmds.csml` files left out, in a stable order. */
  readonly flows: string[];
  /** The folders that hold a `bot.json`. */
  readonly botJsonFolders: string[];
  /** Folders that could not be listed, with the reason. */
  readonly unreadableFolders: { readonly folder: string; readonly reason: string }[];
}

/**
 * Finds the flows under `folder`. Symbolic links to folders are not followed, so a link loop cannot trap the
 * search; a link to a file is taken as that file.
 */
export function findFlows(folder: string): FolderContents {
  const contents: FolderContents = { flows: [], botJsonFolders: [], unreadableFolders: [] };
  const pending = [folder];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (error) {
      contents.unreadableFolders.push({ folder: current, reason: errorCode(error) });
      continue;
    }
    const subfolders: string[] = [];
    for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
      const path = current.endsWith('/') ? `${current}${entry.name}` : `${current}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) subfolders.push(path);
      } else if (entry.name === 'bot.json') {
        if (isFile(entry, path)) contents.botJsonFolders.push(current);
      } else if (flowNameOfFile(entry.name) !== undefined && isFile(entry, path)) {
        contents.flows.push(path);
      }
    }
    // Last pushed, first searched: reversed, the subfolders are searched in name order.
    pending.push(...subfolders.reverse());
  }
  return contents;
}

function isFile(entry: fs.Dirent, path: string): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false; // a dangling link, or a loop of links
  }
}

/** A flow's text, or why it is not checked. */
export type FlowText =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: UnreadableCode; readonly message: string };

export type UnreadableCode = 'unreadable-file' | 'file-too-large' | 'binary-file' | 'not-utf8';

/** Reads a flow as UTF-8 text (a byte order mark is dropped, as editors do), refusing what is not text. */
export function readFlowText(file: string, maxBytes = MAX_FLOW_BYTES): FlowText {
  let bytes: Buffer;
  try {
    bytes = readAtMost(file, maxBytes + 1);
  } catch (error) {
    return {
      ok: false,
      code: 'unreadable-file',
      message: `The file could not be read (${errorCode(error)}): check that it exists and that you may read it.`,
    };
  }
  if (bytes.length > maxBytes)
    return {
      ok: false,
      code: 'file-too-large',
      message: `The file is over ${Math.round(maxBytes / 1024 / 1024)} MB, far more than a flow holds, and was not checked: check that it is a CSML flow.`,
    };
  if (bytes.includes(0))
    return {
      ok: false,
      code: 'binary-file',
      message:
        'The file holds NUL bytes, so it is not CSML text, and was not checked: remove it or rename it to something other than .csml.',
    };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, code: 'not-utf8', message: 'The file is not valid UTF-8 and was not checked: save it with the UTF-8 encoding.' };
  }
}

/** Reads no more than `limit` bytes, whatever size the file claims or grows to while it is read. */
function readAtMost(file: string, limit: number): Buffer {
  const descriptor = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(limit - total, 1 << 20));
      const read = fs.readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(descriptor);
  }
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}

/** Orders by UTF-16 code units, the same on every machine, unlike a locale's collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
