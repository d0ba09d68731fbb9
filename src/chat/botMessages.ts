/**
 * What the bot says, as a chat shows it: each message of a `POST /chat` answer read by its content type, in the
 * shapes the CSML engine sends (`say "…"`, `Typing`, `Wait`, `Question` and its `Button`s, `Image`, `Url`, `File`,
 * `Audio`, `Video`, `debug`, an engine error). Nothing is dropped: any other message is kept as its JSON. Every
 * string is plain text, to be shown as text, never as markup; very long ones are cut.
 */
import { isJsonObject, JsonObject } from '../studio/schema';

export interface ChoiceButton {
  readonly title: string;
  /** What a click sends back, as the engine's `payload` request. */
  readonly payload: string;
}

export type BotMessage =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'question'; readonly title?: string; readonly buttons: readonly ChoiceButton[] }
  /** An image shown only from an `https` address; any other is a link the user may open. */
  | { readonly kind: 'image'; readonly url: string; readonly showable: boolean }
  | { readonly kind: 'link'; readonly media: 'url' | 'file' | 'audio' | 'video'; readonly url: string; readonly text: string }
  | { readonly kind: 'pause'; readonly typing: boolean; readonly durationMs: number }
  /** The `debug` keyword's output: the developer's own, set apart. */
  | { readonly kind: 'debug'; readonly lines: readonly string[] }
  | { readonly kind: 'error'; readonly text: string }
  /** Anything else, kept whole as its JSON. */
  | { readonly kind: 'other'; readonly contentType: string; readonly json: string };

/** A reply of 1 MB is shown, not all of it: past this, a text says how much was left out. */
export const MAX_SHOWN_CHARACTERS = 20_000;
/** What one answer may keep in all, so that a single answer never pushes the rest of the history out. */
export const MAX_ANSWER_CHARACTERS = 200_000;
/** `debug` arguments shown; the rest are counted. */
export const MAX_DEBUG_LINES = 100;

/** The messages of one answer that are kept, in order, and how many were left out past the answer's budget. */
export function keptOfAnswer(messages: readonly BotMessage[]): { kept: BotMessage[]; leftOut: number } {
  const kept: BotMessage[] = [];
  let size = 0;
  for (const message of messages) {
    size += JSON.stringify(message).length;
    if (size > MAX_ANSWER_CHARACTERS) break;
    kept.push(message);
  }
  return { kept, leftOut: messages.length - kept.length };
}

export function botMessage(contentType: string, content: unknown): BotMessage {
  const object = isJsonObject(content) ? content : undefined;
  const text = (field: string) => (object && typeof object[field] === 'string' ? object[field] : undefined);
  switch (contentType) {
    case 'text':
      if (text('text') !== undefined) return { kind: 'text', text: cut(text('text') ?? '') };
      break;
    case 'question':
    case 'button': {
      const buttons = contentType === 'button' ? [object] : Array.isArray(object?.buttons) ? object.buttons : undefined;
      const read = buttons?.map(readButton);
      if (read && read.every((button) => button !== undefined)) {
        const title = contentType === 'question' ? text('title') : undefined;
        return { kind: 'question', ...(title !== undefined ? { title: cut(title) } : {}), buttons: read };
      }
      break;
    }
    case 'image':
      if (text('url') !== undefined) return { kind: 'image', url: cut(text('url') ?? ''), showable: isHttps(text('url') ?? '') };
      break;
    case 'url':
    case 'file':
    case 'audio':
    case 'video': {
      const url = text('url');
      if (url !== undefined) return { kind: 'link', media: contentType, url: cut(url), text: cut(text('title') ?? text('text') ?? url) };
      break;
    }
    case 'typing':
    case 'wait': {
      const duration = object?.duration;
      if (typeof duration === 'number' && Number.isFinite(duration) && duration >= 0) {
        return { kind: 'pause', typing: contentType === 'typing', durationMs: duration };
      }
      break;
    }
    case 'debug': {
      const args = object?.args;
      if (Array.isArray(args)) {
        const lines = args.slice(0, MAX_DEBUG_LINES).map((arg) => cut(typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? 'null')));
        if (args.length > MAX_DEBUG_LINES) lines.push(`… (${(args.length - MAX_DEBUG_LINES).toLocaleString('en')} more)`);
        return { kind: 'debug', lines };
      }
      if (text('text') !== undefined) return { kind: 'debug', lines: [cut(text('text') ?? '')] };
      break;
    }
    case 'error':
      if (text('error') !== undefined) return { kind: 'error', text: cut(text('error') ?? '') };
      break;
  }
  return { kind: 'other', contentType: cut(contentType), json: cut(JSON.stringify(content, undefined, 2) ?? 'null') };
}

/** A button as the engine sends it, `{content_type: "button", content: {title, payload}}`, or bare. */
function readButton(value: unknown): ChoiceButton | undefined {
  const button: JsonObject | undefined =
    isJsonObject(value) && isJsonObject(value.content) ? value.content : isJsonObject(value) ? value : undefined;
  const title = button?.title;
  if (typeof title !== 'string') return undefined;
  const payload = typeof button?.payload === 'string' ? button.payload : title;
  // A payload is sent back as it came; one too long to keep is not a button anyone could mean.
  if (payload.length > MAX_SHOWN_CHARACTERS) return undefined;
  return { title: cut(title), payload };
}

/** Whether an image may be shown from this address: over https only. */
export function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A string as shown: whole up to MAX_SHOWN_CHARACTERS, else cut there with how much was left out. */
export function cut(text: string): string {
  if (text.length <= MAX_SHOWN_CHARACTERS) return text;
  return `${text.slice(0, MAX_SHOWN_CHARACTERS)}… (${(text.length - MAX_SHOWN_CHARACTERS).toLocaleString('en')} more characters)`;
}
