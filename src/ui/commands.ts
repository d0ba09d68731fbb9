import { commands, Disposable, env, LogOutputChannel, TextEditor, TreeView, Uri, window } from 'vscode';
import { userIdProblem } from '../conversations/userId';
import { UserState, WatchList } from '../conversations/watchList';
import { Poller } from '../conversations/poller';
import { CredentialsFlow } from './credentialsFlow';
import { DotEnvImport } from './dotEnvImport';
import { DeployedFlows } from './deployedFlows';
import { FlowOpener } from './flowOpener';
import { TestChat } from './chat/testChat';
import { FlowMapPanel } from './flowmap/flowMapPanel';
import { StudioValidation } from './studio/studioValidation';
import { BotDownload } from './studio/botDownload';
import { BotDeploy } from './studio/botDeploy';
import { OriginTrust } from './originTrust';
import * as settings from './settings';
import { StudioAccess } from './studioAccess';
import { ConversationsTree } from './tree/conversationsTree';
import { TreeNode } from './tree/treeNode';
import { UserNode } from './tree/userNode';
import { UserIdPrompt } from './userIdPrompt';
import { Command, CommandId } from './commandIds';
import { CONVERSATIONS_VIEW_ID } from './viewIds';

export interface CommandDeps {
  readonly watch: WatchList;
  readonly poller: Poller;
  readonly tree: ConversationsTree;
  readonly treeView: TreeView<TreeNode>;
  readonly prompt: UserIdPrompt;
  readonly credentials: CredentialsFlow;
  readonly dotEnv: DotEnvImport;
  readonly opener: FlowOpener;
  readonly deployed: DeployedFlows;
  readonly chat: TestChat;
  readonly flowMap: FlowMapPanel;
  readonly validation: StudioValidation;
  readonly download: BotDownload;
  readonly deploy: BotDeploy;
  readonly access: StudioAccess;
  readonly trust: OriginTrust;
  /** The "CSML" output channel, made on first use. */
  readonly log: () => LogOutputChannel;
  /** Settings or credentials changed in a way that invalidates every answer shown. */
  readonly startOver: () => void;
  /** Drops the cached flows, so a refresh also sees flows deployed since. */
  readonly forgetFlows: () => void;
}

function isStepLocation(value: unknown): value is { flowId: string; flowName?: string; stepId: string } {
  const v = value as { flowId?: unknown; flowName?: unknown; stepId?: unknown } | undefined;
  return typeof v?.flowId === 'string' && typeof v.stepId === 'string' && (v.flowName === undefined || typeof v.flowName === 'string');
}

/** The user whose row a tree node belongs to. */
function userOf(node: unknown): UserNode | undefined {
  let current = node instanceof TreeNode ? node : undefined;
  while (current && !(current instanceof UserNode)) current = current.parent;
  return current;
}

