import {
  commands,
  Disposable,
  DocumentSelector,
  ExtensionContext,
  ExtensionMode,
  languages,
  LogOutputChannel,
  Memento,
  TreeView,
  Uri,
  window,
  workspace,
} from 'vscode';
import { FlowCatalog } from './conversations/flowCatalog';
import { createLookUp } from './conversations/lookUp';
import { pollPinnedUser } from './conversations/pinnedPoll';
import { Poller } from './conversations/poller';
import { StepTrail } from './conversations/stepTrail';
import { WatchList } from './conversations/watchList';
import { CredentialStore } from './studio/credentialStore';
import { createNodeFetch } from './studio/nodeFetchTransport';
import { BotIdentity } from './ui/botIdentity';
import { BotDownload } from './ui/studio/botDownload';
import { BotDeploy } from './ui/studio/botDeploy';
import { DeployedBases } from './roundtrip/deployedBases';
import { registerCommands } from './ui/commands';
import { ContextKey, ContextKeys } from './ui/contextKeys';
import { CredentialsFlow } from './ui/credentialsFlow';
import { DeployedFlows } from './ui/deployedFlows';
import { DotEnvImport } from './ui/dotEnvImport';
import { FlowFiles } from './ui/flowFiles';
import { FlowOpener } from './ui/flowOpener';
import { COMPLETION_TRIGGERS, CsmlCompletion } from './ui/language/completion';
import { CsmlWorkspace } from './ui/language/csmlWorkspace';
import { CsmlDiagnostics } from './ui/language/diagnostics';
import { CsmlHover } from './ui/language/hover';
import { CsmlQuickFixes } from './ui/language/quickFixes';
import { CsmlNavigation } from './ui/language/navigation';
import { CsmlOutline } from './ui/language/outline';
import { CsmlRename } from './ui/language/rename';
import { CsmlWorkspaceSymbols } from './ui/language/workspaceSymbols';
import { LiveMarkers } from './ui/liveMarkers';
import { differingFlows } from './roundtrip/differingFlows';
import { resolveFlow } from './csml/flowMatch';
import { localFlowText } from './ui/localFlowText';
import { Logger } from './ui/log';
import { OriginTrust } from './ui/originTrust';
import { BotName } from './ui/reactions/botName';
import { CredentialsContext } from './ui/reactions/credentialsContext';
import { DotEnvOffer } from './ui/reactions/dotEnvOffer';
import { onceWatched } from './ui/reactions/onceWatched';
import { PinnedUser } from './ui/reactions/pinnedUser';
import { SettingChanges } from './ui/reactions/settingChanges';
import { StartOver } from './ui/reactions/startOver';
import { onViewShown } from './ui/reactions/viewShown';
import * as settings from './ui/settings';
import { PinnedUserStatus } from './ui/statusBar';
import { StudioAccess } from './ui/studioAccess';
import { StudioValidation } from './ui/studio/studioValidation';
import { TestChat } from './ui/chat/testChat';
import { TestChatView } from './ui/chat/testChatView';
import { ChatTestController } from './ui/chattests/chatTestController';
import { FlowMapPanel } from './ui/flowmap/flowMapPanel';
import { ConversationsTree } from './ui/tree/conversationsTree';
import { TreeNode } from './ui/tree/treeNode';
import { UserIdPrompt } from './ui/userIdPrompt';
import { CONVERSATIONS_VIEW_ID, TEST_CHAT_VIEW_ID } from './ui/viewIds';

/** What the extension hands to other code (its own integration tests among them). */
export interface CsmlExtensionApi {
  readonly tree: ConversationsTree;
  /** The Conversations view: its description names the bot. */
  readonly view: TreeView<TreeNode>;
  readonly watch: WatchList;
  readonly status: PinnedUserStatus;
  readonly chatTests: ChatTestController;
  /** Only when VS Code runs the extension's own tests: where to look for anything that leaked, and what the map shows. */
  readonly testHooks?: {
    readonly logFolder: Uri;
    readonly globalState: Memento;
    readonly workspaceState: Memento;
    readonly flowMap: Pick<FlowMapPanel, 'currentView'>;
  };
}

/**
 * Builds the pieces and registers them; how they react to each other lives in src/ui/reactions. Nothing
 * here sends a request or scans files: that waits for the first refresh or command.
 */
