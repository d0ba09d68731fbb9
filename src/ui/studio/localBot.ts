import { Uri, window, workspace } from 'vscode';
import { parseBotJson } from '../../csml/botWorkspace';
import { parseCommands } from '../../roundtrip/validationRequest';
import { CsmlWorkspace } from '../language/csmlWorkspace';

/** A flow of the bot as the editor holds it now, unsaved changes included. */
export interface LocalBotFlow {
  readonly name: string;
  readonly content: string;
  /** From `<Flow>.cmds.csml`, as its editor holds it when open; undefined when the flow has no such file. */
  readonly commands?: string[];
  readonly uri: Uri;
}

/** The bot of one folder, as its files and editors hold it now. */
export interface LocalBot {
  readonly folder: string;
  /** By flow name; a second file of the same name is left out. */
  readonly flows: ReadonlyMap<string, LocalBotFlow>;
}

export async function readLocalBot(csml: CsmlWorkspace, folder: string): Promise<LocalBot> {
  const bot = (await csml.botsByFolder()).get(folder);
  const flows = new Map<string, LocalBotFlow>();
  for (const entry of bot?.all() ?? []) {
    const content = await csml.textOf(entry.key);
    if (content === undefined || flows.has(entry.name)) continue;
    const uri = Uri.parse(entry.key);
    flows.set(entry.name, { name: entry.name, content, commands: await readCommands(uri), uri });
  }
  return { folder, flows };
}

/**
 * The bot folder a command works on: the one of `hint` (the active editor's file), else the workspace's only bot,
 * else the one the user picks.
 */
export async function chooseBotFolder(csml: CsmlWorkspace, hint: Uri | undefined, title: string): Promise<string | undefined> {
  const bots = await csml.botsByFolder();
  const hinted = hint ? await csml.botFolderOf(hint) : undefined;
  if (hinted !== undefined && bots.has(hinted)) return hinted;
  const folders = [...bots.keys()].sort();
  if (folders.length === 1) return folders[0];
  if (folders.length === 0) {
    void window.showWarningMessage('No .csml flow is in this workspace; open the folder of your bot, then try again.');
    return undefined;
  }
  const picked = await window.showQuickPick(
    folders.map((folder) => ({ label: folderLabel(folder), description: count(bots.get(folder)?.size ?? 0, 'flow'), folder })),
    { title, placeHolder: 'The folder of the bot' },
  );
  return picked?.folder;
}

export function folderUri(folder: string): Uri {
  return Uri.from({ scheme: 'file', path: folder });
}

/** How a bot folder is named to the user: a workspace folder by its name, another folder by its path in the workspace. */
export function folderLabel(folder: string): string {
  const uri = folderUri(folder);
  const root = workspace.getWorkspaceFolder(uri);
  if (root && root.uri.path === uri.path) return root.name;
  return workspace.asRelativePath(uri, true) || folder;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `<Flow>.cmds.csml` beside the flow: its commands as its editor or the disk holds them; undefined without one. */
async function readCommands(flow: Uri): Promise<string[] | undefined> {
  const commandsFile = commandsFileOf(flow);
  const open = workspace.textDocuments.find((document) => document.uri.toString() === commandsFile.toString());
  if (open) return parseCommands(open.getText());
  try {
    return parseCommands(new TextDecoder().decode(await workspace.fs.readFile(commandsFile)));
  } catch {
    return undefined;
  }
}

export function commandsFileOf(flow: Uri): Uri {
  return flow.with({ path: flow.path.replace(/\.csml$/i, '.cmds.csml') });
}

/** The bot's name in the folder's bot.json, when there is one. */
export async function readBotName(folder: string): Promise<string | undefined> {
  try {
    return parseBotJson(new TextDecoder().decode(await workspace.fs.readFile(Uri.joinPath(folderUri(folder), 'bot.json'))))?.name;
  } catch {
    return undefined;
  }
}
