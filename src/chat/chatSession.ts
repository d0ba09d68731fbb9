/**
 * Talking to the bot as the test user: each message goes into the transcript before it is sent, is marked sent or
 * not delivered (with why, to be sent again), and the bot's answer comes with the step the conversation is at after
 * it. Turns go one at a time, in the order they were asked for, as a person chatting would take them. The Studio and
 * the look-up are given, so this runs in plain Node against the emulator.
 */
import type { ChatAnswer, ChatPayload } from '../studio/chat';
import { asStudioError } from '../studio/errors';
import { BotMessage, botMessage, ChoiceButton } from './botMessages';
import { ChatTranscript, StepPlace } from './chatTranscript';

export interface ChatSessionDeps {
  /** `POST /chat` as the user. */
  chat(userId: string, payload: ChatPayload): Promise<ChatAnswer>;
  /** Where the user's open conversation stands now; undefined when it has none. */
  placeOf(userId: string): Promise<StepPlace | undefined>;
  /** The bot's default flow, which a restart starts. */
  defaultFlow(): Promise<FlowToStart>;
  /** Told after each change of the transcript, so a view can redraw it. */
  changed?(): void;
}

/** A flow to start: its id goes to the Studio, its name into the transcript. */
export interface FlowToStart {
  readonly id: string;
  readonly name: string;
}

/** What a turn brought: the bot's messages, or undefined when nothing reached it. */
export type TurnResult = readonly BotMessage[] | undefined;

export class ChatSession {
  private turns: Promise<unknown> = Promise.resolve();

  constructor(
    readonly transcript: ChatTranscript,
    private readonly deps: ChatSessionDeps,
  ) {}

  /** A text typed by the user. */
  send(userId: string, text: string): Promise<TurnResult> {
    const id = this.transcript.userSaid(text, undefined, userId);
    this.deps.changed?.();
    return this.inTurn(() => this.exchange(userId, id, { content_type: 'text', content: { text } }));
  }

  /** A button clicked: its title is what the user "said", its payload what the bot receives. */
  click(userId: string, button: ChoiceButton): Promise<TurnResult> {
    const id = this.transcript.userSaid(button.title, button.payload, userId);
    this.deps.changed?.();
    return this.inTurn(() => this.exchange(userId, id, { content_type: 'payload', content: { payload: button.payload } }));
  }

  /**
   * A message that was not delivered, sent again (moved to the end) as the user who first sent it; `userId` is
   * for messages kept before entries named their user.
   */
  retry(userId: string, id: number): Promise<TurnResult> {
    const entry = this.transcript.entries.find((candidate) => candidate.id === id);
    if (entry?.from !== 'user' || entry.status !== 'failed') return Promise.resolve(undefined);
    const payload: ChatPayload =
      entry.payload !== undefined
        ? { content_type: 'payload', content: { payload: entry.payload } }
        : { content_type: 'text', content: { text: entry.text } };
    const again = this.transcript.resend(id);
    if (again === undefined) return Promise.resolve(undefined);
    this.deps.changed?.();
    const sender = entry.userId ?? userId;
    return this.inTurn(() => this.exchange(sender, again, payload));
  }

  /** Closes whatever is open and starts the flow. The note says what the user asked for, as a message would. */
  startFlow(userId: string, flow: FlowToStart): Promise<TurnResult> {
    this.transcript.note(`Start flow ${flow.name}`, { startFlow: flow.name });
    this.deps.changed?.();
    return this.inTurn(() => this.trigger(userId, flow, `Starting ${flow.name} failed`));
  }

  /** Closes whatever is open and starts the bot's default flow again. */
  restart(userId: string): Promise<TurnResult> {
    return this.inTurn(async () => {
      let flow: FlowToStart;
      try {
        flow = await this.deps.defaultFlow();
      } catch (error) {
        return this.noted(`The restart failed: ${asStudioError(error).message}`);
      }
      this.transcript.note(`Restart from the default flow, ${flow.name}`, { startFlow: flow.name });
      this.deps.changed?.();
      return this.trigger(userId, flow, 'The restart failed');
    });
  }

  /** Runs after the turns asked for before it, whatever became of them. */
  private inTurn(turn: () => Promise<TurnResult>): Promise<TurnResult> {
    const result = this.turns.then(turn, turn);
    this.turns = result.catch(() => undefined);
    return result;
  }

  private async trigger(userId: string, flow: FlowToStart, failure: string): Promise<TurnResult> {
    let answer: ChatAnswer;
    try {
      answer = await this.deps.chat(userId, { content_type: 'flow_trigger', content: { flow_id: flow.id, close_flows: true } });
    } catch (error) {
      const studioError = asStudioError(error);
      // A trigger is refused when the Studio has no such flow: the usual cause is a flow not deployed yet.
      const why =
        studioError.kind === 'badRequest'
          ? `the Studio refused to start ${flow.name} (HTTP ${studioError.details.status ?? 400}); check that it is deployed, then try again.`
          : studioError.message;
      return this.noted(`${failure}: ${why}`);
    }
    return this.answered(userId, answer);
  }

  private noted(text: string): undefined {
    this.transcript.note(text);
    this.deps.changed?.();
    return undefined;
  }

  private async exchange(userId: string, id: number, payload: ChatPayload): Promise<TurnResult> {
    let answer: ChatAnswer;
    try {
      answer = await this.deps.chat(userId, payload);
    } catch (error) {
      this.transcript.failed(id, asStudioError(error).message);
      this.deps.changed?.();
      return undefined;
    }
    this.transcript.delivered(id);
    return this.answered(userId, answer);
  }

  private async answered(userId: string, answer: ChatAnswer): Promise<TurnResult> {
    const messages = answer.messages.map((message) => botMessage(message.contentType, message.content));
    const id = this.transcript.botSaid(messages, answer.conversationEnd, userId);
    this.deps.changed?.();
    // The step beside the answer: looked up afresh, since the bot's answer does not say it.
    const place = answer.conversationEnd ? undefined : await this.deps.placeOf(userId).catch(() => undefined);
    if (place) {
      this.transcript.placeAfter(id, place);
      this.deps.changed?.();
    }
    return messages;
  }
}
