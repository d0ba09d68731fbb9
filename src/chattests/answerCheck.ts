/**
 * Whether the bot's answer is what a chat test expects: each message, as text (the form replyLines gives, pauses
 * left out), against its expectation, in order. A mismatch comes with both sides as text, so an editor can show it
 * as a diff in which the messages that matched are the same on both sides.
 */
import { BotMessage } from '../chat/botMessages';
import { replyLine } from '../chat/replyLines';
import { BoundedRegex } from '../common/boundedRegex';
import { MessageExpectation } from './chatTestFile';

export interface AnswerCheck {
  /** One sentence per message that did not match; empty when the answer is as expected. */
  readonly problems: readonly string[];
  readonly expected: string;
  readonly actual: string;
}

/** The messages of an answer as a test compares them. */
export function answerLines(messages: readonly BotMessage[]): string[] {
  return messages.flatMap((message) => replyLine(message) ?? []);
}

export async function checkAnswer(
  expectations: readonly MessageExpectation[],
  messages: readonly BotMessage[],
  regex: BoundedRegex,
): Promise<AnswerCheck> {
  const actual = answerLines(messages);
  const shownMessages = messages.filter((message) => replyLine(message) !== undefined);
  const problems: string[] = [];
  const expected: string[] = [];
  for (const [index, expectation] of expectations.entries()) {
    const line = actual[index];
    const why = line === undefined ? undefined : await mismatch(expectation, line, shownMessages[index], regex);
    if (line !== undefined && why === undefined) expected.push(line);
    else expected.push(shown(expectation));
    if (why !== undefined) problems.push(`Message ${index + 1}: ${why}`);
  }
  if (actual.length !== expectations.length) {
    problems.unshift(`Expected ${count(expectations.length)}, the bot sent ${actual.length}.`);
  }
  return { problems, expected: expected.join('\n'), actual: actual.join('\n') };
}

async function mismatch(
  expectation: MessageExpectation,
  line: string,
  message: BotMessage | undefined,
  regex: BoundedRegex,
): Promise<string | undefined> {
  switch (expectation.kind) {
    case 'any':
      return undefined;
    case 'exact':
      return line === expectation.text ? undefined : `expected ${quote(expectation.text)}, got ${quote(line)}.`;
    case 'buttons': {
      const titles = message?.kind === 'question' ? message.buttons.map((button) => button.title) : undefined;
      if (!titles) return `expected a question with the buttons ${expectation.titles.join(', ')}, got ${quote(line)}.`;
      const same = titles.length === expectation.titles.length && titles.every((title, index) => title === expectation.titles[index]);
      return same ? undefined : `expected the buttons ${expectation.titles.join(', ')}, got ${titles.join(', ') || 'none'}.`;
    }
    case 'matches': {
      const outcome = await regex.test(expectation.pattern, expectation.flags, line);
      const written = shortened(`/${expectation.pattern}/${expectation.flags}`);
      switch (outcome.kind) {
        case 'match':
          return undefined;
        case 'noMatch':
          return `${quote(line)} does not match ${written}.`;
        case 'invalid':
          return `${written} is not a valid regular expression (${shortened(outcome.message)}).`;
        case 'timedOut':
          return `${written} took more than ${regex.timeLimitMs} ms and was stopped; simplify it.`;
      }
    }
  }
}

/** An expectation as the diff's expected side shows it. */
function shown(expectation: MessageExpectation): string {
  switch (expectation.kind) {
    case 'exact':
      return expectation.text;
    case 'matches':
      return `/${expectation.pattern}/${expectation.flags}`;
    case 'any':
      return '(any message)';
    case 'buttons':
      return expectation.titles.map((title) => `[${title}]`).join(' ');
  }
}

function quote(text: string): string {
  return JSON.stringify(shortened(text));
}

/** A message quotes at most 200 characters of anything from a file or an answer. */
function shortened(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function count(messages: number): string {
  return messages === 1 ? '1 message' : `${messages} messages`;
}
