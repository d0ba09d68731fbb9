/**
 * What the Test Chat view and the extension tell each other. The view only draws what it is sent and says what the
 * user did; every request it sends is read as untrusted input, and names entries by id so that what is acted on
 * (a payload, a step, an address) comes from the extension's own transcript, never from the page.
 */
import { isJsonObject } from '../studio/schema';
import type { ChoiceButton } from './botMessages';
import type { StepPlace, TranscriptEntry } from './chatTranscript';

/** Why the view cannot talk yet, with the command that fixes it ('starting': the secrets are still being read). */
export type ChatBlocker = 'starting' | 'noCredentials' | 'noPinnedUser';

export interface ChatPanelState {
  readonly userId?: string;
  /** The credentials profile in use, when there are several. */
  readonly profile?: string;
  readonly blocker?: ChatBlocker;
  /** Said above the talk: the chat reaches the deployed bot, and whether the local flows differ from it. */
  readonly notice: ChatNotice;
  /** The transcript's version: the same version, the same entries. */
  readonly version: number;
  readonly entries: readonly TranscriptEntry[];
}

/** What tells two states apart without comparing their entries one by one. */
export function stateSignature(state: ChatPanelState): string {
  return JSON.stringify({ ...state, entries: undefined });
}

export interface ChatNotice {
  readonly text: string;
  /** Whether local flows differ from their deployed versions: the view then offers to compare them. */
  readonly differs: boolean;
}

export type ChatPanelRequest =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'click'; readonly entryId: number; readonly message: number; readonly button: number }
  | { readonly type: 'retry'; readonly entryId: number }
  | { readonly type: 'openStep'; readonly entryId: number }
  | { readonly type: 'openLink'; readonly entryId: number; readonly message: number }
  | { readonly type: 'command'; readonly command: PanelCommand };

/** What the view's own buttons may run: nothing else. */
export const PANEL_COMMANDS = [
  'restart',
  'newTestUser',
  'pinTestUser',
  'setCredentials',
  'compareWithDeployed',
  'clear',
  'saveAsTest',
] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

/** The longest message the view may send: the same cap as a text kept in the transcript. */
export const MAX_TYPED_CHARACTERS = 20_000;

/** A request from the view, or undefined when it is not one this code understands. */
export function readPanelRequest(value: unknown): ChatPanelRequest | undefined {
  if (!isJsonObject(value)) return undefined;
  const count = (field: string) => {
    const number = value[field];
    return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
  };
  const entryId = count('entryId');
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'send':
      return typeof value.text === 'string' && value.text.trim() !== '' && value.text.length <= MAX_TYPED_CHARACTERS
        ? { type: 'send', text: value.text }
        : undefined;
    case 'click': {
      const message = count('message');
      const button = count('button');
      return entryId !== undefined && message !== undefined && button !== undefined
        ? { type: 'click', entryId, message, button }
        : undefined;
    }
    case 'retry':
    case 'openStep':
      return entryId !== undefined ? { type: value.type, entryId } : undefined;
    case 'openLink': {
      const message = count('message');
      return entryId !== undefined && message !== undefined ? { type: 'openLink', entryId, message } : undefined;
    }
    case 'command':
      return (PANEL_COMMANDS as readonly unknown[]).includes(value.command)
        ? { type: 'command', command: value.command as PanelCommand }
        : undefined;
    default:
      return undefined;
  }
}

/** What the notice says: the chat talks to the deployed bot, and the local flows that differ are named. */
export function chatNotice(differing: readonly string[]): ChatNotice {
  if (differing.length === 0) return { text: 'You are talking to the bot as deployed in the Studio.', differs: false };
  const files = differing.map((name) => `${name}.csml`);
  const named = files.length <= 3 ? files.join(', ') : `${files.slice(0, 2).join(', ')} and ${files.length - 2} more flows`;
  const verb = files.length === 1 ? 'differs' : 'differ';
  return { text: `The bot answers as deployed: your local ${named} ${verb} from the Studio's until you deploy.`, differs: true };
}

/** What a request from the view comes to, with everything taken from the transcript rather than the page. */
export type PanelAction =
  | { readonly kind: 'send'; readonly userId: string; readonly text: string }
  | { readonly kind: 'click'; readonly userId: string; readonly button: ChoiceButton }
  | { readonly kind: 'retry'; readonly userId: string; readonly entryId: number }
  | { readonly kind: 'openStep'; readonly place: StepPlace }
  | { readonly kind: 'openLink'; readonly url: string }
  | { readonly kind: 'refusedLink'; readonly url: string }
  | { readonly kind: 'command'; readonly command: PanelCommand };

/**
 * The action a request asks for, or undefined when it names nothing that exists: an entry, message or button the
 * transcript does not have, or a chat while no user is pinned. A button answers the user the bot asked; a link
 * opens only over http or https.
 */
export function panelAction(
  request: ChatPanelRequest,
  entries: readonly TranscriptEntry[],
  pinned: string | undefined,
): PanelAction | undefined {
  const bot = (id: number) => {
    const entry = entries.find((candidate) => candidate.id === id);
    return entry?.from === 'bot' ? entry : undefined;
  };
  switch (request.type) {
    case 'ready':
      return undefined;
    case 'send':
      return pinned !== undefined ? { kind: 'send', userId: pinned, text: request.text } : undefined;
    case 'click': {
      const entry = bot(request.entryId);
      const message = entry?.messages[request.message];
      const button = message?.kind === 'question' ? message.buttons[request.button] : undefined;
      const userId = entry?.userId ?? pinned;
      return button && userId !== undefined ? { kind: 'click', userId, button } : undefined;
    }
    case 'retry': {
      const entry = entries.find((candidate) => candidate.id === request.entryId);
      const userId = entry?.from === 'user' && entry.status === 'failed' ? (entry.userId ?? pinned) : undefined;
      return userId !== undefined ? { kind: 'retry', userId, entryId: request.entryId } : undefined;
    }
    case 'openStep': {
      const place = bot(request.entryId)?.after;
      return place ? { kind: 'openStep', place } : undefined;
    }
    case 'openLink': {
      const message = bot(request.entryId)?.messages[request.message];
      if (message?.kind !== 'link' && message?.kind !== 'image') return undefined;
      return isWebAddress(message.url) ? { kind: 'openLink', url: message.url } : { kind: 'refusedLink', url: message.url };
    }
    case 'command':
      return { kind: 'command', command: request.command };
  }
}

function isWebAddress(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
