/**
 * A test chat's history: what the test user said (and whether it reached the bot), what the bot answered, and
 * where the conversation stood after each answer. It is kept in the workspace's state, so what is read back is
 * checked like anything from outside, and it is capped.
 */
import { isJsonObject } from '../studio/schema';
import { BotMessage, isHttps, keptOfAnswer } from './botMessages';

export interface StepPlace {
  readonly flowId: string;
  readonly flowName?: string;
  readonly stepId: string;
}

export type DeliveryStatus = 'sending' | 'sent' | 'failed';

export type TranscriptEntry =
  | {
      readonly id: number;
      readonly from: 'user';
      readonly text: string;
      /** Who said it: a retry goes as that user, whoever is pinned by then. */
      readonly userId?: string;
      /** A button's payload, when the user clicked one rather than typing. */
      readonly payload?: string;
      readonly status: DeliveryStatus;
      readonly error?: string;
    }
  | {
      readonly id: number;
      readonly from: 'bot';
      readonly messages: readonly BotMessage[];
      /** Whom it answered: a click on its buttons goes as that user. */
      readonly userId?: string;
      readonly ended: boolean;
      readonly after?: StepPlace;
      /** Messages past the answer's budget, counted rather than kept. */
      readonly leftOut?: number;
    }
  /** What happened around the talk: a restart, a new test user. */
  | {
      readonly id: number;
      readonly from: 'note';
      readonly text: string;
      /** The flow started here, by name: a test saved from the chat starts with it. */
      readonly startFlow?: string;
      /** Another user or bot from here on: a test saved from the chat starts after it. */
      readonly newSession?: boolean;
    };

/** Entries kept; the oldest go first. */
export const MAX_ENTRIES = 200;
/** Characters kept in all, so the workspace's state stays small whatever the bot says. */
export const MAX_KEPT_CHARACTERS = 1_000_000;

export class ChatTranscript {
  private list: TranscriptEntry[] = [];
  private nextId = 1;
  private changes = 0;

  get entries(): readonly TranscriptEntry[] {
    return this.list;
  }

  /** Goes up at every change, so a view can tell whether it has drawn the latest. */
  get version(): number {
    return this.changes;
  }

  userSaid(text: string, payload?: string, userId?: string): number {
    return this.add({
      id: this.nextId,
      from: 'user',
      text,
      ...(payload !== undefined ? { payload } : {}),
      ...(userId !== undefined ? { userId } : {}),
      status: 'sending',
    });
  }

  delivered(id: number): void {
    this.update(id, (entry) => (entry.from === 'user' ? { ...entry, status: 'sent', error: undefined } : entry));
  }

  /** The message stays, marked as not delivered, with why: the user can send it again. */
  failed(id: number, error: string): void {
    this.update(id, (entry) => (entry.from === 'user' ? { ...entry, status: 'failed', error } : entry));
  }

  /**
   * A message not delivered goes again, moved to the end under a new id: the log then shows what the bot received
   * in the order it received it. Undefined when the entry is not a message that failed.
   */
  resend(id: number): number | undefined {
    const entry = this.list.find((candidate) => candidate.id === id);
    if (entry?.from !== 'user' || entry.status !== 'failed') return undefined;
    this.list = this.list.filter((candidate) => candidate !== entry);
    const { error: _error, ...rest } = entry;
    return this.add({ ...rest, id: this.nextId, status: 'sending' });
  }

  botSaid(messages: readonly BotMessage[], ended: boolean, userId?: string): number {
    const { kept, leftOut } = keptOfAnswer(messages);
    return this.add({
      id: this.nextId,
      from: 'bot',
      messages: kept,
      ended,
      ...(userId !== undefined ? { userId } : {}),
      ...(leftOut > 0 ? { leftOut } : {}),
    });
  }

  /** Where the conversation stands after a bot's answer, once looked up. */
  placeAfter(id: number, after: StepPlace): void {
    this.update(id, (entry) => (entry.from === 'bot' ? { ...entry, after } : entry));
  }

  note(text: string, mark: { readonly startFlow?: string; readonly newSession?: boolean } = {}): number {
    return this.add({
      id: this.nextId,
      from: 'note',
      text,
      ...(mark.startFlow !== undefined ? { startFlow: mark.startFlow } : {}),
      ...(mark.newSession ? { newSession: true } : {}),
    });
  }