/** Registers every command; each returns what it did, so scripts and tests can follow it. */
export function registerCommands(deps: CommandDeps): Disposable[] {
  const { watch, poller, tree, treeView, prompt } = deps;

  async function userIdFrom(arg: unknown, title: string): Promise<string | undefined> {
    if (typeof arg === 'string') {
      const problem = userIdProblem(arg);
      if (problem) {
        void window.showErrorMessage(`${problem} Nothing was looked up.`);
        return undefined;
      }
      return arg;
    }
    return prompt.ask(title, 'user_id, for example the id your test channel sends');
  }

  /** Shows the user's row, expanded and focused; the command's work is done whether or not this succeeds. */
  async function reveal(userId: string): Promise<void> {
    try {
      const shown = tree.whenShown(userId);
      await commands.executeCommand(`${CONVERSATIONS_VIEW_ID}.focus`);
      const node = tree.userNode(userId);
      if (!node || !(await shown)) return;
      await treeView.reveal(node, { select: true, focus: true, expand: true });
    } catch {
      // The view may be closed or moved; the row is in the tree all the same.
    }
  }

  const inView = <T>(work: () => Promise<T>) => window.withProgress({ location: { viewId: CONVERSATIONS_VIEW_ID } }, work);

  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [Command.setCredentials]: () => deps.credentials.askAndStore(),

    [Command.clearCredentials]: () => deps.credentials.clear(),

    [Command.lookUpConversation]: async (arg): Promise<UserState | undefined> => {
      const userId = await userIdFrom(arg, 'CSML: Look Up Open Conversation');
      if (userId === undefined) return undefined;
      await prompt.remember(userId);
      const looking = inView(() => watch.add(userId));
      await reveal(userId);
      return looking;
    },

    [Command.pinTestUser]: async (arg): Promise<string | undefined> => {
      const userId = await userIdFrom(arg, 'CSML: Pin Test User');
      if (userId === undefined) return undefined;
      await prompt.remember(userId);
      await settings.setPinnedUserId(userId);
      return userId;
    },

    [Command.pinUserFromView]: async (node) => {
      const user = userOf(node);
      if (user) await settings.setPinnedUserId(user.userId);
    },

    [Command.unpinTestUser]: () => settings.clearPinnedUserId(),

    [Command.refresh]: async () => {
      deps.forgetFlows();
      poller.resetBackoff();
      await inView(() => Promise.all([watch.refreshAll(), poller.pollNow()]));
    },

    [Command.retry]: async (node) => {
      const user = userOf(node);
      if (user) await inView(() => watch.refresh(user.userId));
    },

    [Command.removeUser]: async (node) => {
      const user = userOf(node);
      if (user) await watch.remove(user.userId);
    },

    [Command.copyValue]: async (node) => {
      if (!(node instanceof TreeNode)) return;
      await env.clipboard.writeText(node.copyText);
      window.setStatusBarMessage('$(copy) Copied', 2000);
    },

    [Command.openFlow]: async (node): Promise<TextEditor | undefined> => {
      const userId = userOf(node)?.userId ?? watch.pinned;
      if (!userId) {
        void window.showInformationMessage(
          'No test user is pinned; pin one with "CSML: Pin Test User…" or pick a user in the Conversations view.',
        );
        return undefined;
      }
      let state = watch.get(userId)?.state;
      if (!state || state.kind === 'pending') state = await watch.refresh(userId);
      if (state.kind === 'open')
        return deps.opener.open({ flowRef: state.conversation.flowId, flow: state.flow, stepId: state.conversation.stepId });
      const why =
        state.kind === 'none'
          ? `${userId} has no open conversation, so there is no flow to open.`
          : state.kind === 'error'
            ? state.error.message
            : `${userId} is still being looked up.`;
      void window.showInformationMessage(why);
      return undefined;
    },

    [Command.confirmApiOrigin]: async (): Promise<boolean> => {
      const origin = deps.access.originAwaitingConfirmation();
      if (!origin) {
        void window.showInformationMessage('The Studio address in use is not set by this workspace, so there is nothing to confirm.');
        return false;
      }
      const trusted = await deps.trust.ask(origin);
      deps.startOver();
      return trusted;
    },

    [Command.importDotEnvCredentials]: async () => {
      const found = await deps.dotEnv.find(true);
      if (!found) {
        void window.showInformationMessage('No .env file with API_KEY and API_SECRET is in this workspace.');
        return 'cancelled';
      }
      return deps.credentials.checkAndStore(found.credentials);
    },

    [Command.showLog]: () => deps.log().show(),

    [Command.openFlowAt]: async (location): Promise<TextEditor | undefined> => {
      if (!isStepLocation(location)) return undefined;
      const flow = location.flowName ? { id: location.flowId, name: location.flowName } : undefined;
      return deps.opener.open({ flowRef: location.flowId, flow, stepId: location.stepId });
    },

    [Command.revealUser]: async (userId) => {
      if (typeof userId === 'string') await reveal(userId);
    },

    [Command.compareWithDeployed]: async (node): Promise<boolean> => {
      const userId = userOf(node)?.userId ?? watch.pinned;
      const state = userId ? watch.get(userId)?.state : undefined;
      if (state?.kind !== 'open' || !state.flow) {
        void window.showInformationMessage(
          'Pick a user whose conversation is in a known flow to compare that flow with its deployed version.',
        );
        return false;
      }
      return deps.deployed.compare(state.flow);
    },

    [Command.sendTestMessage]: (text) => deps.chat.sendMessage(text),

    [Command.triggerFlow]: (flow) => deps.chat.triggerFlow(flow),

    [Command.openTestChat]: () => deps.chat.open(),

    [Command.restartConversation]: () => deps.chat.restart(),

    [Command.newTestUser]: () => deps.chat.newTestUser(),

    [Command.clearTestChat]: () => deps.chat.clear(),

    [Command.saveChatAsTest]: () => deps.chat.saveAsTest(),

    [Command.showFlowMap]: (target) => {
      if (target instanceof Uri) return deps.flowMap.show({ uri: target });
      const state = userOf(target)?.user.state;
      return deps.flowMap.show(state?.kind === 'open' && state.flow ? { flowName: state.flow.name } : {});
    },

    [Command.switchProfile]: () => deps.credentials.switchProfile(),

    [Command.addProfile]: () => deps.credentials.addProfile(),

    [Command.validateBot]: (target) => deps.validation.validateCommand(target instanceof Uri ? target : undefined),

    [Command.downloadBot]: (target) => deps.download.run(target instanceof Uri ? target : undefined),

    [Command.deploy]: (target) => deps.deploy.deploy(target instanceof Uri ? target : undefined),

    [Command.buildVersion]: () => deps.deploy.buildVersion(),
  };

  return Object.entries(handlers).map(([id, handler]) => commands.registerCommand(id, handler));
}
