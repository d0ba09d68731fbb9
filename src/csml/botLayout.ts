/**
 * Which bot a flow file belongs to. A bot is the set of `.csml` flows under one folder: the nearest folder
 * above the file that holds `bot.json`, else the nearest folder named `flows`, else the workspace folder.
 * Paths use `/`; folders are given without a trailing slash.
 */
export function botFolderOf(file: string, botJsonFolders: ReadonlySet<string>, workspaceFolder: string): string {
  let flowsFolder: string | undefined;
  for (let end = file.lastIndexOf('/'); end > 0; end = file.lastIndexOf('/', end - 1)) {
    const folder = file.slice(0, end);
    if (botJsonFolders.has(folder)) return folder;
    if (flowsFolder === undefined && folder.slice(folder.lastIndexOf('/') + 1) === 'flows') flowsFolder = folder;
    if (folder === workspaceFolder) break;
  }
  return flowsFolder ?? workspaceFolder;
}

const BUILD_AND_PACKAGE_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'out']);

/**
 * Folders that never hold a bot's own flows, by name: installed packages, build output and hidden folders
 * (`.git`, `.vscode-test`…). The editor and csml-check both pass them over.
 */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || BUILD_AND_PACKAGE_FOLDERS.has(name);
}

/** Far above any real flow; the parser would manage more, but a file this big is not a flow someone wrote. */
export const MAX_FLOW_BYTES = 16 * 1024 * 1024;
