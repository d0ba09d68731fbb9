import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The files under `folder` that `wanted` accepts (given their name), searching every subfolder but those
 * `skipped` rejects (given their name), each folder's entries asked for at once. Links to folders are not
 * followed, so a loop of links cannot trap the walk; a folder that cannot be listed is passed over.
 */
export async function walkFolder(folder: string, wanted: (name: string) => boolean, skipped: (name: string) => boolean): Promise<string[]> {
  const files: string[] = [];
  const visit = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    const subfolders: Promise<void>[] = [];
    for (const entry of entries) {
      const child = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!skipped(entry.name)) subfolders.push(visit(child));
      } else if ((entry.isFile() || entry.isSymbolicLink()) && wanted(entry.name)) files.push(child);
    }
    await Promise.all(subfolders);
  };
  await visit(folder);
  return files.sort();
}