export function activate(context: ExtensionContext): CsmlExtensionApi {
  const register = <T extends Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };

  // The channel is made when the first line is written or the log is shown, not while VS Code starts.
  let channel: LogOutputChannel | undefined;
  const log = () => (channel ??= register(window.createOutputChannel('CSML', { log: true })));
  const contextKeys = new ContextKeys((key, value) => void commands.executeCommand('setContext', key, value));

  const credentialStore = register(new CredentialStore(context.secrets));
  const trust = new OriginTrust(context.globalState);
  const transport = register(createNodeFetch());
  const access = new StudioAccess(credentialStore, trust, transport.fetch, new Logger(log, 'http'), (awaiting) =>
    contextKeys.set(ContextKey.originAwaitingConfirmation, awaiting !== undefined),
  );
  const catalog = new FlowCatalog();
  const watch = register(new WatchList(createLookUp(access.connect, catalog), context.workspaceState));
  const trail = new StepTrail();
  const poller = register(new Poller(pollPinnedUser(watch), settings.pollIntervalMs()));
  const flowFiles = register(new FlowFiles(new Logger(log, 'flows')));
  const deployed = register(new DeployedFlows(flowFiles, watch));

  const tree = register(new ConversationsTree({ watch, trail, now: Date.now, differsFromDeployed: (flow) => deployed.differs(flow) }));
  const treeView = register(window.createTreeView<TreeNode>(CONVERSATIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));
  const status = register(new PinnedUserStatus());
  const botIdentity = new BotIdentity(treeView);
  const botName = new BotName(access.connect, botIdentity, () => treeView.visible);
  const credentials = new CredentialsFlow(credentialStore, access, new Logger(log, 'credentials'), (key, bot) => botName.learn(key, bot));
  const dotEnv = new DotEnvImport(context.workspaceState);

  // The Test Chat: its page loads only when the view is shown.
  const prompt = new UserIdPrompt(context.globalState);
  const chatView = register(
    new TestChatView(
      context.extensionUri,
      (request) => chat.handle(request),
      () => chat.state(),
      () => chat.refreshDiffering(),
    ),
  );
  const chat: TestChat = register(
    new TestChat(
      {
        access,
        watch,
        catalog,
        workspaceState: context.workspaceState,
        hasCredentials: () => (credentialsContext.known ? credentialsContext.hasCredentials : undefined),
        differingFlows: async () => differingFlows(await catalog.all(await access.connect()), localFlowText(flowFiles)),
        compare: async (flowName) => {
          const flow = resolveFlow(flowName, await catalog.all(await access.connect()));
          return flow && deployed.compare(flow);
        },
        pin: async (userId) => {
          await prompt.remember(userId);
          await settings.setPinnedUserId(userId);
        },
      },
      chatView,
    ),
  );
  const credentialsContext = new CredentialsContext(credentialStore, contextKeys, [status, botIdentity, chat]);
  register(window.registerWebviewViewProvider(TEST_CHAT_VIEW_ID, chatView));
  register(watch.onDidChange(() => chat.update()));
  register(flowFiles.onDidChangeFile(() => chat.refreshDiffering()));
  register(workspace.onDidChangeTextDocument(({ document }) => document.languageId === 'csml' && chat.flowEdited()));

  const pinned = register(new PinnedUser({ watch, trail, poller, status }, settings.pinnedUserId()));
  const startOver = new StartOver({
    forgetConnection: () => access.forget(),
    forgetFlows: () => catalog.clear(),
    watch,
    poller,
    recheckOrigin: () => access.originAwaitingConfirmation(),
    viewVisible: () => treeView.visible,
    botName,
  });
  const settingChanges = new SettingChanges({
    read: settings,
    pinned,
    poller,
    forgetConnection: () => access.forget(),
    startOver,
  });
  const dotEnvOffer = new DotEnvOffer(
    async () => (await credentialStore.get()) !== undefined,
    dotEnv,
    contextKeys,
    (found) => credentials.checkAndStore(found),
  );

  register(
    credentialStore.onDidChange(() => {
      void credentialsContext.update();
      startOver.now();
    }),
  );
  register(workspace.onDidChangeConfiguration((event) => settingChanges.apply(settings.changedSettings(event))));
  register(workspace.onDidGrantWorkspaceTrust(() => startOver.now()));
  register(window.onDidChangeWindowState((state) => poller.setFocused(state.focused)));
  register(deployed.onDidCompare(() => tree.refresh()));
  const viewShown = onViewShown(watch, botName);
  register(treeView.onDidChangeVisibility(({ visible }) => visible && viewShown()));
  const markerIcon = Uri.joinPath(context.extensionUri, 'media', 'marker.svg');
  register(
    onceWatched(watch, () => {
      const markers = register(new LiveMarkers(watch, markerIcon, () => credentialsContext.hasCredentials));
      markers.update();
    }),
  );

  // Chat tests in the Testing view: files are looked for when the view first asks.
  const chatTests = register(new ChatTestController(access, catalog, localFlowText(flowFiles), new Logger(log, 'tests')));

  // CSML as a language: flows are read at the first question, never at start-up.
  const csml = register(new CsmlWorkspace(new Logger(log, 'csml')));
  const flows: DocumentSelector = { language: 'csml', scheme: 'file' };
  const outline = new CsmlOutline(csml);
  const navigation = new CsmlNavigation(csml);
  register(languages.registerDocumentSymbolProvider(flows, outline, { label: 'CSML' }));
  register(languages.registerFoldingRangeProvider(flows, outline));
  register(languages.registerDefinitionProvider(flows, navigation));
  register(languages.registerReferenceProvider(flows, navigation));
  register(languages.registerDocumentHighlightProvider(flows, navigation));
  register(languages.registerRenameProvider(flows, new CsmlRename(csml)));
  register(languages.registerHoverProvider(flows, new CsmlHover(csml)));
  register(languages.registerWorkspaceSymbolProvider(new CsmlWorkspaceSymbols(csml)));
  register(languages.registerCompletionItemProvider(flows, new CsmlCompletion(csml), ...COMPLETION_TRIGGERS));
  const diagnostics = register(new CsmlDiagnostics(csml, new Logger(log, 'csml')));
  const flowMap = register(new FlowMapPanel(context.extensionUri, csml, watch, trail, new Logger(log, 'map')));
  register(languages.registerCodeActionsProvider(flows, new CsmlQuickFixes(csml), CsmlQuickFixes.metadata));

  // The Studio round trip: validation with its engine, and the bot brought down into a folder.
  const validation = register(new StudioValidation(csml, access, () => credentialsContext.hasCredentials, new Logger(log, 'validate')));
  register(credentialStore.onDidChange(() => validation.clear()));
  const bases = new DeployedBases(context.globalState);
  const download = register(
    new BotDownload(
      access,
      catalog,
      bases,
      {
        filesWritten: (files) => {
          flowFiles.noteWritten(files);
          deployed.filesChanged();
          void watch.refreshAll();
        },
      },
      new Logger(log, 'download'),
    ),
  );
  const deploy = new BotDeploy(
    csml,
    access,
    validation,
    bases,
    catalog,
    deployed,
    context.globalStorageUri,
    {
      deployed: () => {
        deployed.filesChanged();
        void watch.refreshAll();
        chat.refreshDiffering();
      },
    },
    new Logger(log, 'deploy'),
  );

  context.subscriptions.push(
    ...registerCommands({
      watch,
      poller,
      tree,
      treeView,
      prompt,
      credentials,
      dotEnv,
      opener: new FlowOpener(flowFiles, deployed, context.workspaceState),
      deployed,
      chat,
      flowMap,
      validation,
      download,
      deploy,
      access,
      trust,
      log,
      startOver: () => startOver.now(),
      forgetFlows: () => catalog.clear(),
    }),
  );

  poller.setFocused(window.state.focused);
  void credentialsContext.update();
  // The first poll and the .env check run just after activation, so start-up itself stays free.
  const afterActivation = setTimeout(() => {
    pinned.startPolling();
    void dotEnvOffer.run();
    diagnostics.checkVisibleFlows();
  }, 0);
  register({ dispose: () => clearTimeout(afterActivation) });

  const testHooks =
    context.extensionMode === ExtensionMode.Test
      ? {
          logFolder: Uri.joinPath(context.logUri, '..'),
          globalState: context.globalState,
          workspaceState: context.workspaceState,
          flowMap,
        }
      : undefined;
  return { tree, view: treeView, watch, status, chatTests, testHooks };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions: in-flight requests are aborted, timers cleared.
}
