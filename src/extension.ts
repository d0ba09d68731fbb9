import * as vscode from 'vscode';
import { FlowCatalog } from './conversations/flowCatalog';
import { createLookUp } from './conversations/lookUp';
import { pollPinnedUser } from './conversations/pinnedPoll';
import { Poller } from './conversations/poller';
import { StepTrail } from './conversations/stepTrail';
import { WatchList } from './conversations/watchList';
import { CredentialStore } from './studio/credentialStore';
import { createNodeFetch } from './studio/nodeFetchTransport';
import { BotIdentity } from './ui/botIdentity';
import { registerCommands, VIEW_ID } from './ui/commands';
import { CredentialsFlow } from './ui/credentialsFlow';
import { DeployedFlows } from './ui/deployedFlows';
import { DotEnvImport } from './ui/dotEnvImport';
import { FlowFiles } from './ui/flowFiles';
import { FlowOpener } from './ui/flowOpener';
import { LiveMarkers } from './ui/liveMarkers';
import { Logger } from './ui/log';
import { OriginTrust } from './ui/originTrust';
import * as settings from './ui/settings';
import { PinnedUserStatus } from './ui/statusBar';
import { StudioAccess } from './ui/studioAccess';
import { TestChat } from './ui/testChat';
import { ConversationsTree } from './ui/tree/conversationsTree';
import { TreeNode } from './ui/tree/treeNode';
import { UserIdPrompt } from './ui/userIdPrompt';

/** What the extension hands to other code (its own integration tests among them). */
export interface CsmlExtensionApi {
  readonly tree: ConversationsTree;
  readonly watch: WatchList;
  readonly status: PinnedUserStatus;
  /** Only when VS Code runs the extension's own tests: where to look for anything that leaked. */
  readonly testHooks?: {
    readonly logFolder: vscode.Uri;
    readonly globalState: vscode.Memento;
    readonly workspaceState: vscode.Memento;
  };
}

/**
 * Wiring only: builds the pieces, connects their events and registers everything for disposal.
 * Nothing here sends a request or scans files; that waits for the first refresh or command.
 */
