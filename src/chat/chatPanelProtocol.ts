/**
 * What the Test Chat view and the extension tell each other. The view only draws what it is sent and says what the
 * user did; every request it sends is read as untrusted input, and names entries by id so that what is acted on
 * (a payload, a step, an address) comes from the extension's own transcript, never from the page.
 */
import { isJsonObject } from '../studio/schema';
import type { TranscriptEntry } from './chatTranscript';

/** Why the view cannot talk yet, with the command that fixes it. */
export type ChatBlocker = 'noCredentials' | 'noPinnedUser';

export interface ChatPanelState {
  readonly userId?: string;
  /** The credentials profile in use, when there are several. */
  readonly profile?: string;
  readonly blocker?: ChatBlocker;
  /** Said above the talk: the chat reaches the deployed bot, and whether the local flows differ from it. */
  readonly notice: ChatNotice;
  readonly entries: readonly TranscriptEntry[];
}

export interface ChatNotice {
  readonly text: string;
  /** The local flow that differs from its deployed version, offered for comparison. */
  readonly differingFlow?: string;
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
export const PANEL_COMMANDS = ['restart', 'newTestUser', 'pinTestUser', 'setCredentials', 'compareWithDeployed', 'clear'] as const;
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

/** What the notice says: the chat talks to the deployed bot, and a local flow that differs is named. */
export function chatNotice(differingFlow: string | undefined): ChatNotice {
  if (differingFlow === undefined) return { text: 'You are talking to the bot as deployed in the Studio.' };
  return {
    text: `Your local ${differingFlow}.csml differs from the deployed flow: the bot answers from the deployed one until you deploy.`,
    differingFlow,
  };
}
