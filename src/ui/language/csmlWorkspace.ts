import { readFile as readFileWithCallback } from 'node:fs';
import { promisify } from 'node:util';
import { Disposable, FileSystemWatcher, FileType, Location, Range, TextDocument, Uri, workspace } from 'vscode';
import { botFolderOf, isSkippedFolder, MAX_FLOW_BYTES } from '../../csml/botLayout';
import { parseBotJson } from '../../csml/botWorkspace';
import { BotModel, FlowEntry } from '../../csml/botModel';
import { Emitter } from '../../common/emitter';
import { flowNameOfFile } from '../../csml/flowMatch';
import { FlowModel } from '../../csml/flowModel';
import { retryingOnce } from '../../common/retryingOnce';
import { walkFolder } from '../../common/folderWalk';
import { parseFlow } from '../../csml/flowParser';
import { inSlices } from '../../csml/slices';
import { LineIndex } from '../../csml/lineIndex';
import type { Span } from '../../csml/tokens';
import { Logger } from '../log';

/** Files asked for at once while a bot is read. */
const READ_AT_ONCE = 64;

/** A `.csml` flow, not a `<Flow>.cmds.csml` list of commands. */
export function isFlowFile(uri: Uri): boolean {
  return uri.scheme === 'file' && flowNameOfFile(uri.path) !== undefined && !uri.path.toLowerCase().endsWith('.cmds.csml');
}

/** A flow set in a bot (with the text its model was read from), or gone from it (no entry). */
export interface FlowUpdate {
  readonly bot: BotModel;
  readonly key: string;
  readonly entry?: FlowEntry;
  readonly text?: string;
}

/**
 * The workspace's bots, each a BotModel of its flows, read at the first question and kept fresh: open
 * documents as they are typed, other files through a watcher.
 */
export class CsmlWorkspace implements Disposable {
  private readonly bots = new Map<string, BotModel>();
  /** Per flow file: its bot folder, the line starts of the text its model was made from (for positions in closed files), the document version. */
  private readonly files = new Map<string, { folder: string; lines?: LineIndex; version?: number; read: number }>();
  /** Counts the reads begun: a text read before the one a flow holds is older, and dropped. */
  private reads = 0;
  /** Reads from disk not finished yet: a folder deleted meanwhile is remembered, so they drop its flows. */
  private reading = 0;
  /**
   * Files and folders deleted on disk: a document still open on one is no flow of the bot any more, and a read
   * that was under way when it went is dropped.
   */
  private readonly deleted = new Set<string>();
  /** Counts the resets: what a scan started before the latest one reads is dropped. */
  private generation = 0;
  private readonly parsedDocuments = new WeakMap<TextDocument, { version: number; model: FlowModel }>();
  private botJsonFolders = new Set<string>();
  /** Bot folder → the default flow its bot.json names. */
  private defaultFlows = new Map<string, string>();
  private readonly loaded = retryingOnce(() => this.scan());
  /** Whether the first scan began: events before it have nothing to update. */
  private scanning = false;
  private watchers: FileSystemWatcher[] = [];
  private subscriptions: Disposable[] = [];
  private readonly updates = new Emitter<FlowUpdate>();
  private readonly resets = new Emitter<void>();
  /** Each flow set in or deleted from a bot, as it happens. */
  readonly onDidUpdateFlow = this.updates.event;
  /** Every bot was forgotten, to be read again at the next question. */
  readonly onDidReset = this.resets.event;

  constructor(private readonly logger: Logger) {}

  /** The model of an open document, parsed again only when it changed. */
  modelOf(document: TextDocument): FlowModel {
    const cached = this.parsedDocuments.get(document);
    if (cached?.version === document.version) return cached.model;
    const model = parseFlow(document.getText());
    this.parsedDocuments.set(document, { version: document.version, model });
    return model;
  }

  /** The bot a document belongs to, with every open flow as it is now. */
  async botOf(document: TextDocument): Promise<BotModel | undefined> {
    if (!isFlowFile(document.uri)) return undefined;
    await this.load();
    this.syncOpenDocuments();
    return this.bots.get(this.files.get(document.uri.toString())?.folder ?? '');
  }