export function activate(context: vscode.ExtensionContext): CsmlExtensionApi {
  const subscriptions = context.subscriptions;
  const register = <T extends vscode.Disposable>(disposable: T): T => {
    subscriptions.push(disposable);
    return disposable;
  };

  // The channel is made when the first line is written or the log is shown, not while VS Code starts.
  let channel: vscode.LogOutputChannel | undefined;
  const log = () => (channel ??= register(vscode.window.createOutputChannel('CSML', { log: true })));
  const setContext = (key: string, value: unknown) => void vscode.commands.executeCommand('setContext', key, value);
  const transport = register(createNodeFetch());
  const credentialStore = register(new CredentialStore(context.secrets));
  const trust = new OriginTrust(context.globalState);
  // Whether the palette offers "Trust the Workspace Studio Address…". It is learnt wherever the address
  // is read anyway (whenever a connection is asked for, and when settings or trust change), so start-up
  // reads no settings for it. Sent the first time (the workbench may keep a value from before an
  // extension host restart), then only on change: each is a round trip to the workbench.
  let originAwaitingConfirmation: boolean | undefined;
  const updateOriginContext = (origin: string | undefined) => {
    const awaiting = origin !== undefined;
    if (awaiting !== originAwaitingConfirmation) setContext('csml.originAwaitingConfirmation', (originAwaitingConfirmation = awaiting));
  };
  const access = new StudioAccess(credentialStore, trust, transport.fetch, new Logger(log, 'http'), updateOriginContext);
  const catalog = new FlowCatalog();
  const watch = register(new WatchList(createLookUp(access.connect, catalog), context.workspaceState));
  const trail = new StepTrail();
  const flowFiles = register(new FlowFiles(new Logger(log, 'flows')));
  const deployed = register(new DeployedFlows(flowFiles));
  const tree = register(new ConversationsTree({ watch, trail, now: Date.now, differsFromDeployed: (flow) => deployed.differs(flow) }));
  const treeView = register(vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));
  const status = register(new PinnedUserStatus());
  const botIdentity = new BotIdentity(treeView);
  const dotEnv = new DotEnvImport(context.workspaceState);
  const credentials = new CredentialsFlow(credentialStore, access, new Logger(log, 'credentials'));

  const poller = register(new Poller(pollPinnedUser(watch), settings.pollIntervalMs()));

  let hasCredentials = false;
  const updateCredentialContext = async () => {
    const state = await credentialStore.state();
    hasCredentials = state.credentials !== undefined;
    setContext('csml.hasCredentials', hasCredentials);
    setContext('csml.hasProfiles', state.names.length > 0);
    status.setProfile(state.names.length > 1 ? state.active : undefined);
    botIdentity.setProfile(state.names.length > 1 ? state.active : undefined);
    showPinned();
  };
  const showPinned = () => status.update(watch.pinned ? watch.get(watch.pinned) : undefined);

  /** Every answer shown may belong to other settings or credentials: drop them and ask again. */
  const startOver = () => {
    access.forget();
    catalog.clear();
    watch.reset();
    poller.resetBackoff();
    // Reading the address again keeps the palette's "Trust the Workspace Studio Address…" current.
    access.originAwaitingConfirmation();
    void poller.pollNow();
    if (treeView.visible) void watch.refreshAll();
  };

  const pin = (userId: string) => {
    if (watch.pinned && watch.pinned !== userId) trail.clear(watch.pinned);
    watch.setPinned(userId || undefined);
    showPinned();
    poller.resetBackoff();
    if (userId) poller.start();
    else poller.stop();
    if (userId) void poller.pollNow();
  };

  register(
    watch.onDidChange((userId) => {
      if (userId === undefined || userId === watch.pinned) showPinned();
      const pinned = watch.pinned;
      if (pinned && userId === pinned) {
        const user = watch.get(pinned);
        if (user) trail.record(pinned, user.state);
      }
    }),
  );
  register(deployed.onDidCompare(() => tree.refresh()));
  // Markers are drawn for watched users: the CodeLens provider and decorations wait for the first one.
  let markers: LiveMarkers | undefined;
  const drawMarkersOnceNeeded = () => {
    if (markers || (!watch.pinned && watch.users.length === 0)) return;
    markers = register(new LiveMarkers(watch, vscode.Uri.joinPath(context.extensionUri, 'media', 'marker.svg'), () => hasCredentials));
    markers.update();
  };
  register(watch.onDidChange(drawMarkersOnceNeeded));
  const chat = register(new TestChat(access, watch, catalog));
  register(
    credentialStore.onDidChange(() => {
      void updateCredentialContext();
      startOver();
      refreshBotName();
    }),
  );
  register(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (settings.affects(event, 'pinnedUserId')) pin(settings.pinnedUserId());
      if (settings.affects(event, 'pollIntervalSeconds')) poller.setIntervalMs(settings.pollIntervalMs());
      if (settings.affects(event, 'requestTimeoutSeconds')) access.forget();
      if (settings.affects(event, 'apiBaseUrl')) {
        startOver();
        refreshBotName();
      }
    }),
  );
  register(vscode.workspace.onDidGrantWorkspaceTrust(() => startOver()));
  register(vscode.window.onDidChangeWindowState((state) => poller.setFocused(state.focused)));
  register(
    treeView.onDidChangeVisibility(({ visible }) => {
      if (!visible) return;
      if (watch.users.some((user) => user.state.kind === 'pending' && !user.refreshing)) void watch.refreshAll();
      if (!botIdentity.known) void showBotName();
    }),
  );

  /** The bot may have changed: forget its name, and ask again if the view is there to show it. */
  function refreshBotName(): void {
    botIdentity.forget();
    if (treeView.visible) void showBotName();
  }

  async function showBotName(): Promise<void> {
    try {
      const connection = await access.connect();
      await botIdentity.show(await connection.client.getBot());
    } catch {
      // The users' rows already say what is wrong with the connection.
    }
  }

  subscriptions.push(
    ...registerCommands({
      watch,
      poller,
      tree,
      treeView,
      prompt: new UserIdPrompt(context.globalState),
      credentials,
      dotEnv,
      opener: new FlowOpener(flowFiles, deployed, context.workspaceState),
      deployed,
      chat,
      access,
      trust,
      log,
      startOver,
      forgetFlows: () => catalog.clear(),
    }),
  );

  poller.setFocused(vscode.window.state.focused);
  void updateCredentialContext();
  watch.setPinned(settings.pinnedUserId() || undefined);
  showPinned();
  drawMarkersOnceNeeded();

  // The first refresh and the .env check run just after activation, so start-up itself stays free.
  const deferred = setTimeout(() => {
    if (watch.pinned) poller.start();
    void offerDotEnvImport();
  }, 0);
  register({ dispose: () => clearTimeout(deferred) });

  async function offerDotEnvImport(): Promise<void> {
    if (await credentialStore.get()) return;
    const found = await dotEnv.find();
    setContext('csml.dotEnvCredentialsFound', found !== undefined);
    if (found && !dotEnv.offered && (await dotEnv.offer(found.uri))) await credentials.checkAndStore(found.credentials);
  }

  const testHooks =
    context.extensionMode === vscode.ExtensionMode.Test
      ? { logFolder: vscode.Uri.joinPath(context.logUri, '..'), globalState: context.globalState, workspaceState: context.workspaceState }
      : undefined;
  return { tree, watch, status, testHooks };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions: in-flight requests are aborted, timers cleared.
}
