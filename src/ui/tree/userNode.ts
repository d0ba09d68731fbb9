import { MarkdownString, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';
import { exactTime, relativeTime } from '../../conversations/format';
import { UserState, WatchedUser, WatchList } from '../../conversations/watchList';
import { StudioErrorKind } from '../../studio/errors';
import { Conversation, Flow } from '../../studio/schema';
import { StepTrail } from '../../conversations/stepTrail';
import { Command } from '../commandIds';
import { remedyFor } from '../remedy';
import { FieldNode } from './fieldNode';
import { JsonNode } from './jsonNode';
import { MessageNode } from './messageNode';
import { TrailNode } from './trailNode';
import { contextValue, TreeNode } from './treeNode';

const NO_OPEN_TOOLTIP =
  'The Studio answers for the channel that owns the API key: this user has no open conversation on that channel. ' +
  'A conversation opens when the user writes to the bot and closes when a flow reaches `end`.';

/** What user rows read besides the user's own state. */
export interface UserNodeContext {
  readonly watch: WatchList;
  readonly trail: StepTrail;
  readonly now: () => number;
  /** Whether the local file of a flow differs from its deployed content; undefined while unknown. */
  readonly differsFromDeployed: (flow: Flow) => boolean | undefined;
}

/**
 * One user looked up or pinned, with their conversation (or why there is none) beneath. The node
 * lives as long as the user is in the view and reads the latest state on each render, so VS Code's
 * reveal() finds the same object the tree returned.
 */
export class UserNode extends TreeNode {
  constructor(
    readonly userId: string,
    private readonly context: UserNodeContext,
  ) {
    super(`user:${userId}`, undefined);
  }

  get user(): WatchedUser {
    return this.context.watch.get(this.userId) ?? { userId: this.userId, pinned: false, state: { kind: 'pending' }, refreshing: false };
  }

  get copyText(): string {
    return this.user.userId;
  }

  get conversation(): Conversation | undefined {
    return this.user.state.kind === 'open' ? this.user.state.conversation : undefined;
  }

  getTreeItem(): TreeItem {
    const { user } = this;
    const item = new TreeItem(user.userId, TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = describe(user.state);
    item.iconPath = icon(user);
    item.tooltip = this.tooltip();
    item.contextValue = contextValue(
      'user',
      'copyable',
      !user.pinned && 'removable',
      user.pinned && 'pinned',
      user.state.kind === 'open' && 'openFlow',
      user.state.kind === 'error' && 'retry',
    );
    item.accessibilityInformation = { label: `${user.pinned ? 'Pinned test user' : 'User'} ${user.userId}: ${describe(user.state)}` };
    return item;
  }

  getChildren(): TreeNode[] {
    const { state } = this.user;
    switch (state.kind) {
      case 'pending':
        return [new MessageNode(this, { key: 'pending', text: 'Looking up…', icon: new ThemeIcon('loading~spin') })];
      case 'none':
        return [
          new MessageNode(this, {
            key: 'none',
            text: 'No open conversation',
            tooltip: NO_OPEN_TOOLTIP,
            icon: new ThemeIcon('circle-slash'),
          }),
        ];
      case 'error': {
        const origin = state.error.kind === 'untrustedOrigin';
        const remedy = remedyFor(state.error.kind);
        return [
          new MessageNode(this, {
            key: 'error',
            text: state.error.message,
            tooltip: `${state.error.message}\n\nLast tried ${new Date(state.at).toLocaleTimeString()}.`,
            icon: new ThemeIcon('error', new ThemeColor('list.errorForeground')),
            context: [origin ? 'confirmOrigin' : 'retry'],
            command: remedy && { command: remedy.command, title: remedy.title },
          }),
        ];
      }
      case 'open':
        return this.conversationRows(state);
    }
  }

  private conversationRows(state: Extract<UserState, { kind: 'open' }>): TreeNode[] {
    const { conversation, flow, flowError } = state;
    const open = { command: Command.openFlow, title: 'Open Flow File', arguments: [this] };
    const flowName = flow?.name;
    const differs = flow ? this.context.differsFromDeployed(flow) : undefined;
    const rows: TreeNode[] = [
      new FieldNode(this, 'flow', {
        label: 'Flow',
        value: flowName ?? conversation.flowId,
        description: flowName
          ? differs
            ? `${flowName} · local file differs from deployed`
            : flowName
          : `${conversation.flowId} (name unknown)`,
        tooltip: flowError
          ? `Flow id ${conversation.flowId}\n\nIts name could not be fetched: ${flowError.message}`
          : `${flowName ?? 'Unknown flow'}\nFlow id ${conversation.flowId}${differs ? '\n\nYour local file differs from the deployed flow: "Compare with Deployed" shows how.' : ''}`,
        icon: differs ? 'diff' : 'symbol-file',
        context: ['openFlow', differs ? 'differsFromDeployed' : undefined].filter((w): w is string => w !== undefined),
        command: open,
      }),
      new FieldNode(this, 'step', {
        label: 'Step',
        value: conversation.stepId,
        tooltip: `Step ${conversation.stepId}: click to open the flow at this step`,
        icon: 'debug-step-into',
        context: ['openFlow'],
        command: open,
      }),
    ];
    if (conversation.status !== undefined) {
      rows.push(new FieldNode(this, 'status', { label: 'Status', value: conversation.status, icon: 'pulse' }));
    }
    rows.push(new JsonNode(this, 'Metadata', conversation.metadata, 'json'));
    if (conversation.lastInteractionAt !== undefined)
      rows.push(this.timeRow('lastInteraction', 'Last interaction', conversation.lastInteractionAt, 'history'));
    if (conversation.createdAt !== undefined) rows.push(this.timeRow('created', 'Created', conversation.createdAt, 'calendar'));
    if (conversation.id !== undefined)
      rows.push(new FieldNode(this, 'conversationId', { label: 'Conversation', value: conversation.id, icon: 'comment-discussion' }));
    if (conversation.client) {
      const client = Object.fromEntries(
        Object.entries({
          channel_id: conversation.client.channelId,
          user_id: conversation.client.userId,
          bot_id: conversation.client.botId,
        }).filter(([, v]) => v !== undefined),
      );
      rows.push(new JsonNode(this, 'Client', client, 'plug'));
    }
    for (const [key, value] of Object.entries(conversation.extra)) rows.push(new JsonNode(this, key, value));
    const trail = this.context.trail.entries(this.userId);
    if (this.user.pinned && trail.length > 0) rows.push(new TrailNode(this, trail, this.context.now));
    return rows;
  }

  private timeRow(key: string, label: string, iso: string, icon: string): FieldNode {
    const relative = relativeTime(iso, this.context.now());
    return new FieldNode(this, key, { label, value: iso, description: relative ?? `${iso} (not a date)`, tooltip: exactTime(iso), icon });
  }

  private tooltip(): MarkdownString {
    const { user } = this;
    const text = new MarkdownString('', true);
    text.appendMarkdown(`**${escape(user.userId)}**${user.pinned ? ' $(pinned) pinned test user' : ''}\n\n`);
    text.appendMarkdown(escape(describe(user.state)));
    if (user.state.kind !== 'pending') text.appendMarkdown(`\n\nLast refreshed ${new Date(user.state.at).toLocaleTimeString()}`);
    return text;
  }
}

const ERROR_SUMMARY: Partial<Record<StudioErrorKind, string>> = {
  noCredentials: 'no credentials',
  credentialsRejected: 'credentials rejected',
  untrustedOrigin: 'Studio address not confirmed',
  invalidBaseUrl: 'invalid Studio address',
  timeout: 'timed out',
  rateLimited: 'rate limited',
  network: 'Studio unreachable',
  malformed: 'answer not understood',
};

function describe(state: UserState): string {
  switch (state.kind) {
    case 'pending':
      return 'looking up…';
    case 'none':
      return 'no open conversation';
    case 'error':
      return ERROR_SUMMARY[state.error.kind] ?? 'request failed';
    case 'open':
      return `${state.flow?.name ?? state.conversation.flowId} · ${state.conversation.stepId}`;
  }
}

function icon(user: WatchedUser): ThemeIcon {
  if (user.refreshing && user.state.kind === 'pending') return new ThemeIcon('loading~spin');
  if (user.state.kind === 'error') return new ThemeIcon('warning', new ThemeColor('list.warningForeground'));
  return new ThemeIcon(user.pinned ? 'pinned' : user.state.kind === 'open' ? 'comment-discussion' : 'account');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