  /** Resolves once every flow of the workspace has been read: a bot checked before would miss flows. */
  async ready(): Promise<void> {
    await this.load();
  }

  /** Every bot of the workspace. */
  async allBots(): Promise<BotModel[]> {
    await this.load();
    this.syncOpenDocuments();
    return [...this.bots.values()];
  }

  /** Every bot of the workspace by its folder (a path, as `Uri.path` writes it). */
  async botsByFolder(): Promise<ReadonlyMap<string, BotModel>> {
    await this.load();
    this.syncOpenDocuments();
    return new Map(this.bots);
  }

  /** The folder of the bot a flow, a commands file or a bot.json belongs to, as `botsByFolder` names it. */
  async botFolderOf(uri: Uri): Promise<string | undefined> {
    if (uri.scheme !== 'file') return undefined;
    await this.load();
    if (uri.path.endsWith('/bot.json')) return parentOf(uri.path);
    const root = workspace.getWorkspaceFolder(uri)?.uri.path ?? parentOf(uri.path);
    return botFolderOf(uri.path, this.botJsonFolders, root);
  }

  /** The name a bot folder's `bot.json` gives the bot, if it has one. */
  async botNameOf(folder: string): Promise<string | undefined> {
    const text = await readText(Uri.file(`${folder}/bot.json`));
    return (text !== undefined ? parseBotJson(text)?.name?.trim() : undefined) || undefined;
  }

  /** A flow's text: the editor's when it is open (with what is not saved yet), else the file's. */
  async textOf(key: string): Promise<string | undefined> {
    const open = workspace.textDocuments.find((document) => document.uri.toString() === key);
    return open ? open.getText() : readText(Uri.parse(key));
  }

  /** A place in a flow, as VS Code shows it. */
  location(key: string, span: Span): Location {
    return new Location(Uri.parse(key), this.rangesIn(key)(span));
  }

  /** Turns places in one flow into ranges: the open document's, else those of the file's text as last read. */
  rangesIn(key: string): (span: Span) => Range {
    const open = workspace.textDocuments.find((document) => document.uri.toString() === key);
    if (open) return (span) => new Range(open.positionAt(span.start), open.positionAt(span.end));
    const lines = this.files.get(key)?.lines;
    if (!lines) return () => new Range(0, 0, 0, 0);
    return (span) => {
      const start = lines.position(span.start);
      const end = lines.position(span.end);
      return new Range(start.line, start.character, end.line, end.character);
    };
  }

  /** Resolves once a scan that no reset overtook has read every flow. */
  private async load(): Promise<void> {
    for (;;) {
      const generation = this.generation;
      await this.loaded.run();
      if (generation === this.generation) return;
    }
  }

