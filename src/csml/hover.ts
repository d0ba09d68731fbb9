import type { BotModel, CsmlSymbol } from './botModel';
import type { Span } from './tokens';

/** What a hover shows: markdown, and the name it is about. */
export interface CsmlHover {
  readonly span: Span;
  readonly markdown: string;
}

/** A flow's current text by its key; undefined when it cannot be read. */
export type TextOf = (key: string) => string | undefined | PromiseLike<string | undefined>;

const MAX_LINES = 8;
const MAX_LINE_LENGTH = 200;
/** A goto to a flow name that several flows answer to shows this many of them at most. */
const MAX_TARGETS = 3;

/**
 * For a name that refers to a step, a function or a flow (not a declaration), the first lines of what it
 * stands for, each in a code block, under a line naming its flow. Source text only ever appears inside a
 * code block whose fence is longer than any run of backticks in it; the flow's name is escaped.
 */
export async function hoverAt(bot: BotModel, key: string, offset: number, textOf: TextOf): Promise<CsmlHover | undefined> {
  const occurrence = bot.occurrenceAt(key, offset);
  if (!occurrence || occurrence.declaration) return undefined;
  const parts: string[] = [];
  for (const symbol of occurrence.symbols.slice(0, MAX_TARGETS)) {
    const text = await textOf(symbol.flow.key);
    const excerpt = text === undefined ? undefined : excerptOf(symbol, text);
    if (excerpt !== undefined) parts.push(`${heading(symbol)}\n\n${codeBlock(excerpt)}`);
  }
  return parts.length > 0 ? { span: occurrence.span, markdown: parts.join('\n\n---\n\n') } : undefined;
}

/** The source a symbol starts with: up to `MAX_LINES` lines from its first line, never past its end. */
function excerptOf(symbol: CsmlSymbol, text: string): string | undefined {
  const model = symbol.flow.model;
  let start = 0;
  let end = text.length;
  if (symbol.kind !== 'flow') {
    const declaration = (symbol.kind === 'step' ? model.steps : model.functions).find((item) => item.name.text === symbol.name);
    // A text that changed since its model was made is not shown: its offsets would point elsewhere.
    if (!declaration || text.slice(declaration.name.start, declaration.name.end) !== symbol.name) return undefined;
    start = lineStart(text, declaration.start);
    end = Math.min(declaration.end, text.length);
  } else if (text.charCodeAt(0) === 0xfeff) {
    start = 1;
  }
  const lines: string[] = [];
  let at = start;
  while (lines.length < MAX_LINES && at < end) {
    const lineEnd = nextLineEnd(text, at, end);
    lines.push(shortened(text.slice(at, lineEnd)));
    at = lineEnd;
    if (text.charCodeAt(at) === 0x0d && text.charCodeAt(at + 1) === 0x0a) at += 2;
    else if (at < text.length) at += 1;
  }
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function lineStart(text: string, offset: number): number {
  const lf = text.lastIndexOf('\n', offset - 1);
  const cr = text.lastIndexOf('\r', offset - 1);
  return Math.max(lf, cr) + 1;
}

/** The end of the line that starts at `from`, at most `limit`. */
function nextLineEnd(text: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return limit;
}

function shortened(line: string): string {
  if (line.length <= MAX_LINE_LENGTH) return line;
  // Not between the two halves of a surrogate pair.
  const cut =
    line.charCodeAt(MAX_LINE_LENGTH - 1) >= 0xd800 && line.charCodeAt(MAX_LINE_LENGTH - 1) <= 0xdbff
      ? MAX_LINE_LENGTH - 1
      : MAX_LINE_LENGTH;
  return `${line.slice(0, cut)}…`;
}

/** A fenced CSML block that no run of backticks in `source` can close. */
export function codeBlock(source: string): string {
  let longest = 0;
  for (const run of source.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}csml\n${source}\n${fence}`;
}

function heading(symbol: CsmlSymbol): string {
  const what = symbol.kind === 'step' ? 'Step in flow' : symbol.kind === 'function' ? 'Function in flow' : 'Flow';
  return `${what} ${escapeMarkdown(symbol.flow.name)}`;
}

/** Text shown as itself in markdown: every ASCII punctuation escaped, line breaks and other controls as spaces. */
export function escapeMarkdown(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/[!-/:-@[-`{-~]/g, (char) => `\\${char}`);
}
