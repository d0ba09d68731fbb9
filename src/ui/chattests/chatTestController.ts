import { randomBytes } from 'node:crypto';
import {
  CancellationToken,
  Diagnostic,
  DiagnosticCollection,
  DiagnosticSeverity,
  Disposable,
  FileSystemWatcher,
  languages,
  Location,
  Position,
  Range,
  TestController,
  TestItem,
  TestMessage,
  TestRun,
  TestRunProfileKind,
  TestRunRequest,
  tests,
  TextDocument,
  Uri,
  workspace,
} from 'vscode';
import { ChatTest, ChatTurn, FileProblem, readChatTest, testNameOf } from '../../chattests/chatTestFile';
import { runChatTest, TurnResult } from '../../chattests/chatTestRun';
import { studioChatTestDeps } from '../../chattests/studioChatTestDeps';
import { inParallel } from '../../common/inParallel';
import { BoundedRegex } from '../../common/boundedRegex';
import { LineIndex } from '../../csml/lineIndex';
import { FlowCatalog } from '../../conversations/flowCatalog';
import { differingFlows } from '../../roundtrip/differingFlows';
import { StudioConnection } from '../../conversations/studioConnection';
import { asStudioError } from '../../studio/errors';
import { Flow } from '../../studio/schema';
import { Logger } from '../log';
import { StudioAccess } from '../studioAccess';

export const CHAT_TESTS_CONTROLLER_ID = 'csml.chatTests';
const TEST_FILES = '**/*.chat.json';
/** As the command line: dependencies and dot-folders hold no tests of this bot. */
const SKIPPED = '{**/node_modules/**,**/.*/**}';
/** Tests run at once; the request pacer keeps all of them together under the Studio's limit. */
const PARALLEL_TESTS = 4;
const EDITS_SETTLE_MS = 300;

interface ReadFile {
  readonly test?: ChatTest;
  readonly problems: readonly FileProblem[];
  readonly text: string;
}

/** What every test of one run shares. */
interface RunContext {
  readonly run: TestRun;
  readonly connection: StudioConnection;
  readonly flows: readonly Flow[];
  readonly regex: BoundedRegex;
  readonly signal: AbortSignal;
  readonly summary: ChatTestRunSummary;
}

/** What a run found, for the extension's own tests. */
export interface ChatTestRunSummary {
  readonly files: { readonly uri: string; readonly status: 'passed' | 'failed' | 'errored'; readonly turns: readonly TurnResult[] }[];
  readonly differing: readonly string[];
}

/**
 * Chat tests in the Testing view: every `*.chat.json` of the workspace (outside node_modules) and its turns, found
 * when the Testing view first asks and kept in step with the files. A run replays each test as a new user against
 * the bot as deployed; a turn that differs shows the expected and actual answers as a diff, on the turn's line.
 */
export class ChatTestController implements Disposable {
  private readonly controller: TestController;
  private readonly diagnostics: DiagnosticCollection;
  private readonly files = new Map<string, ReadFile>();
  private readonly disposables: Disposable[] = [];
  private watcher: FileSystemWatcher | undefined;
  private settling = new Map<string, ReturnType<typeof setTimeout>>();
  private lastRun: ChatTestRunSummary | undefined;
  /** Files being run, whose turns keep their items until the run ends; a newer text waits here meanwhile. */
  private readonly running = new Map<string, string | undefined>();

