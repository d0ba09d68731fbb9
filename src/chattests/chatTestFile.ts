/**
 * A conversation kept as a test, `tests/<name>.chat.json`: what the test user does at each turn, and what the bot
 * should answer. The file is written by hand as often as saved from the Test Chat, so reading it says what is wrong
 * and where (an offset into the text), and keeps every turn it can read.
 */
import { getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { regexProblem } from '../common/boundedRegex';

/** What the user does at a turn. */
export type TurnAction =
  | { readonly kind: 'text'; readonly text: string }
  /** A button of the bot's previous answer, by title: its payload is what is sent. */
  | { readonly kind: 'click'; readonly title: string }
  | { readonly kind: 'payload'; readonly payload: string }
  /** A flow started by name or id, anything open closed first. */
  | { readonly kind: 'startFlow'; readonly flow: string };

/** What one message of the bot's answer should be, compared with the message as text (see replyLines). */
export type MessageExpectation =
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'matches'; readonly pattern: string; readonly flags: string }
  | { readonly kind: 'any' }
  /** A question whose buttons have these titles, in this order; its title is not compared. */
  | { readonly kind: 'buttons'; readonly titles: readonly string[] };

export interface ChatTurn {
  /** 0-based, in the file's order. */
  readonly index: number;
  readonly action: TurnAction;
  /** The bot's messages in order, pauses left out; undefined when the answer is not checked. */
  readonly expect?: readonly MessageExpectation[];
  readonly flow?: string;
  readonly step?: string;
  readonly ended?: boolean;
  /** Where the turn is in the file. */
  readonly offset: number;
  readonly length: number;
}

export interface ChatTest {
  readonly name: string;
  readonly turns: readonly ChatTurn[];
}

export interface FileProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

export interface ReadChatTest {
  /** Undefined when the file cannot be read as a test at all. */
  readonly test?: ChatTest;
  readonly problems: readonly FileProblem[];
}

/** A test longer than this is refused: it would hold a run for many minutes. Split it instead. */
export const MAX_TURNS = 1_000;
/** A file larger than this is not read: no test of 1,000 turns comes near it. */
export const MAX_FILE_CHARACTERS = 2_000_000;
export const CHAT_TEST_SUFFIX = '.chat.json';

const ACTIONS = ['send', 'click', 'payload', 'startFlow'] as const;
const TURN_FIELDS = new Set<string>([...ACTIONS, 'expect', 'flow', 'step', 'ended']);

/** The test's name when the file gives none: its file name without `.chat.json`. */
export function testNameOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.endsWith(CHAT_TEST_SUFFIX) ? base.slice(0, -CHAT_TEST_SUFFIX.length) : base;
}