  clear(): void {
    this.list = [];
    this.changes++;
  }

  /** What the workspace's state keeps. */
  toJSON(): unknown {
    return { nextId: this.nextId, entries: this.list };
  }

  /** A transcript read back from storage: entries that are not what this code writes are left out. */
  static restore(value: unknown): ChatTranscript {
    const transcript = new ChatTranscript();
    if (!isJsonObject(value) || !Array.isArray(value.entries)) return transcript;
    transcript.list = value.entries.filter(isEntry).slice(-MAX_ENTRIES);
    const highest = transcript.list.reduce((max, entry) => Math.max(max, entry.id), 0);
    transcript.nextId = Math.max(typeof value.nextId === 'number' && Number.isSafeInteger(value.nextId) ? value.nextId : 1, highest + 1);
    transcript.list = transcript.list.map((entry) => {
      // A message on its way when the window closed never got its answer.
      if (entry.from === 'user' && entry.status === 'sending')
        return { ...entry, status: 'failed', error: 'The window closed before the answer came.' };
      // Whether an image may be shown is decided here again, not taken from storage.
      if (entry.from === 'bot') {
        return {
          ...entry,
          messages: entry.messages.map((message) => (message.kind === 'image' ? { ...message, showable: isHttps(message.url) } : message)),
        };
      }
      return entry;
    });
    transcript.trim();
    return transcript;
  }

  private add(entry: TranscriptEntry): number {
    this.changes++;
    this.nextId = entry.id + 1;
    this.list.push(entry);
    this.trim();
    return entry.id;
  }

  private update(id: number, change: (entry: TranscriptEntry) => TranscriptEntry): void {
    this.changes++;
    this.list = this.list.map((entry) => (entry.id === id ? change(entry) : entry));
  }

  private trim(): void {
    if (this.list.length > MAX_ENTRIES) this.list = this.list.slice(-MAX_ENTRIES);
    let size = JSON.stringify(this.list).length;
    while (size > MAX_KEPT_CHARACTERS && this.list.length > 1) {
      size -= JSON.stringify(this.list[0]).length + 1;
      this.list = this.list.slice(1);
    }
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isPlace(value: unknown): value is StepPlace {
  return (
    isJsonObject(value) && isString(value.flowId) && isString(value.stepId) && (value.flowName === undefined || isString(value.flowName))
  );
}

function isEntry(value: unknown): value is TranscriptEntry {
  if (!isJsonObject(value) || typeof value.id !== 'number' || !Number.isSafeInteger(value.id)) return false;
  switch (value.from) {
    case 'user':
      return (
        isString(value.text) &&
        (value.payload === undefined || isString(value.payload)) &&
        (value.userId === undefined || isString(value.userId)) &&
        (value.status === 'sending' || value.status === 'sent' || value.status === 'failed') &&
        (value.error === undefined || isString(value.error))
      );
    case 'bot':
      return (
        Array.isArray(value.messages) &&
        value.messages.every(isBotMessage) &&
        (value.userId === undefined || isString(value.userId)) &&
        typeof value.ended === 'boolean' &&
        (value.after === undefined || isPlace(value.after)) &&
        (value.leftOut === undefined || (typeof value.leftOut === 'number' && Number.isSafeInteger(value.leftOut)))
      );
    case 'note':
      return (
        isString(value.text) &&
        (value.startFlow === undefined || isString(value.startFlow)) &&
        (value.newSession === undefined || value.newSession === true)
      );
    default:
      return false;
  }
}

function isBotMessage(value: unknown): value is BotMessage {
  if (!isJsonObject(value)) return false;
  switch (value.kind) {
    case 'text':
    case 'error':
      return isString(value.text);
    case 'question':
      return (
        (value.title === undefined || isString(value.title)) &&
        Array.isArray(value.buttons) &&
        value.buttons.every((button) => isJsonObject(button) && isString(button.title) && isString(button.payload))
      );
    case 'image':
      return isString(value.url) && typeof value.showable === 'boolean';
    case 'link':
      return ['url', 'file', 'audio', 'video'].includes(String(value.media)) && isString(value.url) && isString(value.text);
    case 'pause':
      return typeof value.typing === 'boolean' && typeof value.durationMs === 'number';
    case 'debug':
      return Array.isArray(value.lines) && value.lines.every(isString);
    case 'other':
      return isString(value.contentType) && isString(value.json);
    default:
      return false;
  }
}