  constructor(
    private readonly access: StudioAccess,
    private readonly catalog: FlowCatalog,
    /** A flow's local text, by its name; undefined when it has no local file. */
    private readonly localText: (flowName: string) => Promise<string | undefined>,
    private readonly logger: Logger,
  ) {
    this.controller = tests.createTestController(CHAT_TESTS_CONTROLLER_ID, 'CSML Chat Tests');
    this.diagnostics = languages.createDiagnosticCollection('csml-chat-tests');
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile('Run', TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.disposables.push(
      this.controller,
      this.diagnostics,
      workspace.onDidOpenTextDocument((document) => this.documentChanged(document)),
      workspace.onDidChangeTextDocument(({ document }) => this.documentChanged(document)),
      // Closed without saving: what counts again is the file on disk.
      workspace.onDidCloseTextDocument((document) => this.isTestFile(document.uri) && void this.readFromDisk(document.uri)),
      // A folder deleted or renamed in VS Code takes its tests with it.
      workspace.onDidDeleteFiles(({ files }) => files.forEach((uri) => this.forgetUnder(uri))),
      workspace.onDidRenameFiles(({ files }) => files.forEach(({ oldUri }) => this.forgetUnder(oldUri))),
    );
  }

  /** What the Testing view lists, for the extension's own tests. */
  get listed(): { file: string; label: string; error?: string; turns: string[] }[] {
    const files: { file: string; label: string; error?: string; turns: string[] }[] = [];
    this.controller.items.forEach((item) => {
      const turns: string[] = [];
      item.children.forEach((child) => turns.push(child.label));
      const error = typeof item.error === 'string' ? item.error : item.error?.value;
      files.push({ file: item.id, label: item.label, ...(error !== undefined ? { error } : {}), turns });
    });
    return files;
  }

  /** The latest run's outcome, for the extension's own tests. */
  get latestRun(): ChatTestRunSummary | undefined {
    return this.lastRun;
  }

  /** Finds every test file, once, then follows them with a watcher. */
  async discover(): Promise<void> {
    if (!this.watcher) {
      this.watcher = workspace.createFileSystemWatcher(TEST_FILES);
      this.disposables.push(
        this.watcher,
        this.watcher.onDidCreate((uri) => void this.readFromDisk(uri)),
        this.watcher.onDidChange((uri) => void this.readFromDisk(uri)),
        this.watcher.onDidDelete((uri) => this.forget(uri)),
      );
    }
    const uris = await workspace.findFiles(TEST_FILES, SKIPPED);
    const found = new Set(uris.map((uri) => uri.toString()));
    // Gone since the last look (deleted outside VS Code with their folder, say).
    this.controller.items.forEach((item) => !found.has(item.id) && item.uri && this.forget(item.uri));
    await Promise.all(uris.map((uri) => this.readFromDisk(uri)));
  }

  private isTestFile(uri: Uri): boolean {
    return uri.scheme === 'file' && uri.path.endsWith('.chat.json') && !isSkipped(uri) && workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private documentChanged(document: TextDocument): void {
    if (!this.isTestFile(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.settling.get(key));
    this.settling.set(
      key,
      setTimeout(() => {
        this.settling.delete(key);
        this.read(document.uri, document.getText());
      }, EDITS_SETTLE_MS),
    );
  }

  private async readFromDisk(uri: Uri): Promise<void> {
    if (!this.isTestFile(uri)) return;
    const open = workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await workspace.fs.readFile(uri));
    } catch {
      // Gone, or unreadable: nothing of it is listed.
      this.forget(uri);
      return;
    }
    this.read(uri, text);
  }

  /** Reads one file's text into its test item, its turns and its problems; while it runs, once the run ends. */
  private read(uri: Uri, text: string): void {
    const key = uri.toString();
    if (this.running.has(key)) {
      this.running.set(key, text);
      return;
    }
    const read = { ...readChatTest(text, uri.fsPath), text };
    const lines = new LineIndex(text);
    this.files.set(uri.toString(), read);
    const item = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), testNameOf(uri.path), uri);
    item.label = read.test?.name ?? testNameOf(uri.path);
    item.range = new Range(0, 0, 0, 0);
    const [first, ...more] = read.problems;
    item.error = first ? `${first.message}${more.length ? ` (and ${more.length} more problems: see the Problems panel)` : ''}` : undefined;
    item.children.replace((read.test?.turns ?? []).map((turn) => this.turnItem(uri, turn, lines)));
    this.controller.items.add(item);
    this.diagnostics.set(
      uri,
      read.problems.map((problem) => {
        const diagnostic = new Diagnostic(rangeOf(lines, problem.offset, problem.length), problem.message, DiagnosticSeverity.Error);
        diagnostic.source = 'CSML chat test';
        return diagnostic;
      }),
    );
  }

  private turnItem(uri: Uri, turn: ChatTurn, lines: LineIndex): TestItem {
    const item = this.controller.createTestItem(`${uri.toString()}#${turn.index}`, turnLabel(turn), uri);
    item.range = rangeOf(lines, turn.offset, turn.length);
    item.sortText = String(turn.index).padStart(6, '0');
    return item;
  }

  private forget(uri: Uri): void {
    const key = uri.toString();
    clearTimeout(this.settling.get(key));
    this.settling.delete(key);
    this.files.delete(key);
    this.controller.items.delete(key);
    this.diagnostics.delete(uri);
  }

  /** A file, or every test file in a folder. */
  private forgetUnder(uri: Uri): void {
    const folder = `${uri.toString()}/`;
    this.controller.items.forEach((item) => {
      if (item.uri && (item.id === uri.toString() || item.id.startsWith(folder))) this.forget(item.uri);
    });
  }

  private async run(request: TestRunRequest, token: CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const stop = new AbortController();
    const cancelled = token.onCancellationRequested(() => stop.abort());
    const summary: ChatTestRunSummary = { files: [], differing: [] };
    try {
      const chosen = this.filesOf(request);
      let connection: StudioConnection;
      let flows: readonly Flow[];
      try {
        connection = await this.access.connect();
        flows = await this.catalog.fresh(connection, stop.signal);
      } catch (error) {
        const message = new TestMessage(asStudioError(error).message);
        for (const item of chosen) {
          if (stop.signal.aborted) run.skipped(item);
          else run.errored(item, message);
        }
        return;
      }
      const differing = (
        await differingFlows(flows, this.localText).catch((error: unknown) => {
          this.logger.warn(`could not compare the local flows with the deployed ones: ${asStudioError(error).message}`);
          return [];
        })
      ).map((name) => `${name}.csml`);
      (summary.differing as string[]).push(...differing);
      run.appendOutput(
        differing.length
          ? `Runs against the bot as deployed in the Studio. Your local ${differing.join(', ')} differ from the deployed flows: deploy them to test your changes.\r\n`
          : 'Runs against the bot as deployed in the Studio.\r\n',
      );
      const regex = new BoundedRegex();
      try {
        await inParallel(chosen, PARALLEL_TESTS, async (item) => {
          if (stop.signal.aborted) run.skipped(item);
          else await this.runFile(item, { run, connection, flows, regex, signal: stop.signal, summary });
        });
      } finally {
        regex.dispose();
      }
    } finally {
      cancelled.dispose();
      this.lastRun = summary;
      run.end();
    }
  }

  private async runFile(item: TestItem, context: RunContext): Promise<void> {
    const uri = item.uri as Uri;
    // The text as it is now, unsaved edits included; edits during the run wait for its end.
    await this.readFromDisk(uri);
    const read = this.files.get(uri.toString());
    this.running.set(uri.toString(), undefined);
    try {
      await this.runRead(item, uri, read, context);
    } finally {
      const pending = this.running.get(uri.toString());
      this.running.delete(uri.toString());
      if (pending !== undefined) this.read(uri, pending);
    }
  }

  private async runRead(item: TestItem, uri: Uri, read: ReadFile | undefined, context: RunContext): Promise<void> {
    const { run, connection, flows, regex, signal, summary } = context;
    if (!read?.test || read.problems.length) {
      summary.files.push({ uri: uri.toString(), status: 'errored', turns: [] });
      run.errored(
        item,
        new TestMessage(`The file has problems (see the Problems panel): ${read?.problems[0]?.message ?? 'it could not be read.'}`),
      );
      return;
    }
    run.started(item);
    const lines = new LineIndex(read.text);
    const turnItems = new Map<number, TestItem>();
    item.children.forEach((child) => turnItems.set(Number(child.id.slice(child.id.lastIndexOf('#') + 1)), child));
    for (const child of turnItems.values()) run.enqueued(child);
    const deps = studioChatTestDeps(connection.client, () => Promise.resolve(flows));
    const started = Date.now();
    const result = await runChatTest(read.test, deps, {
      userId: `chat-test-${randomBytes(6).toString('hex')}`,
      signal,
      regex,
      onTurn: (turn) => {
        const turnItem = turnItems.get(turn.turn.index);
        if (turnItem) report(run, turnItem, turn, uri, lines);
      },
    });
    for (const turn of result.turns) {
      const turnItem = turnItems.get(turn.turn.index);
      if (turnItem && turn.status === 'skipped') run.skipped(turnItem);
    }
    summary.files.push({ uri: uri.toString(), status: result.status, turns: result.turns });
    const duration = Date.now() - started;
    const failure = result.turns.find((turn) => turn.status === 'failed' || turn.status === 'errored');
    // The file's own message is its first failing turn's, diff included, so either row shows what differs.
    const message = failure ? turnMessage(failure, uri, lines, `Turn ${failure.turn.index + 1}: `) : undefined;
    if (result.cancelled) run.skipped(item);
    else if (result.status === 'passed') run.passed(item, duration);
    else if (result.status === 'failed' && message) run.failed(item, message, duration);
    else run.errored(item, message ?? new TestMessage('The run stopped before the end.'), duration);
  }

  /** The file items a request names: a turn stands for its file, since a conversation runs whole. */
  private filesOf(request: TestRunRequest): TestItem[] {
    const all: TestItem[] = [];
    this.controller.items.forEach((item) => all.push(item));
    const chosen = request.include ? request.include.map((item) => item.parent ?? item) : all;
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    return [...new Map(chosen.map((item) => [item.id, item])).values()].filter((item) => !excluded.has(item.id));
  }

  dispose(): void {
    for (const timer of this.settling.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function report(run: TestRun, item: TestItem, turn: TurnResult, uri: Uri, lines: LineIndex): void {
  const message = () => turnMessage(turn, uri, lines);
  switch (turn.status) {
    case 'passed':
      run.passed(item, turn.durationMs);
      break;
    case 'failed':
      run.failed(item, message(), turn.durationMs);
      break;
    case 'errored':
      run.errored(item, message(), turn.durationMs);
      break;
    case 'skipped':
      run.skipped(item);
      break;
  }
}

/** A turn's failure: a diff of the answers when they differ, located on the turn. */
function turnMessage(turn: TurnResult, uri: Uri, lines: LineIndex, prefix = ''): TestMessage {
  const said = `${prefix}${turn.message ?? 'The answer differs.'}`;
  const made =
    turn.expected !== undefined && turn.actual !== undefined ? TestMessage.diff(said, turn.expected, turn.actual) : new TestMessage(said);
  made.location = new Location(uri, rangeOf(lines, turn.turn.offset, turn.turn.length));
  return made;
}

function turnLabel(turn: ChatTurn): string {
  const { action } = turn;
  const what =
    action.kind === 'text'
      ? `says "${action.text}"`
      : action.kind === 'click'
        ? `clicks "${action.title}"`
        : action.kind === 'payload'
          ? `sends payload "${action.payload}"`
          : `starts flow ${action.flow}`;
  return `Turn ${turn.index + 1}: ${what}`;
}

function rangeOf(lines: LineIndex, offset: number, length: number): Range {
  const start = lines.position(offset);
  const end = lines.position(offset + length);
  return new Range(new Position(start.line, start.character), new Position(end.line, end.character));
}

function isSkipped(uri: Uri): boolean {
  return uri.path.split('/').includes('node_modules');
}
