import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { walkFolder } from '../common/folderWalk';
import { CHAT_TEST_SUFFIX } from './chatTestFile';

/** Folders a search for tests passes over: dependencies, and dot-folders such as .git. */
export function isSkippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/** The `*.chat.json` files named, or found under the folders named; a path that does not exist is said, in one sentence. */
export async function findChatTests(paths: readonly string[], cwd: string): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat) missing.push(given);
    else if (stat.isDirectory())
      for (const file of await walkFolder(full, (name) => name.endsWith(CHAT_TEST_SUFFIX), isSkippedFolder)) files.add(file);
    else files.add(full);
  }
  return { files: [...files].sort(), missing };
}
