import { Disposable, MarkdownString, StatusBarAlignment, StatusBarItem, ThemeColor, window } from 'vscode';
import { WatchedUser } from '../conversations/watchList';
import { Command } from './commandIds';
import { remedyFor } from './remedy';
import { PINNED_USER_STATUS_ID } from './viewIds';

/**
 * The pinned test user's flow and step, in the status bar. It is hidden while no user is pinned,
 * and otherwise says what is wrong and offers the click that fixes it.
 */
export class PinnedUserStatus implements Disposable {
  private readonly item: StatusBarItem;

  constructor() {
    this.item = window.createStatusBarItem(PINNED_USER_STATUS_ID, StatusBarAlignment.Left, 50);
    this.item.name = 'CSML Pinned Test User';
  }

  /** The item as it is now, for tests. */
  get snapshot(): { visible: boolean; text: string; tooltip: string; command: string | undefined } {
    const tooltip = this.item.tooltip;
    return {
      visible: this.visible,
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      command: typeof this.item.command === 'string' ? this.item.command : this.item.command?.command,
    };
  }

  private visible = false;
  private profile: string | undefined;
  private last: WatchedUser | undefined;

  /** The active credentials profile, named in the tooltip when there are several. */
  setProfile(profile: string | undefined): void {
    this.profile = profile;
    if (this.last) this.update(this.last);
  }

  update(user: WatchedUser | undefined): void {
    this.last = user;
    if (!user) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const { userId, state } = user;
    const tooltip = new MarkdownString('', true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown(`**CSML test user** \`${code(userId)}\`\n\n`);
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'pending':
        this.item.text = `$(loading~spin) ${short(userId)}`;
        this.item.command = undefined;
        tooltip.appendMarkdown('Looking up…');
        break;
      case 'none':
        this.item.text = `$(circle-slash) ${short(userId)}: no conversation`;
        this.item.command = { command: Command.refresh, title: 'Refresh' };
        tooltip.appendMarkdown('No open conversation on the channel that owns the API key.\n\nClick to refresh.');
        break;
      case 'open': {
        const flow = state.flow?.name ?? state.conversation.flowId;
        this.item.text = `$(comment-discussion) ${short(flow)} · ${short(state.conversation.stepId)}`;
        this.item.command = { command: Command.openFlow, title: 'Open Flow File' };
        tooltip.appendMarkdown(
          `Flow: \`${code(flow)}\`\n\nStep: \`${code(state.conversation.stepId)}\`\n\nClick to open the flow at this step.`,
        );
        break;
      }
      case 'error': {
        const kind = state.error.kind;
        const remedy = remedyFor(kind);
        if (remedy) {
          this.item.text = `$(${remedy.icon}) CSML: ${remedy.shortLabel}`;
          this.item.command = { command: remedy.command, title: remedy.title };
        } else {
          this.item.text = `$(warning) ${short(userId)}: refresh failed`;
          this.item.command = { command: Command.refresh, title: 'Refresh' };
        }
        this.item.backgroundColor = new ThemeColor(
          kind === 'untrustedOrigin' || kind === 'noCredentials' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground',
        );
        tooltip.appendText(state.error.message);
        break;
      }
    }
    if (state.kind !== 'pending') tooltip.appendMarkdown(`\n\n---\n\nLast refreshed ${new Date(state.at).toLocaleTimeString()}`);
    if (this.profile) tooltip.appendMarkdown(`\n\nCredentials profile: \`${code(this.profile)}\``);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `CSML test user ${userId}: ${this.item.text.replace(/\$\([^)]+\)\s*/g, '')}` };
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Keeps the status bar readable whatever a user id or step name holds. */
function short(text: string): string {
  const chars = Array.from(text.replace(/\$\(/g, '$\u200b('));
  return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : chars.join('');
}

function code(text: string): string {
  return text.replace(/`/g, "'");
}