export function readChatTest(text: string, fileName: string): ReadChatTest {
  if (text.trim() === '') return { problems: [{ message: 'The file is empty.', offset: 0, length: 0 }] };
  if (text.length > MAX_FILE_CHARACTERS) {
    return {
      problems: [
        {
          message: `The file is larger than a chat test can be (${(MAX_FILE_CHARACTERS / 1_000_000).toLocaleString('en')} MB); split it into several files.`,
          offset: 0,
          length: 1,
        },
      ],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const problems: FileProblem[] = errors.map((error) => ({
    message: `The file is not valid JSON here: ${describeParseError(printParseErrorCode(error.error))}.`,
    offset: error.offset,
    length: Math.max(error.length, 1),
  }));
  if (problems.length > 0 || !root)
    return { problems: problems.length ? problems : [{ message: 'The file is empty.', offset: 0, length: 0 }] };
  if (root.type !== 'object') return { problems: [at(root, 'A chat test is a JSON object with "turns".')] };

  const say = (node: Node, message: string) => void problems.push(at(node, message));
  duplicateKeys(root, say);
  const name = property(root, 'name');
  if (name && name.type !== 'string') say(name, '"name" is a string.');
  const schema = property(root, '$schema');
  if (schema && schema.type !== 'string') say(schema, '"$schema" is the address of a schema, a string.');
  const turnsNode = property(root, 'turns');
  if (!turnsNode) return { problems: [at(root, 'A chat test needs "turns": a list of what the user does and what the bot answers.')] };
  if (turnsNode.type !== 'array') return { problems: [at(turnsNode, '"turns" is a list.')] };
  const items = turnsNode.children ?? [];
  if (items.length === 0) say(turnsNode, 'A chat test needs at least one turn.');
  if (items.length > MAX_TURNS) {
    // Marked where the turn too many starts, not across the whole list.
    return {
      problems: [
        at(
          items[MAX_TURNS],
          `A chat test has at most ${MAX_TURNS.toLocaleString('en')} turns (this one has ${items.length.toLocaleString('en')}); split it into several files.`,
        ),
      ],
    };
  }
  for (const child of root.children ?? []) {
    const key = child.children?.[0];
    if (key && !['$schema', 'name', 'turns'].includes(String(key.value)))
      say(key, `Unknown field "${String(key.value)}": a chat test has "name" and "turns".`);
  }
  const turns = items.flatMap((item, index) => readTurn(item, index, say) ?? []);
  const test: ChatTest = { name: name?.type === 'string' ? String(name.value) : testNameOf(fileName), turns };
  return { test, problems };
}

function readTurn(node: Node, index: number, say: (node: Node, message: string) => void): ChatTurn | undefined {
  if (node.type !== 'object') {
    say(node, 'A turn is an object such as {"send": "hello", "expect": ["Hi!"]}.');
    return undefined;
  }
  duplicateKeys(node, say);
  let broken = false;
  const problem = (where: Node, message: string) => {
    broken = true;
    say(where, message);
  };
  for (const child of node.children ?? []) {
    const key = child.children?.[0];
    if (key && !TURN_FIELDS.has(String(key.value)))
      problem(
        key,
        `Unknown field "${String(key.value)}": a turn has one of ${ACTIONS.map((a) => `"${a}"`).join(', ')}, and "expect", "flow", "step" or "ended".`,
      );
  }
  const given = ACTIONS.filter((field) => property(node, field) !== undefined);
  if (given.length !== 1) {
    problem(
      node,
      given.length === 0
        ? 'A turn needs what the user does: "send", "click", "payload" or "startFlow".'
        : `A turn does one thing; this one has ${given.map((a) => `"${a}"`).join(' and ')}.`,
    );
    return undefined;
  }
  const field = given[0];
  const value = property(node, field) as Node;
  if (value.type !== 'string' || String(value.value).trim() === '') {
    problem(value, `"${field}" is a text that is not empty.`);
    return undefined;
  }
  const text = String(value.value);
  const action: TurnAction =
    field === 'send'
      ? { kind: 'text', text }
      : field === 'click'
        ? { kind: 'click', title: text }
        : field === 'payload'
          ? { kind: 'payload', payload: text }
          : { kind: 'startFlow', flow: text };

  const expectNode = property(node, 'expect');
  let expect: MessageExpectation[] | undefined;
  if (expectNode) {
    if (expectNode.type !== 'array') problem(expectNode, '"expect" is a list of the bot\'s messages, in order.');
    else expect = (expectNode.children ?? []).flatMap((item) => readExpectation(item, problem) ?? []);
  }
  const texts: Partial<Record<'flow' | 'step', string>> = {};
  for (const key of ['flow', 'step'] as const) {
    const found = property(node, key);
    if (found && (found.type !== 'string' || String(found.value) === '')) problem(found, `"${key}" is a name that is not empty.`);
    else if (found) texts[key] = String(found.value);
  }
  const endedNode = property(node, 'ended');
  if (endedNode && endedNode.type !== 'boolean') problem(endedNode, '"ended" is true or false.');
  if (broken) return undefined;
  return {
    index,
    action,
    ...(expect ? { expect } : {}),
    ...texts,
    ...(endedNode ? { ended: endedNode.value === true } : {}),
    offset: node.offset,
    length: node.length,
  };
}

function readExpectation(node: Node, problem: (node: Node, message: string) => void): MessageExpectation | undefined {
  if (node.type === 'string') return { kind: 'exact', text: String(node.value) };
  const value: unknown = getNodeValue(node);
  const fail = () => {
    problem(
      node,
      'A message is expected as its exact text, {"matches": "regular expression", "flags": "i"}, {"any": true} or {"buttons": ["Yes", "No"]}.',
    );
    return undefined;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail();
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields);
  if (typeof fields.matches === 'string' && keys.every((key) => key === 'matches' || key === 'flags')) {
    if (fields.flags !== undefined && typeof fields.flags !== 'string') return fail();
    const flags = typeof fields.flags === 'string' ? fields.flags : '';
    // A pattern that cannot compile is said here, in the file, not after a run.
    const unusable = regexProblem(fields.matches, flags);
    if (unusable !== undefined) {
      problem(node, `This regular expression cannot be used: ${unusable.length > 200 ? `${unusable.slice(0, 200)}…` : unusable}.`);
      return undefined;
    }
    return { kind: 'matches', pattern: fields.matches, flags };
  }
  if (fields.any === true && keys.length === 1) return { kind: 'any' };
  if (Array.isArray(fields.buttons) && keys.length === 1 && fields.buttons.every((title) => typeof title === 'string'))
    return { kind: 'buttons', titles: fields.buttons };
  return fail();
}

/** A key given twice: JSON readers disagree on which one wins, so the file says it once. */
function duplicateKeys(node: Node, say: (node: Node, message: string) => void): void {
  const seen = new Set<string>();
  for (const pair of node.children ?? []) {
    const key = pair.children?.[0];
    if (!key) continue;
    const text = String(key.value);
    if (seen.has(text)) say(key, `"${text}" is given twice; keep one.`);
    seen.add(text);
  }
}

function property(node: Node, name: string): Node | undefined {
  const pair = node.children?.find((child) => child.type === 'property' && child.children?.[0]?.value === name);
  return pair?.children?.[1];
}

function at(node: Node, message: string): FileProblem {
  return { message, offset: node.offset, length: node.length };
}

/** jsonc-parser's codes ("CommaExpected") as words ("comma expected"). */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
