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
import { positionOf } from '../../csml/lineIndex';
import { FlowCatalog } from '../../conversations/flowCatalog';
import { differingFlows } from '../../roundtrip/differingFlows';
import { StudioConnection } from '../../conversations/studioConnection';
import { asStudioError } from '../../studio/errors';
import { Flow } from '../../studio/schema';
import { Logger } from '../log';
import { StudioAccess } from '../studioAccess';

export const CHAT_TESTS_CONTROLLER_ID = 'csml.chatTests';
const TEST_FILES = '**/*.chat.json';
const SKIPPED = '**/node_modules/**';
/** Tests run at once; the request pacer keeps all of them together under the Studio's limit. */
const PARALLEL_TESTS = 4;
const EDITS_SETTLE_MS = 300;

interface ReadFile {
  readonly test?: ChatTest;
  readonly problems: readonly FileProblem[];
  readonly text: string;
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
    );
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
    await Promise.all(uris.map((uri) => this.readFromDisk(uri)));
  }

  private documentChanged(document: TextDocument): void {
    if (document.uri.scheme !== 'file' || !document.uri.path.endsWith('.chat.json') || isSkipped(document.uri)) return;
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
    if (isSkipped(uri)) return;
    const open = workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    try {
      this.read(uri, open ? open.getText() : new TextDecoder().decode(await workspace.fs.readFile(uri)));
    } catch (error) {
      this.logger.warn(`could not read a chat test: ${asStudioError(error).message}`);
    }
  }

  /** Reads one file's text into its test item, its turns and its problems. */
  private read(uri: Uri, text: string): ReadFile {
    const read = { ...readChatTest(text, uri.fsPath), text };
    this.files.set(uri.toString(), read);
    const item = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), testNameOf(uri.path), uri);
    item.label = read.test?.name ?? testNameOf(uri.path);
    item.range = new Range(0, 0, 0, 0);
    item.error = read.problems.length
      ? `${read.problems[0].message} (and ${read.problems.length - 1} more problems in the file)`.replace(
          ' (and 0 more problems in the file)',
          '',
        )
      : undefined;
    item.children.replace((read.test?.turns ?? []).map((turn) => this.turnItem(uri, turn, text)));
    this.controller.items.add(item);
    this.diagnostics.set(
      uri,
      read.problems.map((problem) => {
        const diagnostic = new Diagnostic(rangeOf(text, problem.offset, problem.length), problem.message, DiagnosticSeverity.Error);
        diagnostic.source = 'CSML chat test';
        return diagnostic;
      }),
    );
    return read;
  }

  private turnItem(uri: Uri, turn: ChatTurn, text: string): TestItem {
    const item = this.controller.createTestItem(`${uri.toString()}#${turn.index}`, turnLabel(turn), uri);
    item.range = rangeOf(text, turn.offset, turn.length);
    item.sortText = String(turn.index).padStart(6, '0');
    return item;
  }

  private forget(uri: Uri): void {
    this.files.delete(uri.toString());
    this.controller.items.delete(uri.toString());
    this.diagnostics.delete(uri);
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
        for (const item of chosen) run.errored(item, message);
        return;
      }
      const differing = (await differingFlows(flows, this.localText)).map((name) => `${name}.csml`);
      (summary.differing as string[]).push(...differing);
      run.appendOutput(
        differing.length
          ? `Runs against the bot as deployed in the Studio. Your local ${differing.join(', ')} differ from the deployed flows: deploy them to test your changes.\r\n`
          : 'Runs against the bot as deployed in the Studio.\r\n',
      );
      const regex = new BoundedRegex();
      await inParallel(chosen, PARALLEL_TESTS, async (item) => {
        if (stop.signal.aborted) run.skipped(item);
        else await this.runFile(item, run, connection, flows, regex, stop.signal, summary);
      });
    } finally {
      cancelled.dispose();
      this.lastRun = summary;
      run.end();
    }
  }

  private async runFile(
    item: TestItem,
    run: TestRun,
    connection: StudioConnection,
    flows: readonly Flow[],
    regex: BoundedRegex,
    signal: AbortSignal,
    summary: ChatTestRunSummary,
  ): Promise<void> {
    const uri = item.uri as Uri;
    // The text as it is now, unsaved edits included.
    await this.readFromDisk(uri);
    const read = this.files.get(uri.toString());
    if (!read?.test || read.problems.length) {
      run.errored(
        item,
        new TestMessage(`The file has problems (see the Problems panel): ${read?.problems[0]?.message ?? 'it could not be read.'}`),
      );
      return;
    }
    run.started(item);
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
        if (turnItem) report(run, turnItem, turn, uri, read.text);
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
    const message = failure ? turnMessage(failure, uri, read.text, `Turn ${failure.turn.index + 1}: `) : undefined;
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

function report(run: TestRun, item: TestItem, turn: TurnResult, uri: Uri, text: string): void {
  const message = () => turnMessage(turn, uri, text);
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
function turnMessage(turn: TurnResult, uri: Uri, text: string, prefix = ''): TestMessage {
  const said = `${prefix}${turn.message ?? 'The answer differs.'}`;
  const made =
    turn.expected !== undefined && turn.actual !== undefined ? TestMessage.diff(said, turn.expected, turn.actual) : new TestMessage(said);
  made.location = new Location(uri, rangeOf(text, turn.turn.offset, turn.turn.length));
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

function rangeOf(text: string, offset: number, length: number): Range {
  const start = positionOf(text, offset);
  const end = positionOf(text, offset + length);
  return new Range(new Position(start.line, start.character), new Position(end.line, end.character));
}

function isSkipped(uri: Uri): boolean {
  return uri.path.split('/').includes('node_modules');
}
