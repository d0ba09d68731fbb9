import { Disposable, OutputChannel, ProgressLocation, Uri, window } from 'vscode';
import { flowNameOfFile, resolveFlow } from '../csml/flowMatch';
import { FlowCatalog } from '../conversations/flowCatalog';
import { WatchList } from '../conversations/watchList';
import { botMessage } from '../chat/botMessages';
import { replyLine } from '../chat/replyLines';
import { ChatAnswer, ChatPayload } from '../studio/chat';
import { asStudioError } from '../studio/errors';
import { StudioAccess } from './studioAccess';

/**
 * Drives the pinned test user through the Chat API: a text message, or a flow trigger. Each
 * exchange goes into the "CSML Test Chat" transcript, and the user is refreshed at once after.
 */
export class TestChat implements Disposable {
  /** Made at the first exchange: most sessions never chat, and VS Code lists every channel made. */
  private channel: OutputChannel | undefined;
  private disposed = false;

  constructor(
    private readonly access: StudioAccess,
    private readonly watch: WatchList,
    private readonly catalog: FlowCatalog,
  ) {}

  /** `CSML: Send Message as Test User…`: returns the bot's replies as text. */
  async sendMessage(text?: unknown): Promise<string[] | undefined> {
    const userId = this.pinnedOrSay();
    if (!userId) return undefined;
    const message =
      typeof text === 'string'
        ? text
        : await window.showInputBox({
            title: `CSML: Send Message as ${userId}`,
            prompt: 'A text message, sent to the bot through the Chat API as if the test user typed it.',
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim() === '' ? 'Type a message.' : undefined),
          });
    if (message === undefined || message.trim() === '') return undefined;
    return this.exchange(userId, { content_type: 'text', content: { text: message } }, `› ${message}`);
  }

  /** `CSML: Start Flow for Test User`: a flow_trigger that closes any open flow. */
  async triggerFlow(arg?: unknown): Promise<string[] | undefined> {
    const userId = this.pinnedOrSay();
    if (!userId) return undefined;
    const flowName = flowNameFrom(arg) ?? (await this.pickFlow());
    if (!flowName) return undefined;
    let flowId: string;
    try {
      const connection = await this.access.connect();
      // A flow deployed since the list was read is looked for in a fresh one.
      const flow = resolveFlow(flowName, await this.catalog.all(connection)) ?? resolveFlow(flowName, await this.catalog.fresh(connection));
      if (!flow) {
        void window.showWarningMessage(`The Studio has no flow named ${flowName}; deploy it first, then start it.`);
        return undefined;
      }
      flowId = flow.id;
    } catch (error) {
      void window.showErrorMessage(asStudioError(error).message);
      return undefined;
    }
    return this.exchange(
      userId,
      { content_type: 'flow_trigger', content: { flow_id: flowId, close_flows: true } },
      `▶ start flow ${flowName}`,
    );
  }

  private async exchange(userId: string, payload: ChatPayload, said: string): Promise<string[] | undefined> {
    let answer: ChatAnswer;
    try {
      const connection = await this.access.connect();
      answer = await window.withProgress({ location: ProgressLocation.Window, title: `Sending as ${userId}…` }, () =>
        connection.client.chat(userId, payload),
      );
    } catch (error) {
      void window.showErrorMessage(asStudioError(error).message);
      return undefined;
    }
    const replies = answer.messages.flatMap((message) => replyLine(botMessage(message.contentType, message.content)) ?? []);
    if (this.disposed) return replies; // the extension stopped while the bot answered
    const transcript = (this.channel ??= window.createOutputChannel('CSML Test Chat'));
    transcript.appendLine(`${new Date().toLocaleTimeString()}  ${userId} ${said}`);
    for (const reply of replies) transcript.appendLine(`          bot ‹ ${reply}`);
    if (answer.conversationEnd) transcript.appendLine('          (the conversation ended)');
    transcript.show(true);
    void window.showInformationMessage(replies.length ? `The bot replied: ${replies.join(' · ').slice(0, 300)}` : 'The bot sent no reply.');
    await this.watch.refresh(userId);
    return replies;
  }

  private pinnedOrSay(): string | undefined {
    const pinned = this.watch.pinned;
    if (!pinned) void window.showInformationMessage('Pin a test user first ("CSML: Pin Test User…"): messages are sent as that user.');
    return pinned;
  }

  private async pickFlow(): Promise<string | undefined> {
    try {
      const flows = await this.catalog.fresh(await this.access.connect());
      const picked = await window.showQuickPick(
        flows.map((flow) => ({ label: flow.name, description: flow.id })),
        { title: 'CSML: Start Flow for Test User' },
      );
      return picked?.label;
    } catch (error) {
      void window.showErrorMessage(asStudioError(error).message);
      return undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.channel?.dispose();
  }
}

function flowNameFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { flowName?: unknown }).flowName === 'string')
    return (arg as { flowName: string }).flowName;
  if (arg instanceof Uri) return flowNameOfFile(arg.fsPath);
  return undefined;
}
