import { botFolderOf } from '../csml/botLayout';

/**
 * What stands for VS Code's workspace folder on the command line, the highest folder a bot may have: a folder
 * given is its own; a file given has the current directory when it lies under it, else the file's own folder.
 * Paths use `/`, folders without a trailing slash.
 */
export function workspaceFolderOfFile(file: string, currentFolder: string): string {
  return isInside(file, currentFolder) ? currentFolder : parentOf(file);
}

/** The folders from a file's own up to `workspaceFolder`, nearest first: where a `bot.json` would make its bot. */
export function foldersUpTo(file: string, workspaceFolder: string): string[] {
  const folders: string[] = [];
  for (let folder = parentOf(file); ; folder = parentOf(folder)) {
    folders.push(folder);
    if (folder === workspaceFolder || !isInside(folder, workspaceFolder) || parentOf(folder) === folder) break;
  }
  return folders;
}

/** A flow file and the workspace folder it was found under. */
export interface FoundFlow {
  readonly file: string;
  readonly workspaceFolder: string;
}

/** The flows of each bot, by bot folder (see `botFolderOf`), in the order they came. */
export function groupIntoBots(flows: Iterable<FoundFlow>, botJsonFolders: ReadonlySet<string>): Map<string, string[]> {
  const bots = new Map<string, string[]>();
  for (const { file, workspaceFolder } of flows) {
    const folder = botFolderOf(file, botJsonFolders, workspaceFolder);
    const files = bots.get(folder);
    if (files) files.push(file);
    else bots.set(folder, [file]);
  }
  return bots;
}

/** Whether `path` is `folder` or lies under it. */
export function isInside(path: string, folder: string): boolean {
  if (path === folder) return true;
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return path.startsWith(prefix);
}

/** The folder holding `path`; the root is its own parent. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return path;
  if (slash === 0) return '/';
  // `C:/x` has `C:/` above it, as `/x` has `/`.
  return slash === 2 && path[1] === ':' ? path.slice(0, 3) : path.slice(0, slash);
}