  private async scan(): Promise<void> {
    const generation = this.generation;
    this.scanning = true;
    const started = Date.now();
    if (this.watchers.length === 0) this.watch();
    // Straight from the disk: the file service's answers wait on a window that is busy opening the flow.
    const folders = (workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const found = (await Promise.all(folders.map((folder) => filesUnder(folder.uri)))).flat();
    if (generation !== this.generation) return;
    // What is on disk now is not deleted, whatever was said of it before; a document left open on a file that
    // is gone stays out of the bot.
    const present = found.map((uri) => uri.toString());
    for (const gone of [...this.deleted]) if (present.some((key) => key === gone || key.startsWith(`${gone}/`))) this.deleted.delete(gone);
    const botJsons = found.filter((uri) => uri.path.endsWith('/bot.json'));
    this.botJsonFolders = new Set(botJsons.map((uri) => parentOf(uri.path)));
    const defaultFlows = readDefaultFlows(botJsons);
    await this.readFiles(found.filter(isFlowFile));
    const read = await defaultFlows;
    if (generation !== this.generation) return;
    this.defaultFlows = read;
    for (const [folder, bot] of this.bots) bot.defaultFlow = read.get(folder);
    // An open flow is what its editor holds, not what the disk had.
    this.syncOpenDocuments();
    this.logger.info(`read ${this.files.size} flows of ${this.bots.size} bot(s) in ${Date.now() - started} ms`);
  }

  private watch(): void {
    const flows = workspace.createFileSystemWatcher('**/*.csml');
    flows.onDidCreate((uri) => this.fileChanged(uri));
    flows.onDidChange((uri) => this.fileChanged(uri));
    flows.onDidDelete((uri) => this.forget(uri.toString()));
    // A folder deleted, moved or copied with its flows may be reported once, for the folder.
    const folders = workspace.createFileSystemWatcher('**/*', false, true, false);
    folders.onDidDelete((uri) => this.forget(uri.toString()));
    folders.onDidCreate((uri) => void this.folderCreated(uri));
    // A bot.json that comes or goes regroups the flows, one that changes may name another default flow: read
    // everything again at the next question.
    const botJson = workspace.createFileSystemWatcher('**/bot.json');
    const regroup = () => this.reset();
    botJson.onDidCreate(regroup);
    botJson.onDidChange(regroup);
    botJson.onDidDelete(regroup);
    this.watchers = [flows, folders, botJson];
    this.subscriptions = [
      workspace.onDidCloseTextDocument((document) => {
        if (isFlowFile(document.uri)) this.fileChanged(document.uri);
      }),
      workspace.onDidChangeWorkspaceFolders(regroup),
    ];
  }

  /** A new folder (moved, copied or unpacked) may hold flows that no event names one by one. */
  private async folderCreated(uri: Uri): Promise<void> {
    if (!this.scanning || isFlowFile(uri) || isExcluded(uri) || isSkippedFolder(uri.path.slice(uri.path.lastIndexOf('/') + 1))) return;
    try {
      if ((await workspace.fs.stat(uri)).type !== FileType.Directory) return;
    } catch {
      return;
    }
    const key = uri.toString();
    for (const gone of this.deleted) if (gone === key || gone.startsWith(`${key}/`)) this.deleted.delete(gone);
    await this.readFiles((await filesUnder(uri)).filter(isFlowFile));
  }

  private fileChanged(uri: Uri): void {
    if (!this.scanning || !isFlowFile(uri) || isExcluded(uri)) return;
    this.deleted.delete(uri.toString());
    // An open document is read from the editor, which also has what is not saved yet.
    const open = workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) this.update(uri, open.getText(), open.version, this.modelOf(open));
    else void this.readFile(uri);
  }

  private async readFile(uri: Uri): Promise<void> {
    const generation = this.generation;
    const read = ++this.reads;
    this.reading++;
    try {
      this.read(uri, await readText(uri), generation, read);
    } finally {
      this.reading--;
    }
  }

  /** Takes in what a read found, unless the file went, a newer text came, or the bots were forgotten meanwhile. */
  private read(uri: Uri, text: string | undefined, generation: number, read: number): void {
    const key = uri.toString();
    if (generation !== this.generation || this.isDeleted(key) || read < (this.files.get(key)?.read ?? 0)) return;
    if (text === undefined) this.forget(key);
    else this.update(uri, text, undefined, undefined, read);
  }

  /** Whether a file, or a folder above it, was deleted. */
  private isDeleted(key: string): boolean {
    for (let at = key.length; at > 0; at = key.lastIndexOf('/', at - 1)) if (this.deleted.has(key.slice(0, at))) return true;
    return false;
  }

  /**
   * Reads many flows: a batch of files is asked for at once (each read is a round trip to the file service),
   * then parsed a few milliseconds at a time.
   */
  private async readFiles(uris: readonly Uri[]): Promise<void> {
    const generation = this.generation;
    const readBatch = (first: number) => {
      const read = ++this.reads;
      return Promise.all(uris.slice(first, first + READ_AT_ONCE).map(readText)).then((texts) => ({ texts, read }));
    };
    this.reading++;
    try {
      let reading = readBatch(0);
      for (let first = 0; first < uris.length; first += READ_AT_ONCE) {
        const { texts, read } = await reading;
        if (generation !== this.generation) return;
        // The next batch is read from disk while this one is parsed.
        if (first + READ_AT_ONCE < uris.length) reading = readBatch(first + READ_AT_ONCE);
        // Shortest first: the longest flows are then read by code already warmed up, in shorter turns.
        const order = [...texts.keys()].sort((a, b) => (texts[a]?.length ?? 0) - (texts[b]?.length ?? 0));
        await inSlices(order, (i) => this.read(uris[first + i], texts[i], generation, read));
      }
    } finally {
      this.reading--;
    }
  }

