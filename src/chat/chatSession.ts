/**
 * Talking to the bot as the test user: each message goes into the transcript before it is sent, is marked sent or
 * not delivered (with why, to be sent again), and the bot's answer comes with the step the conversation is at after
 * it. The Studio and the look-up are given, so this runs in plain Node against the emulator.
 */
import type { ChatAnswer, ChatPayload } from '../studio/chat';
import { asStudioError } from '../studio/errors';
import { botMessage, ChoiceButton } from './botMessages';
import { ChatTranscript, StepPlace } from './chatTranscript';

export interface ChatSessionDeps {
  /** `POST /chat` as the user. */
  chat(userId: string, payload: ChatPayload): Promise<ChatAnswer>;
  /** Where the user's open conversation stands now; undefined when it has none. */
  placeOf(userId: string): Promise<StepPlace | undefined>;
  /** The bot's default flow, by id or name, which a restart starts. */
  defaultFlow(): Promise<string>;
  /** Told after each change of the transcript, so a view can redraw it. */
  changed?(): void;
}

export class ChatSession {
  constructor(
    readonly transcript: ChatTranscript,
    private readonly deps: ChatSessionDeps,
  ) {}

  /** A text typed by the user. */
  send(userId: string, text: string): Promise<void> {
    const id = this.transcript.userSaid(text);
    return this.exchange(userId, id, { content_type: 'text', content: { text } });
  }

  /** A button clicked: its title is what the user "said", its payload what the bot receives. */
  click(userId: string, button: ChoiceButton): Promise<void> {
    const id = this.transcript.userSaid(button.title, button.payload);
    return this.exchange(userId, id, { content_type: 'payload', content: { payload: button.payload } });
  }

  /** A message that was not delivered, sent again in its place. */
  async retry(userId: string, id: number): Promise<void> {
    const entry = this.transcript.entries.find((candidate) => candidate.id === id);
    if (entry?.from !== 'user' || entry.status !== 'failed') return;
    const payload: ChatPayload =
      entry.payload !== undefined
        ? { content_type: 'payload', content: { payload: entry.payload } }
        : { content_type: 'text', content: { text: entry.text } };
    this.transcript.resend(id);
    this.deps.changed?.();
    await this.exchange(userId, id, payload);
  }

  /** Closes whatever is open and starts the bot's default flow again. */
  async restart(userId: string): Promise<void> {
    this.transcript.note('Restarted from the default flow');
    this.deps.changed?.();
    try {
      const flow = await this.deps.defaultFlow();
      await this.answered(
        userId,
        await this.deps.chat(userId, { content_type: 'flow_trigger', content: { flow_id: flow, close_flows: true } }),
      );
    } catch (error) {
      this.transcript.note(`The restart failed: ${asStudioError(error).message}`);
      this.deps.changed?.();
    }
  }

  private async exchange(userId: string, id: number, payload: ChatPayload): Promise<void> {
    this.deps.changed?.();
    let answer: ChatAnswer;
    try {
      answer = await this.deps.chat(userId, payload);
    } catch (error) {
      this.transcript.failed(id, asStudioError(error).message);
      this.deps.changed?.();
      return;
    }
    this.transcript.delivered(id);
    await this.answered(userId, answer);
  }

  private async answered(userId: string, answer: ChatAnswer): Promise<void> {
    const messages = answer.messages.map((message) => botMessage(message.contentType, message.content));
    const id = this.transcript.botSaid(messages, answer.conversationEnd);
    this.deps.changed?.();
    // The step beside the answer: looked up afresh, since the bot's answer does not say it.
    const place = answer.conversationEnd ? undefined : await this.deps.placeOf(userId).catch(() => undefined);
    if (place) {
      this.transcript.placeAfter(id, place);
      this.deps.changed?.();
    }
  }
}
