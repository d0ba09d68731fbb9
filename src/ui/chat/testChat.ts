import { randomBytes } from 'node:crypto';
import { commands, Disposable, env, Memento, Uri, window } from 'vscode';
import { ChatBlocker, chatNotice, ChatPanelRequest, ChatPanelState, PanelCommand, panelAction } from '../../chat/chatPanelProtocol';
import { ChatSession, FlowToStart, TurnResult } from '../../chat/chatSession';
import { ChatTranscript, StepPlace } from '../../chat/chatTranscript';
import { replyLine } from '../../chat/replyLines';
import { FlowCatalog } from '../../conversations/flowCatalog';
import { WatchList } from '../../conversations/watchList';
import { flowNameOfFile, resolveFlow } from '../../csml/flowMatch';
import { asStudioError, StudioError } from '../../studio/errors';
import { Command } from '../commandIds';
import { StudioAccess } from '../studioAccess';
import { TEST_CHAT_VIEW_ID } from '../viewIds';
import { ProfileDisplay } from '../reactions/credentialsContext';
import { saveChatAsTest } from './saveChatAsTest';
import { TestChatView } from './testChatView';

const TRANSCRIPT_KEY = 'csml.testChat.transcript';
const EDITS_SETTLE_MS = 500;
/** Whom the history was last talking as, so a pin changed while the window was closed is noted too. */
const USER_KEY = 'csml.testChat.user';

export interface TestChatDeps {
  readonly access: StudioAccess;
  readonly watch: WatchList;
  readonly catalog: FlowCatalog;
  readonly workspaceState: Memento;
  /** Whether credentials are stored; undefined until the secrets were first read. */
  readonly hasCredentials: () => boolean | undefined;
  /** The deployed flows whose local file differs, by name. */
  readonly differingFlows: () => Promise<string[]>;
  /** Opens the diff of a deployed flow, by name, against its local file. */
  readonly compare: (flowName: string) => Promise<unknown>;
  /** Makes a user id the pinned one, and remembers it among the recent ones. */
  readonly pin: (userId: string) => Promise<void>;
}

/**
 * The Test Chat: the pinned test user's talk with the deployed bot, in the view and kept in the workspace's state.
 * The commands that send a message or start a flow lead here too, and return the bot's replies as text.
 */