  private syncOpenDocuments(): void {
    for (const document of workspace.textDocuments) {
      if (!isFlowFile(document.uri) || isExcluded(document.uri)) continue;
      const key = document.uri.toString();
      if (this.isDeleted(key) || this.files.get(key)?.version === document.version) continue;
      this.update(document.uri, document.getText(), document.version, this.modelOf(document));
    }
  }

  private update(uri: Uri, text: string, version?: number, model = parseFlow(text), read = ++this.reads): void {
    const key = uri.toString();
    const name = flowNameOfFile(uri.path);
    if (name === undefined) return;
    const root = workspace.getWorkspaceFolder(uri)?.uri.path ?? parentOf(uri.path);
    const folder = botFolderOf(uri.path, this.botJsonFolders, root);
    const previous = this.files.get(key);
    const before = previous && previous.folder !== folder ? this.bots.get(previous.folder) : undefined;
    if (before) {
      before.delete(key);
      this.updates.fire({ bot: before, key });
      if (before.size === 0 && previous) this.bots.delete(previous.folder);
    }
    // An open flow's places come from its document: the line starts are kept for closed files only.
    this.files.set(key, { folder, lines: version === undefined ? new LineIndex(text) : undefined, version, read });
    let bot = this.bots.get(folder);
    if (!bot) {
      bot = new BotModel();
      bot.defaultFlow = this.defaultFlows.get(folder);
      this.bots.set(folder, bot);
    }
    this.updates.fire({ bot, key, entry: bot.set(key, name, model), text });
  }

  /** Forgets a flow file, or every flow under a deleted folder. */
  private forget(key: string): void {
    // Any path deleted in the workspace comes here: only flows, folders of known flows, and anything while reads
    // are under way are worth remembering.
    let held = flowNameOfFile(key) !== undefined || this.reading > 0;
    for (const [known, file] of this.files) {
      if (known !== key && !known.startsWith(`${key}/`)) continue;
      held = true;
      this.files.delete(known);
      this.deleted.add(known);
      const bot = this.bots.get(file.folder);
      if (!bot) continue;
      bot.delete(known);
      this.updates.fire({ bot, key: known });
    }
    if (held) this.deleted.add(key);
  }

  private reset(): void {
    this.bots.clear();
    this.files.clear();
    this.scanning = false;
    this.generation++;
    this.loaded.forget();
    this.resets.fire();
  }

  dispose(): void {
    for (const disposable of [...this.watchers, ...this.subscriptions, this.updates, this.resets]) disposable.dispose();
  }
}

const readFile = promisify(readFileWithCallback);

/** A file's text; undefined when it cannot be read (gone, or not a file) or is too big to be a flow. */
async function readText(uri: Uri): Promise<string | undefined> {
  try {
    // The callback form: fs.promises' file handles cost the extension host three times the CPU for small files.
    const bytes = await readFile(uri.fsPath);
    // As an editor reads it: a byte order mark is no character of the text.
    return bytes.length > MAX_FLOW_BYTES ? undefined : stripByteOrderMark(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The flows and bot.json files under a folder, skipped folders left out. */
async function filesUnder(folder: Uri): Promise<Uri[]> {
  const found = await walkFolder(folder.fsPath, (name) => name === 'bot.json' || name.toLowerCase().endsWith('.csml'), isSkippedFolder);
  return found.map((file) => Uri.file(file));
}

/** The default flow each bot.json names, by its folder; a bot.json that cannot be read names none. */
async function readDefaultFlows(botJsons: readonly Uri[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  await Promise.all(
    botJsons.map(async (uri) => {
      try {
        const defaultFlow = parseBotJson((await readText(uri)) ?? '')?.defaultFlow;
        if (defaultFlow !== undefined) found.set(parentOf(uri.path), defaultFlow);
      } catch {
        // Unreadable: no default flow is known, and no flow is told it lacks a start step.
      }
    }),
  );
  return found;
}

function parentOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

function isExcluded(uri: Uri): boolean {
  return workspace.asRelativePath(uri, false).split('/').slice(0, -1).some(isSkippedFolder);
}
