/**
 * Splits CSML source into words and punctuation, as the engine reads them: a word is a run of letters and
 * digits of any script, `_`, `-` and `\`; whitespace and comments separate tokens; strings are set apart,
 * and the code inside their `{{ }}` is read as code. One pass over UTF-16 code units; it never throws,
 * whatever the text.
 */

export const enum TokenKind {
  Word = 0,
  Punct = 1,
  /** A piece of a string literal: up to its closing quote, or to a `{{` and from a `}}`. */
  String = 2,
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

const FIRST_ON_LINE = 1;
const INTERPOLATED = 2;

/**
 * The tokens of a source, kept in typed arrays rather than one object each: a 20,000-line flow has some
 * 70,000 of them, read in one pass.
 */
export class TokenList {
  count = 0;
  private kinds: Uint8Array;
  private flags: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;

  source = '';

  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** Empties the list for another source, keeping its arrays. */
  reset(source: string): void {
    this.source = source;
    this.count = 0;
  }

  get capacity(): number {
    return this.starts.length;
  }

  push(kind: TokenKind, start: number, end: number, flags: number): void {
    if (this.count === this.starts.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.flags[i] = flags;
  }

  kind(i: number): TokenKind | undefined {
    return i >= 0 && i < this.count ? this.kinds[i] : undefined;
  }

  start(i: number): number {
    return this.starts[i];
  }

  end(i: number): number {
    return this.ends[i];
  }

  text(i: number): string {
    return i >= 0 && i < this.count ? this.source.slice(this.starts[i], this.ends[i]) : '';
  }

  /** Whether token `i` is exactly `text`, without making a string of it. */
  is(i: number, text: string): boolean {
    if (i < 0 || i >= this.count) return false;
    const start = this.starts[i];
    return this.ends[i] - start === text.length && this.source.startsWith(text, start);
  }

  isWord(i: number): boolean {
    return this.kind(i) === TokenKind.Word;
  }

  isPunct(i: number, text: string): boolean {
    return this.kind(i) === TokenKind.Punct && this.is(i, text);
  }

  /** Nothing but spaces, tabs and comments before it on its line. */
  firstOnLine(i: number): boolean {
    return (this.flags[i] & FIRST_ON_LINE) !== 0;
  }

  /** Inside the `{{ }}` of a string. */
  interpolated(i: number): boolean {
    return (this.flags[i] & INTERPOLATED) !== 0;
  }

  private grow(): void {
    const size = Math.max(16, this.starts.length * 2);
    const kinds = new Uint8Array(size);
    const flags = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    kinds.set(this.kinds);
    flags.set(this.flags);
    starts.set(this.starts);
    ends.set(this.ends);
    [this.kinds, this.flags, this.starts, this.ends] = [kinds, flags, starts, ends];
  }
}

/**
 * Spans kept two numbers each in one typed array: a flow has thousands of strings, brackets and comments,
 * and one object each would be garbage to collect while a large bot is read.
 */
export class SpanList implements Iterable<Span> {
  private data = new Int32Array(16);
  length = 0;

  push(start: number, end: number): void {
    if (this.length * 2 === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length * 2] = start;
    this.data[this.length * 2 + 1] = end;
    this.length++;
  }

  start(i: number): number {
    return this.data[i * 2];
  }

  end(i: number): number {
    return this.data[i * 2 + 1];
  }

  *[Symbol.iterator](): IterableIterator<Span> {
    for (let i = 0; i < this.length; i++) yield { start: this.start(i), end: this.end(i) };
  }
}

export interface Tokenized {
  readonly tokens: TokenList;
  /** The text parts of string literals (their quotes included), without the code of `{{ }}`. */
  readonly strings: SpanList;
  readonly comments: SpanList;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BYTE_ORDER_MARK = 0xfeff;

const ASCII_WORD = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) {
  const letterOrDigit = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
  ASCII_WORD[c] = letterOrDigit || c === 0x5f || c === 0x2d || c === BACKSLASH ? 1 : 0;
}
// Rust's char::is_alphanumeric: alphabetic or numeric, in any script. Sticky: tests one code point in place.
const UNICODE_WORD = /[\p{Alphabetic}\p{N}]/uy;
const UNICODE_SPACE = /\s/uy;
const LINE_END = /[\r\n]/g;
const IN_STRING = /["\\{]/g;

/** Width in code units of the word character at `i` (0 when there is none). */
function wordCharWidth(source: string, i: number, c: number): number {
  if (c < 0x80) return ASCII_WORD[c];
  UNICODE_WORD.lastIndex = i;
  if (!UNICODE_WORD.test(source)) return 0;
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

function isSpace(source: string, i: number, c: number): boolean {
  if (c < 0x80) return c === SPACE || c === TAB || c === LF || c === CR || c === 0x0b || c === 0x0c;
  UNICODE_SPACE.lastIndex = i;
  return UNICODE_SPACE.test(source);
}

/**
 * Tokenizes into `into` (emptied first), so that parsing many flows one after another reuses one set of
 * arrays instead of leaving garbage behind each.
 */
export function tokenize(source: string, into = new TokenList(256)): Tokenized {
  const tokens = into;
  tokens.reset(source);
  const strings = new SpanList();
  const comments = new SpanList();
  const length = source.length;
  let i = length > 0 && source.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  let firstOnLine = true;
  // Brace depth inside each open `{{`, innermost last: `}}` at depth 0 goes back to the string.
  const interpolations: number[] = [];
  let braces = 0;
  let inString = false;
  let stringStart = 0;
  let stringFlags = 0;

  const newLine = () => {
    firstOnLine = true;
  };
  const flagsNow = () => (firstOnLine ? FIRST_ON_LINE : 0) | (interpolations.length > 0 ? INTERPOLATED : 0);

  while (i < length) {
    const c = source.charCodeAt(i);
    if (inString) {
      if (c === QUOTE) {
        strings.push(stringStart, i + 1);
        tokens.push(TokenKind.String, stringStart, i + 1, stringFlags);
        inString = false;
        i++;
      } else if (c === BACKSLASH) {
        i += 2;
      } else if (c === OPEN_BRACE && source.charCodeAt(i + 1) === OPEN_BRACE) {
        strings.push(stringStart, i + 2);
        tokens.push(TokenKind.String, stringStart, i + 2, stringFlags);
        interpolations.push(braces);
        braces = 0;
        inString = false;
        i += 2;
      } else {
        // Plain text: jump to the next character that matters in a string.
        IN_STRING.lastIndex = i + 1;
        i = IN_STRING.test(source) ? IN_STRING.lastIndex - 1 : length;
      }
      continue;
    }
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === LF || c === CR) {
      i += c === CR && source.charCodeAt(i + 1) === LF ? 2 : 1;
      newLine();
      continue;
    }
    if (c === SLASH && source.charCodeAt(i + 1) === SLASH) {
      LINE_END.lastIndex = i;
      const end = LINE_END.test(source) ? LINE_END.lastIndex - 1 : length;
      comments.push(i, end);
      i = end;
      continue;
    }
    if (c === SLASH && source.charCodeAt(i + 1) === STAR) {
      const close = source.indexOf('*/', i + 2);
      const end = close < 0 ? length : close + 2;
      comments.push(i, end);
      // Only the comment's own text is searched: many comments on one long line stay linear.
      for (let j = i + 2; j < end; j++) {
        const d = source.charCodeAt(j);
        if (d === LF || d === CR) {
          newLine();
          break;
        }
      }
      i = end;
      continue;
    }
    if (interpolations.length > 0 && (c === QUOTE || (c === BACKSLASH && source.charCodeAt(i + 1) === QUOTE))) {
      if (c === QUOTE) {
        // The engine ends a string at its first unescaped quote, `{{ }}` or not: the literal is over.
        strings.push(i, i + 1);
        tokens.push(TokenKind.String, i, i + 1, flagsNow());
        interpolations.length = 0;
        braces = 0;
      } else {
        // Inside `{{ }}`, a string is written `\"…\"`, raw up to the next `\"`.
        const close = source.indexOf('\\"', i + 2);
        const end = close < 0 ? length : close + 2;
        strings.push(i, end);
        tokens.push(TokenKind.String, i, end, flagsNow());
        i = end - 1;
      }
      firstOnLine = false;
      i++;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      stringStart = i;
      stringFlags = flagsNow();
      firstOnLine = false;
      i++;
      continue;
    }
    if (interpolations.length > 0 && c === CLOSE_BRACE && braces === 0 && source.charCodeAt(i + 1) === CLOSE_BRACE) {
      braces = interpolations.pop() ?? 0;
      inString = true;
      stringStart = i;
      stringFlags = flagsNow();
      i += 2;
      continue;
    }
    const width = wordCharWidth(source, i, c);
    if (width > 0) {
      let end = i + width;
      while (end < length) {
        const next = source.charCodeAt(end);
        const w = next < 0x80 ? ASCII_WORD[next] : wordCharWidth(source, end, next);
        if (w === 0) break;
        end += w;
      }
      tokens.push(TokenKind.Word, i, end, flagsNow());
      firstOnLine = false;
      i = end;
      continue;
    }
    if (isSpace(source, i, c)) {
      i++;
      continue;
    }
    if (interpolations.length > 0) {
      if (c === OPEN_BRACE) braces++;
      else if (c === CLOSE_BRACE && braces > 0) braces--;
    }
    const next = source.charCodeAt(i + 1);
    const end = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? i + 2 : i + 1;
    tokens.push(TokenKind.Punct, i, end, flagsNow());
    firstOnLine = false;
    i = end;
  }
  if (inString) {
    strings.push(stringStart, length);
    tokens.push(TokenKind.String, stringStart, length, stringFlags);
  }
  return { tokens, strings, comments };
}
