/**
 * A Test Chat session as a chat test: each thing the user did that reached the bot becomes a turn, with the bot's
 * answer as exact texts and the step the user was at after it. The test replays as a new user, so it starts where
 * the session last started a flow (a restart, a flow started); without one, with the messages of the latest user.
 */
import { ChatTranscript, TranscriptEntry } from '../chat/chatTranscript';
import { answerLines } from './answerCheck';

/** A turn as the file holds it. */
export interface SavedTurn {
  send?: string;
  click?: string;
  payload?: string;
  startFlow?: string;
  expect?: (string | { any: true })[];
  flow?: string;
  step?: string;
  ended?: boolean;
}

export interface SavedTest {
  name: string;
  turns: SavedTurn[];
}

export function testFromTranscript(entries: ChatTranscript['entries'], name: string): SavedTest | undefined {
  const turns: SavedTurn[] = [];
  let current: SavedTurn | undefined;
  let answered = false;
  let lastAnswer: Extract<TranscriptEntry, { from: 'bot' }> | undefined;
  const close = () => {
    if (current && answered) turns.push(current);
    current = undefined;
    answered = false;
  };
  for (const entry of sessionOf(entries)) {
    if (entry.from === 'note') {
      if (entry.startFlow === undefined) continue;
      close();
      current = { startFlow: entry.startFlow };
    } else if (entry.from === 'user') {
      // What never reached the bot is not part of the conversation.
      if (entry.status !== 'sent') continue;
      close();
      if (entry.payload === undefined) current = { send: entry.text };
      else {
        // A click replays by title: only when that title names one button, the one that was clicked.
        const titled = (lastAnswer?.messages ?? []).flatMap((message) =>
          message.kind === 'question' ? message.buttons.filter((button) => button.title === entry.text) : [],
        );
        current = titled.length === 1 && titled[0].payload === entry.payload ? { click: entry.text } : { payload: entry.payload };
      }
    } else if (current && !answered) {
      answered = true;
      lastAnswer = entry;
      // Messages too long to keep were counted, not kept: any message stands for each.
      current.expect = [...answerLines(entry.messages), ...Array.from({ length: entry.leftOut ?? 0 }, () => ({ any: true as const }))];
      if (entry.after) {
        current.flow = entry.after.flowName ?? entry.after.flowId;
        current.step = entry.after.stepId;
      }
      if (entry.ended) current.ended = true;
    }
  }
  close();
  return turns.length > 0 ? { name, turns } : undefined;
}

/** The file's text: two-space indents and a final newline, as people and formatters write JSON. */
export function chatTestText(test: SavedTest): string {
  return `${JSON.stringify(test, undefined, 2)}\n`;
}

/**
 * From the last flow started or change of user or bot, whichever came last; then only the messages of the user who
 * spoke last (a turn still on its way as another user may answer after a change).
 */
function sessionOf(all: readonly TranscriptEntry[]): readonly TranscriptEntry[] {
  let start = -1;
  all.forEach((entry, index) => {
    if (entry.from === 'note' && (entry.startFlow !== undefined || entry.newSession)) start = index;
  });
  const entries = start >= 0 ? all.slice(start) : all;
  const last = [...entries].reverse().find((entry) => entry.from !== 'note' && entry.userId !== undefined);
  const userId = last?.from === 'note' ? undefined : last?.userId;
  return userId === undefined
    ? entries
    : entries.filter((entry) => entry.from === 'note' || entry.userId === undefined || entry.userId === userId);
}

/** A name a test file may have: letters, digits, spaces, dots, dashes and underscores, not starting with a dot. */
export function testFileNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Name the test.';
  if (name.length > 100) return 'Use at most 100 characters.';
  if (!/^[\p{L}\p{N}_][\p{L}\p{N} ._-]*$/u.test(name)) return 'Use letters, digits, spaces, dots, dashes and underscores only.';
  if (/\.$/.test(name) || / $/.test(name)) return 'End the name with a letter or a digit.';
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name)) return 'That name is reserved on Windows; choose another.';
  return undefined;
}