export class TestChat implements ProfileDisplay, Disposable {
  private restored: ChatSession | undefined;
  private talkingAs: string | undefined;
  private profile: string | undefined;
  private profileKnown = false;
  private saving: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** The local flows that differ from the deployed ones, as last worked out. */
  private differing: readonly string[] = [];
  private comparing = 0;
  private editsSettling: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: TestChatDeps,
    private readonly view: TestChatView,
  ) {
    const kept = deps.workspaceState.get<unknown>(USER_KEY);
    this.talkingAs = typeof kept === 'string' && kept !== '' ? kept : deps.watch.pinned;
  }

  /** Read back from the workspace's state at first use, not while VS Code starts: it may hold a megabyte. */
  private get session(): ChatSession {
    if (this.restored) return this.restored;
    const { deps } = this;
    const transcript = ChatTranscript.restore(deps.workspaceState.get<unknown>(TRANSCRIPT_KEY));
    this.restored = new ChatSession(transcript, {
      chat: async (userId, payload) =>
        window.withProgress({ location: { viewId: TEST_CHAT_VIEW_ID } }, async () =>
          (await deps.access.connect()).client.chat(userId, payload),
        ),
      placeOf: (userId) => this.placeOf(userId),
      defaultFlow: () => this.defaultFlow(),
      changed: () => this.changed(),
    });
    return this.restored;
  }

  /** Draws the view again: the pinned user, the credentials or the deployed flows may have changed. */
  update(): void {
    if (this.disposed) return;
    const pinned = this.deps.watch.pinned;
    if (pinned !== undefined && pinned !== this.talkingAs) {
      // The note belongs after what was said as the previous user.
      if (this.talkingAs !== undefined) this.noteChange(`Now talking as ${pinned}`);
      this.talkingAs = pinned;
      void this.deps.workspaceState.update(USER_KEY, pinned);
    }
    this.view.refresh();
  }

  /**
   * Works out again which local flows differ from the deployed ones: when the view shows, after each answer, and
   * when a flow file changes. Only the newest answer counts.
   */
  refreshDiffering(): void {
    if (this.disposed || !this.view.shown) return;
    const run = ++this.comparing;
    this.deps.differingFlows().then(
      (names) => {
        if (run !== this.comparing || this.disposed) return;
        this.differing = names;
        this.view.refresh();
      },
      () => undefined, // no credentials or no Studio: the view says so in other ways
    );
  }

  /** A flow was edited: compared again once the edits pause, as a reloaded or typed-in document is one. */
  flowEdited(): void {
    clearTimeout(this.editsSettling);
    this.editsSettling = setTimeout(() => this.refreshDiffering(), EDITS_SETTLE_MS);
  }

  /** Called after each change of the stored credentials, with the active profile when there are several. */
  setProfile(profile: string | undefined): void {
    // Another profile may be another bot: what follows in the history was said to it.
    if (this.profileKnown && profile !== this.profile) this.noteChange(`Now using the credentials profile ${profile ?? 'in use'}`);
    this.profileKnown = true;
    this.profile = profile;
    this.update();
  }

  private noteChange(text: string): void {
    this.session.transcript.note(text, { newSession: true });
    this.save();
  }

  /** `CSML: Open Test Chat`. */
  open(): Promise<void> {
    return this.view.reveal(true);
  }

  /** `CSML: Send Message as Test User…`: with a text, sends it; without one, the view's message box takes it. */
  async sendMessage(text?: unknown): Promise<string[] | undefined> {
    if (typeof text !== 'string' || text.trim() === '') {
      await this.view.reveal(true);
      return undefined;
    }
    const userId = this.userOrSay();
    if (!userId) return undefined;
    void this.view.reveal(false);
    return lines(await this.session.send(userId, text));
  }

  /** `CSML: Start Flow for Test User`: a flow_trigger that closes any open flow. */
  async triggerFlow(arg?: unknown): Promise<string[] | undefined> {
    const userId = this.userOrSay();
    if (!userId) return undefined;
    const flow = await this.flowToStart(arg);
    if (!flow) return undefined;
    void this.view.reveal(false);
    return lines(await this.session.startFlow(userId, flow));
  }

  /** `CSML: Restart Test Conversation`: the default flow again, from its start. */
  async restart(): Promise<string[] | undefined> {
    const userId = this.userOrSay();
    if (!userId) return undefined;
    void this.view.reveal(false);
    return lines(await this.session.restart(userId));
  }

  /** `CSML: New Test User`: a user id never used before, pinned, so the bot meets a stranger. */
  async newTestUser(): Promise<string> {
    const userId = `test-${randomBytes(4).toString('hex')}`;
    await this.deps.pin(userId);
    void this.view.reveal(true);
    return userId;
  }

  /** `CSML: Save Test Chat as Test…`. */
  saveAsTest(): Promise<Uri | undefined> {
    return saveChatAsTest(this.session.transcript.entries);
  }

  /** `CSML: Clear Test Chat`: the history only; the conversation in the Studio stays as it is. */
  clear(): void {
    this.session.transcript.clear();
    this.changed();
  }

  /** What the view asked for, acted on from the transcript's own entries; a failure is said, never left unhandled. */
  handle(request: ChatPanelRequest): void {
    Promise.resolve()
      .then(() => this.act(request))
      .catch((error: unknown) => void window.showErrorMessage(`The Test Chat could not do that: ${asStudioError(error).message}`));
  }

  private async act(request: ChatPanelRequest): Promise<unknown> {
    const action = panelAction(request, this.session.transcript.entries, this.deps.watch.pinned);
    switch (action?.kind) {
      case undefined:
        return undefined;
      case 'send':
        return this.session.send(action.userId, action.text);
      case 'click':
        return this.session.click(action.userId, action.button);
      case 'retry':
        return this.session.retry(action.userId, action.entryId);
      case 'openStep':
        return commands.executeCommand(Command.openFlowAt, action.place);
      case 'openLink':
        return env.openExternal(Uri.parse(action.url, true));
      case 'refusedLink':
        return window.showWarningMessage('Only http and https addresses are opened from the Test Chat; copy this one if you trust it.');
      case 'command':
        return this.run(action.command);
    }
  }

  private run(command: PanelCommand): Thenable<unknown> {
    switch (command) {
      case 'restart':
        return this.restart();
      case 'newTestUser':
        return this.newTestUser();
      case 'pinTestUser':
        return commands.executeCommand(Command.pinTestUser);
      case 'setCredentials':
        return commands.executeCommand(Command.setCredentials);
      case 'compareWithDeployed':
        return this.compareDiffering();
      case 'clear':
        this.clear();
        return Promise.resolve();
      case 'saveAsTest':
        return this.saveAsTest();
    }
  }

  private async compareDiffering(): Promise<unknown> {
    const names = [...this.differing];
    const name =
      names.length === 1
        ? names[0]
        : await window.showQuickPick(names, { title: 'CSML: Compare with Deployed', placeHolder: 'The flow to compare' });
    return name === undefined ? undefined : this.deps.compare(name);
  }

  /** What the view draws. */
  state(): ChatPanelState {
    const userId = this.deps.watch.pinned;
    const credentials = this.deps.hasCredentials();
    const blocker: ChatBlocker | undefined =
      credentials === undefined ? 'starting' : !credentials ? 'noCredentials' : userId === undefined ? 'noPinnedUser' : undefined;
    return {
      ...(userId !== undefined ? { userId } : {}),
      ...(this.profile !== undefined ? { profile: this.profile } : {}),
      ...(blocker ? { blocker } : {}),
      notice: chatNotice(this.differing),
      version: this.session.transcript.version,
      entries: this.session.transcript.entries,
    };
  }

  private changed(): void {
    if (this.disposed) return;
    this.view.refresh();
    this.save();
  }

  /** Written once per burst of changes: an answer changes the transcript two or three times in a row. */
  private save(): void {
    if (this.disposed) return;
    clearTimeout(this.saving);
    this.saving = setTimeout(() => {
      this.saving = undefined;
      void this.deps.workspaceState.update(TRANSCRIPT_KEY, this.session.transcript.toJSON());
    }, 50);
  }

  /** Asked after each answer, which is also when what differs from the deployed flows is worked out again. */
  private async placeOf(userId: string): Promise<StepPlace | undefined> {
    this.refreshDiffering();
    // A user no longer pinned nor shown is not looked up: that would add them back to the watch list.
    if (!this.deps.watch.get(userId)) return undefined;
    const state = await this.deps.watch.refreshAfterNow(userId);
    if (state.kind !== 'open') return undefined;
    const { conversation, flow } = state;
    return { flowId: conversation.flowId, ...(flow ? { flowName: flow.name } : {}), stepId: conversation.stepId };
  }

  private async defaultFlow(): Promise<FlowToStart> {
    const connection = await this.deps.access.connect();
    const bot = await connection.client.getBot();
    if (bot.defaultFlow === undefined || bot.defaultFlow === '') {
      throw new StudioError(
        'badRequest',
        'The bot names no default flow; set one in the Studio, or start a flow with "CSML: Start Flow for Test User".',
      );
    }
    // Named for the transcript when the flows are known; the Studio takes the reference as it is either way.
    const flow = resolveFlow(bot.defaultFlow, await this.deps.catalog.all(connection).catch(() => []));
    return { id: bot.defaultFlow, name: flow?.name ?? bot.defaultFlow };
  }

  private userOrSay(): string | undefined {
    const pinned = this.deps.watch.pinned;
    if (!pinned) {
      void this.view.reveal(false);
      void window.showInformationMessage(
        'Pin a test user first ("CSML: Pin Test User…" or "CSML: New Test User"): the chat talks as that user.',
      );
    }
    return pinned;
  }

  private async flowToStart(arg: unknown): Promise<FlowToStart | undefined> {
    try {
      const connection = await this.deps.access.connect();
      const named = flowNameFrom(arg);
      if (named === undefined) {
        const flows = await this.deps.catalog.fresh(connection);
        const picked = await window.showQuickPick(
          flows.map((flow) => ({ label: flow.name, description: flow.id, flow })),
          { title: 'CSML: Start Flow for Test User', placeHolder: 'The flow to start; whatever is open is closed first' },
        );
        return picked?.flow;
      }
      // A flow deployed since the list was read is looked for in a fresh one.
      const { catalog } = this.deps;
      const flow = resolveFlow(named, await catalog.all(connection)) ?? resolveFlow(named, await catalog.fresh(connection));
      if (!flow) void window.showWarningMessage(`The Studio has no flow named ${named}; deploy it first, then start it.`);
      return flow;
    } catch (error) {
      void window.showErrorMessage(asStudioError(error).message);
      return undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.editsSettling);
    if (this.saving !== undefined && this.restored) {
      clearTimeout(this.saving);
      void this.deps.workspaceState.update(TRANSCRIPT_KEY, this.restored.transcript.toJSON());
    }
  }
}

function lines(messages: TurnResult): string[] | undefined {
  return messages?.flatMap((message) => replyLine(message) ?? []);
}

function flowNameFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { flowName?: unknown }).flowName === 'string')
    return (arg as { flowName: string }).flowName;
  if (arg instanceof Uri) return flowNameOfFile(arg.fsPath);
  return undefined;
}
