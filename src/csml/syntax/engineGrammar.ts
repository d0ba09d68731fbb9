import { asciiLower } from '../names';
import { EngineMessage, Expected } from './engineMessages';
import { ConstantNode, NodeKind } from './constantValues';
import { RESERVED_IN_ASSIGNMENT, RESERVED_IN_USE, utf8Length } from './engineWords';

/**
 * A recognizer of CSML that fails where, and as, the CSML engine's parser fails: the same grammar, the same
 * order of alternatives and the same backtracking, so that a flow the engine accepts is accepted here and a
 * rejected flow is rejected at the engine's position with the engine's message.
 *
 * The engine's parser is built from combinators that either fail softly (the caller tries something else)
 * or fail hard (parsing stops at once). Each function below returns the position after what it read, or
 * `SOFT` or `HARD`; the error's position and message are kept in fields rather than in a returned object,
 * so that the many soft failures of ordinary parsing (every keyword tried in turn) allocate nothing.
 */

const SOFT = -1;
const HARD = -2;

/**
 * Where the engine's input stands after an unclosed block comment: it restarts from an empty text at line 1,
 * column 1, so anything reported after it is reported there.
 */
const RESTARTED_AT = Number.MAX_SAFE_INTEGER;
export const RESTARTED = RESTARTED_AT;

/** Nesting beyond which the recognizer gives up (and the flow is not reported): no real flow goes near it. */
const MAX_DEPTH = 400;

class TooDeep extends Error {}

/** What a comma-separated list holds. */
const enum Element {
  Parameter,
  Entry,
  Item,
  Argument,
  Forgotten,
  Imported,
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BANG = 0x21;
const QUOTE = 0x22;
const DOLLAR = 0x24;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const STAR = 0x2a;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const COLON = 0x3a;
const LESS = 0x3c;
const EQUALS = 0x3d;
const GREATER = 0x3e;
const AT = 0x40;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const OPEN_BRACE = 0x7b;
const PIPE = 0x7c;
const CLOSE_BRACE = 0x7d;

const LONGEST_RESERVED = 9;
/** The first characters of the words Rust reads as numbers (digits, signs, `inf`, `nan`), by ASCII code. */
const MAY_START_NUMBER = new Uint8Array(0x80);
for (const c of '0123456789+-iInN') MAY_START_NUMBER[c.charCodeAt(0)] = 1;
/** The first characters of numbers, `true`, `false` and `null` (in any case). */
const MAY_START_LITERAL = new Uint8Array(0x80);
for (const c of '0123456789.+-tfnN') MAY_START_LITERAL[c.charCodeAt(0)] = 1;
const LONGEST_KEYWORD = 11;
const LOG_LEVELS = new Set(['error', 'warn', 'info', 'debug', 'trace']);
/** What Rust's `f64::from_str` accepts among words: such a word is a number, not a name. */
const FLOAT_WORD = /^[+-]?(?:[0-9]+(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;
/** Rust's `char::is_alphanumeric`, tested in place. */
const ALPHANUMERIC = /[\p{Alphabetic}\p{N}]/uy;
const MAX_NAME_BYTES = 255;

/** An expression read inside an assignment's target, remembered for when the engine reads it again. */
interface Remembered {
  readonly limit: number;
  readonly end: number;
  readonly bareAs: boolean;
  readonly errorAt: number;
  readonly message: EngineMessage;
  readonly expected: Expected;
}

const OPENINGS = 0;
const CLOSINGS = 1;
const ESCAPED_QUOTE = 2;
const SEARCHED = ['{{', '}}', '\\"'];

export interface EngineFailure {
  /** Where the engine reports the error (`RESTARTED` after an unclosed block comment). */
  readonly at: number;
  /** Where the failure arose before an enclosing block or string took it over, when that differs. */
  readonly cause: number;
  readonly message: EngineMessage;
  readonly expected: Expected;
}

export interface ConstantDeclaration {
  readonly valueAt: number;
}

export class EngineGrammar {
  private text = '';
  /** End of the input being read: the text's length, or the end of a string's content inside `{{ }}`. */
  private limit = 0;
  private depth = 0;

  // The last failure: the engine's error position, its message, and what was expected there.
  private errorAt = 0;
  private message = EngineMessage.None;
  private expected = Expected.Unknown;
  /** Where a hard failure first arose, before enclosing constructs moved its position to their start. */
  private origin = -1;

  /** Whether the last expression read is a bare `value as name` (what `remember`, `use` and `do` look for). */
  private bareAs = false;
  /**
   * The expressions inside the target of a `do` assignment, by position: when no `=` follows, the engine
   * reads the target again as an expression, which with closures in nested calls would be exponential.
   * That is the only text the engine reads twice.
   */
  private memo = new Map<number, Remembered>();
  private assignmentTargets = 0;
  /** For each searched pair of characters: from where it was last searched, and where it was found (-1: nowhere). */
  private searchedFrom = [Infinity, Infinity, Infinity];
  private foundAt = [-1, -1, -1];
  private commentFrom = -1;
  private wordFrom = -1;
  private wordLimit = -1;
  private wordTo = -1;
  private commentLimit = -1;
  private commentTo = 0;

  /** Set while a constant's value is read again to build its tree. */
  private building = false;
  private node: ConstantNode | undefined;
  private entries: [string, ConstantNode | undefined][] = [];
  private items: ConstantNode[] = [];

  readonly constants: ConstantDeclaration[] = [];
  /** Where the first block comment that is never closed starts, or -1. */
  unclosedComment = -1;

  /** Reads a whole flow; undefined when the engine's parser accepts it. */
  parseFlow(text: string): EngineFailure | undefined {
    this.reset(text);
    try {
      return this.flow();
    } catch (error) {
      if (!(error instanceof TooDeep || error instanceof RangeError)) throw error;
      // Given up: nothing is known of this flow, its constants included.
      this.constants.length = 0;
      return undefined;
    }
  }

  /** Lets go of the last flow read. */
  release(): void {
    this.text = '';
    this.memo.clear();
    this.constants.length = 0;
  }

  /** Reads a constant's value again, as a tree; undefined when it cannot be read (which parseFlow rules out). */
  constantValue(text: string, at: number): ConstantNode | undefined {
    this.limit = text.length;
    this.text = text;
    this.depth = 0;
    this.searchedFrom.fill(Infinity);
    this.commentFrom = -1;
    this.wordFrom = -1;
    this.building = true;
    this.node = undefined;
    try {
      return this.operator(at) >= 0 ? this.node : undefined;
    } catch (error) {
      if (error instanceof TooDeep || error instanceof RangeError) return undefined;
      throw error;
    } finally {
      this.building = false;
    }
  }

  private reset(text: string): void {
    this.text = text;
    this.limit = text.length;
    this.depth = 0;
    this.memo.clear();
    this.assignmentTargets = 0;
    this.searchedFrom.fill(Infinity);
    this.commentFrom = -1;
    this.wordFrom = -1;
    this.constants.length = 0;
    this.origin = -1;
    this.unclosedComment = -1;
  }

  // ---------------------------------------------------------------- failures

  private soft(at: number, message = EngineMessage.None, expected = Expected.Unknown): number {
    this.errorAt = at;
    this.message = message;
    this.expected = expected;
    return SOFT;
  }

  private hard(at: number, message = EngineMessage.None, expected = Expected.Unknown): number {
    this.soft(at, message, expected);
    this.origin = at;
    return HARD;
  }

  /** A soft failure made hard (the engine's `cut`), saying what was expected when the engine says nothing. */
  private cut(result: number, expected: Expected): number {
    if (result !== SOFT) return result;
    if (this.message === EngineMessage.None) this.expected = expected;
    this.origin = this.errorAt;
    return HARD;
  }

  /** The engine's `add_context`: a message and position for an error that has no message yet. */
  private addContext(at: number, message: EngineMessage): void {
    if (this.message !== EngineMessage.None) return;
    this.errorAt = at;
    this.message = message;
  }

  /** The engine's `append`: the error moves to `at` (the engine keeps its former position as its end). */
  private append(at: number): void {
    this.errorAt = at;
  }

  private failure(): EngineFailure {
    return {
      at: this.errorAt,
      cause: this.origin >= 0 ? this.origin : this.errorAt,
      message: this.message,
      expected: this.expected,
    };
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new TooDeep();
  }

  // ---------------------------------------------------------------- characters

  private code(at: number): number {
    return at < this.limit ? this.text.charCodeAt(at) : -1;
  }

  private startsWith(at: number, word: string): boolean {
    return at + word.length <= this.limit && this.text.startsWith(word, at);
  }

  private remaining(at: number): number {
    return at >= this.limit ? 0 : this.limit - at;
  }

  /** Width of the word character at `at` (letters and digits of any script, `-`, `_`, `\`), 0 if none. */
  private wordChar(at: number, dash: boolean): number {
    const c = this.code(at);
    if (c < 0) return 0;
    if (c < 0x80) {
      const letterOrDigit = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
      return letterOrDigit || c === UNDERSCORE || c === BACKSLASH || (dash && c === MINUS) ? 1 : 0;
    }
    ALPHANUMERIC.lastIndex = at;
    if (!ALPHANUMERIC.test(this.text)) return 0;
    return c >= 0xd800 && c <= 0xdbff && at + 1 < this.limit ? 2 : 1;
  }

  /** The engine's `get_string`: a run of word characters. */
  private word(at: number): number {
    if (at === this.wordFrom && this.limit === this.wordLimit) return this.wordTo >= 0 ? this.wordTo : this.soft(at);
    let end = at;
    for (let w = this.wordChar(end, true); w > 0; w = this.wordChar(end, true)) end += w;
    this.wordFrom = at;
    this.wordLimit = this.limit;
    this.wordTo = end > at ? end : -1;
    return end > at ? end : this.soft(at);
  }

  private wordIs(at: number, end: number, expected: string): boolean {
    return end - at === expected.length && this.text.startsWith(expected, at);
  }

  // ---------------------------------------------------------------- comments

  /** Spaces, line ends and comments; never fails. An unclosed block comment swallows the rest of the text. */
  private comment(from: number): number {
    const c = this.code(from);
    if (c !== SPACE && c !== TAB && c !== LF && c !== CR && c !== SLASH) return from;
    if (from === this.commentFrom && this.limit === this.commentLimit) return this.commentTo;
    let at = this.spaces(from);
    for (;;) {
      if (this.startsWith(at, '//')) {
        const lineEnd = this.text.indexOf('\n', at + 2);
        at = this.spaces(lineEnd < 0 || lineEnd > this.limit ? this.limit : lineEnd);
      } else if (this.startsWith(at, '/*')) {
        const close = this.text.indexOf('*/', at + 2);
        if (close < 0 || close + 2 > this.limit) {
          if (this.unclosedComment < 0) this.unclosedComment = at;
          at = RESTARTED_AT;
          break;
        }
        at = this.spaces(close + 2);
      } else {
        break;
      }
    }
    this.commentFrom = from;
    this.commentLimit = this.limit;
    this.commentTo = at;
    return at;
  }

  private spaces(from: number): number {
    let at = from;
    for (;;) {
      const c = this.code(at);
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) return at;
      at++;
    }
  }

  // ---------------------------------------------------------------- names

  private validName(at: number, end: number, reserved: Set<string> | undefined): number {
    const length = end - at;
    if (reserved !== undefined && length <= LONGEST_RESERVED && reserved.has(asciiLower(this.text.slice(at, end)))) {
      return this.soft(at, EngineMessage.Reserved);
    }
    // At most 3 bytes per UTF-16 code unit: only long names need counting.
    if (length * 3 > MAX_NAME_BYTES && utf8Length(this.text.slice(at, end)) > MAX_NAME_BYTES) {
      return this.hard(at, EngineMessage.NameTooLong);
    }
    if (MAY_START_NUMBER[this.text.charCodeAt(at) & 0x7f] === 1 && FLOAT_WORD.test(this.text.slice(at, end))) {
      return this.soft(at, EngineMessage.NumberAsName);
    }
    return end;
  }

  /** A name that is given a value: `do name = …`, a step label, a function's name. */
  private nameToAssign(from: number): number {
    const at = this.comment(from);
    const end = this.word(at);
    return end < 0 ? end : this.validName(at, end, RESERVED_IN_ASSIGNMENT);
  }

  /** A name that is read: a variable in an expression. */
  private nameInUse(from: number): number {
    const at = this.comment(from);
    const end = this.word(at);
    return end < 0 ? end : this.validName(at, end, RESERVED_IN_USE);
  }

  /** `… as name` after an expression: nothing when no `as` follows. */
  private asName(from: number): number {
    const at = this.comment(from);
    const end = this.word(at);
    if (end < 0 || !this.wordIs(at, end, 'as')) return from;
    const name = this.cut(this.nameToAssign(end), Expected.AsName);
    if (name >= 0 && this.building) this.node = { kind: NodeKind.Invalid, at: this.comment(end) };
    return name;
  }

  // ---------------------------------------------------------------- expressions

  /** A whole expression: `||` of `&&` of comparisons of sums of products of values. */
  private operator(from: number): number {
    const known = this.memo.size > 0 && !this.building ? this.memo.get(from) : undefined;
    if (known !== undefined && known.limit === this.limit) {
      this.bareAs = known.bareAs;
      if (known.end < 0) {
        this.errorAt = known.errorAt;
        this.message = known.message;
        this.expected = known.expected;
        if (known.end === HARD) this.origin = known.errorAt;
      }
      return known.end;
    }
    this.enter();
    const end = this.binaryChain(from, 0);
    this.depth--;
    if (this.assignmentTargets > 0 && !this.building) {
      this.memo.set(from, {
        limit: this.limit,
        end,
        bareAs: this.bareAs,
        errorAt: this.errorAt,
        message: this.message,
        expected: this.expected,
      });
    }
    return end;
  }

  /**
   * `||` (level 0) and `&&` (level 1) chains: an operator whose right side cannot be read is left for what
   * follows, as the engine's `many0` does.
   */
  private binaryChain(from: number, level: 0 | 1): number {
    let end = level === 0 ? this.binaryChain(from, 1) : this.comparison(from);
    if (end < 0) return end;
    let bare = this.bareAs;
    let left = this.node;
    const operatorCode = level === 0 ? PIPE : AMPERSAND;
    for (;;) {
      const at = this.comment(end);
      if (this.code(at) !== operatorCode || this.code(at + 1) !== operatorCode) break;
      const next = level === 0 ? this.binaryChain(at + 2, 1) : this.comparison(at + 2);
      if (next === HARD) return HARD;
      if (next === SOFT) break;
      end = next;
      bare = false;
      if (this.building) left = infix(left, this.node, false);
    }
    this.bareAs = bare;
    this.node = left;
    return end;
  }

  /** A value, then at most one comparison (`==`, `!=`, `<`, `match`, …) and its right side. */
  private comparison(from: number): number {
    const left = this.negationOrSum(from);
    if (left < 0) return left;
    const leftNode = this.node;
    const operatorEnd = this.comparisonOperator(this.comment(left));
    if (operatorEnd < 0) return left;
    const isMatch = this.comparisonIsMatch;
    const right = this.negationOrSum(operatorEnd);
    if (right < 0) return right;
    this.bareAs = false;
    if (this.building) this.node = infix(leftNode, this.node, isMatch);
    return right;
  }

  private comparisonIsMatch = false;

  private comparisonOperator(at: number): number {
    this.comparisonIsMatch = false;
    const c = this.code(at);
    const next = this.code(at + 1);
    if (c === BANG && next === EQUALS) return at + 2;
    if (c === BANG && this.startsWith(at, '!match')) {
      this.comparisonIsMatch = true;
      return at + 6;
    }
    if (c === 0x6d && this.startsWith(at, 'match')) {
      this.comparisonIsMatch = true;
      return at + 5;
    }
    if (c === EQUALS && next === EQUALS) return at + 2;
    if ((c === GREATER || c === LESS) && next === EQUALS) return at + 2;
    if (c === GREATER || c === LESS) return at + 1;
    return -1;
  }

  /** `!…` or a sum: the engine tries the negation first, then the sum, and reports the sum's failure. */
  private negationOrSum(from: number): number {
    const negation = this.negation(from);
    if (negation !== SOFT) return negation;
    const sum = this.sum(from);
    if (sum === SOFT) this.append(from);
    return sum;
  }

  private negation(from: number): number {
    const at = this.comment(from);
    if (this.code(at) !== BANG) {
      this.soft(at);
      this.append(at);
      return SOFT;
    }
    let end = at;
    while (this.code(end) === BANG) end++;
    const value = this.sum(end);
    if (value >= 0) {
      this.bareAs = false;
      if (this.building) this.node = { kind: NodeKind.Valid, at };
    }
    return value;
  }

  /** Products joined by `+` and `-`. */
  private sum(from: number): number {
    let end = this.product(from);
    if (end < 0) return end;
    let bare = this.bareAs;
    let left = this.node;
    for (;;) {
      const at = this.comment(end);
      const c = this.code(at);
      if (c !== MINUS && c !== PLUS) break;
      const next = this.product(at + 1);
      if (next === HARD) return HARD;
      if (next === SOFT) break;
      end = next;
      bare = false;
      if (this.building) left = infix(left, this.node, false);
    }
    this.bareAs = bare;
    this.node = left;
    return end;
  }

  /** Values joined by `*`, `/` and `%`. */
  private product(from: number): number {
    let end = this.value(from);
    if (end < 0) return end;
    let bare = this.bareAs;
    let left = this.node;
    for (;;) {
      const at = this.comment(end);
      const c = this.code(at);
      if (c !== STAR && c !== SLASH && c !== PERCENT) break;
      const next = this.value(at + 1);
      if (next === HARD) return HARD;
      if (next === SOFT) break;
      end = next;
      bare = false;
      if (this.building) left = infix(left, this.node, false);
    }
    this.bareAs = bare;
    this.node = left;
    return end;
  }

  /** One value, its path (`.f()`, `[i]`, `.key`) and `as name`, in the engine's order of alternatives. */
  private value(from: number): number {
    const at = this.comment(from);
    const first = this.code(at);
    let end = SOFT;
    let bareAs = false;
    // Each alternative can only start with certain characters: only those that can are tried, in the
    // engine's order. When none reads the value, the engine's error is its last alternative's, a name's.
    switch (first) {
      case OPEN_PAREN:
        end = this.closure(at);
        if (end === SOFT) {
          end = this.group(at);
          bareAs = end >= 0 && this.bareAs;
        }
        break;
      case PLUS:
      case MINUS:
        end = this.group(at);
        if (end === SOFT) end = this.literal(at);
        if (end === SOFT) end = this.builtIn(at);
        break;
      case OPEN_BRACE:
        end = this.object(at);
        break;
      case OPEN_BRACKET:
        end = this.list(at);
        break;
      case QUOTE:
        end = this.string(at);
        break;
      case DOT:
        end = this.literal(at);
        break;
      default:
        if (first >= 0x30 && first <= 0x39) end = this.literal(at);
        else if (first < 0x80 && MAY_START_LITERAL[first] === 1) end = this.literal(at);
        if (end === SOFT) end = this.builtIn(at);
        if (end === SOFT && first === BACKSLASH) end = this.string(at);
    }
    if (end === SOFT) {
      end = this.nameInUse(at);
      if (end >= 0 && this.building) this.node = { kind: NodeKind.Invalid, at: this.comment(at) };
    }
    if (end === SOFT) this.append(at);
    if (end < 0) return end;
    const base = this.node;
    const pathEnd = this.path(end);
    if (pathEnd !== end) bareAs = false;
    if (this.building) this.node = pathEnd !== end && base !== undefined ? { kind: NodeKind.Invalid, at: base.at } : base;
    const asEnd = this.asName(pathEnd);
    if (asEnd < 0) return asEnd;
    this.bareAs = asEnd !== pathEnd || bareAs;
    return this.comment(asEnd);
  }

  /** `(a, b) { … }`: a closure. */
  private closure(from: number): number {
    const at = this.comment(from);
    if (this.code(at) !== OPEN_PAREN) return this.soft(at);
    let end = this.separated(at + 1, Element.Parameter);
    if (end < 0) return end;
    const close = this.comment(this.trailingComma(end));
    if (this.code(close) !== CLOSE_PAREN) return this.soft(close);
    const open = this.comment(close + 1);
    if (this.code(open) !== OPEN_BRACE) return this.soft(open);
    end = this.statements(this.comment(open + 1));
    if (end < 0) return end;
    const brace = this.comment(end);
    if (this.code(brace) !== CLOSE_BRACE) return this.hard(brace, EngineMessage.RightBrace);
    if (this.building) this.node = { kind: NodeKind.Valid, at };
    return brace + 1;
  }

  /** `(expression)`, or `-(expression)` / `+(expression)`. */
  private group(from: number): number {
    const sign = this.comment(from);
    const signed = this.code(sign) === MINUS || this.code(sign) === PLUS;
    const open = this.comment(signed ? sign + 1 : from);
    if (this.code(open) !== OPEN_PAREN) return this.soft(open);
    const inner = this.operator(open + 1);
    if (inner < 0) return inner;
    const end = this.closingParenthesis(inner);
    if (end < 0) return end;
    if (signed) {
      this.bareAs = false;
      if (this.building) this.node = infix({ kind: NodeKind.Valid, at: from }, this.node, false);
    }
    return end;
  }

  private closingParenthesis(from: number): number {
    const at = this.comment(from);
    return this.code(at) === CLOSE_PAREN ? at + 1 : this.hard(from, EngineMessage.ParenthesesEnd);
  }

  /** `{"key": value, …}`. */
  private object(from: number): number {
    const at = this.comment(from);
    if (this.code(at) !== OPEN_BRACE) return this.soft(at);
    const outer = this.entries;
    const entries: [string, ConstantNode | undefined][] = this.building ? [] : outer;
    this.entries = entries;
    let end = this.separated(at + 1, Element.Entry);
    this.entries = outer;
    if (end < 0) return end;
    end = this.trailingComma(end);
    const close = this.comment(end);
    if (this.code(close) !== CLOSE_BRACE) return this.soft(close);
    if (this.building) this.node = { kind: NodeKind.Map, at, entries };
    return this.comment(close + 1);
  }

  /** `"key": value` in an object. */
  private entry(from: number): number {
    const key = this.comment(from);
    const keyEnd = this.objectKey(key);
    if (keyEnd < 0) return keyEnd;
    const colon = this.comment(keyEnd);
    if (this.code(colon) !== COLON) return this.cut(this.soft(colon), Expected.ObjectColon);
    const entries = this.entries;
    const value = this.operator(colon + 1);
    if (value >= 0 && this.building) entries.push([this.text.slice(key, keyEnd), this.node]);
    return value;
  }

  /** An object key: `"key"`, or `\"key\"` inside `{{ }}`; never empty. */
  private objectKey(at: number): number {
    let closing: string;
    if (this.code(at) === QUOTE) closing = '"';
    else if (this.startsWith(at, '\\"')) closing = '\\"';
    else return this.soft(at);
    const start = at + closing.length;
    let end = start;
    for (;;) {
      const c = this.code(end);
      if (c < 0 || c === QUOTE || (closing.length === 2 && c === BACKSLASH)) break;
      end++;
    }
    if (end === start || !this.startsWith(end, closing)) return this.hard(at, EngineMessage.ObjectKey);
    return end + closing.length;
  }

  /** `[a, b, …]`. */
  private list(from: number): number {
    const start = this.comment(from);
    if (this.code(from) !== OPEN_BRACKET) return this.soft(from);
    const outer = this.items;
    const elements: ConstantNode[] = this.building ? [] : outer;
    this.items = elements;
    let end = this.separated(from + 1, Element.Item);
    this.items = outer;
    if (end >= 0) {
      end = this.trailingComma(end);
      const close = this.comment(end);
      end = this.code(close) === CLOSE_BRACKET ? close + 1 : this.hard(close, EngineMessage.RightBracket);
    }
    if (end === HARD) this.append(start);
    if (end >= 0 && this.building) this.node = { kind: NodeKind.List, at: start, elements };
    return end;
  }

  /** A number, `true`, `false` or `null` (in any case). */
  private literal(from: number): number {
    const at = this.comment(from);
    const first = this.code(at);
    if (first < 0 || first >= 0x80 || MAY_START_LITERAL[first] === 0) {
      this.soft(at);
      this.append(at);
      return SOFT;
    }
    let end = this.number(at);
    if (end < 0 && this.startsWith(at, 'true')) end = at + 4;
    if (end < 0 && this.startsWith(at, 'false')) end = at + 5;
    if (end < 0) {
      const nullAt = this.comment(at);
      const nullEnd = this.word(nullAt);
      if (nullEnd < 0) {
        this.append(at);
        return SOFT;
      }
      if (nullEnd - nullAt !== 4 || asciiLower(this.text.slice(nullAt, nullEnd)) !== 'null') {
        this.soft(nullEnd);
        this.append(at);
        return SOFT;
      }
      end = nullEnd;
    }
    if (this.building) this.node = { kind: NodeKind.Valid, at };
    return end;
  }

  /** `.5`, `-1.5`, `42`, `1_000`: the engine's float, then its integer. */
  private number(at: number): number {
    if (this.code(at) === DOT) {
      const decimals = this.digits(at + 1);
      if (decimals > 0) return decimals;
    }
    const sign = this.code(at) === PLUS || this.code(at) === MINUS ? at + 1 : at;
    const integer = this.digits(sign);
    if (integer < 0) return SOFT;
    if (this.code(integer) === DOT) {
      const decimals = this.digits(integer + 1);
      if (decimals > 0) return decimals;
    }
    return integer;
  }

  /** A digit, then digits and underscores; -1 when there is no digit. */
  private digits(at: number): number {
    const c = this.code(at);
    if (c < 0x30 || c > 0x39) return -1;
    let end = at + 1;
    for (let d = this.code(end); (d >= 0x30 && d <= 0x39) || d === UNDERSCORE; d = this.code(end)) end++;
    return end;
  }

  /** `Name(arguments)`: a built-in or a function call. */
  private builtIn(at: number): number {
    const name = this.word(at);
    if (name < 0) return name;
    const end = this.argumentList(this.comment(name));
    if (end >= 0 && this.building) this.node = { kind: NodeKind.Invalid, at };
    return end;
  }

  /** `(a, name = b, …)` right at `from`; a hard failure inside is reported at the `(`. */
  private argumentList(from: number): number {
    const start = this.comment(from);
    if (this.code(from) !== OPEN_PAREN) return this.soft(from);
    let end = this.separated(from + 1, Element.Argument);
    if (end >= 0) end = this.closingParenthesis(this.trailingComma(end));
    if (end === HARD) this.append(start);
    return end;
  }

  private namedArgument(from: number): number {
    const at = this.comment(from);
    let end = this.word(at);
    if (end < 0) return end;
    end = this.validName(at, end, undefined);
    if (end < 0) return end;
    const equals = this.comment(end);
    if (this.code(equals) !== EQUALS) return this.soft(equals);
    return this.operator(this.comment(equals + 1));
  }

  /** `[i]`, `.key` and `.method(…)` after a value; the value alone when they cannot be read. */
  private path(from: number): number {
    let end = from;
    for (;;) {
      const next = this.pathStep(end);
      if (next === HARD) return from;
      if (next === SOFT) return end;
      end = next;
    }
  }

  private pathStep(from: number): number {
    if (this.code(from) === OPEN_BRACKET) {
      const index = this.operator(from + 1);
      if (index === HARD) return HARD;
      if (index >= 0) {
        const close = this.comment(index);
        if (this.code(close) === CLOSE_BRACKET) return close + 1;
      }
    }
    const dot = this.comment(from);
    if (this.code(dot) !== DOT) return SOFT;
    const name = this.word(dot + 1);
    if (name < 0) return SOFT;
    const saved = this.node;
    const call = this.argumentList(name);
    this.node = saved;
    return call >= 0 ? call : name;
  }

  /** `a, b, c`, stopping before a comma that no element follows. */
  private separated(from: number, kind: Element): number {
    let end = this.element(from, kind);
    if (end === HARD) return HARD;
    if (end === SOFT) return from;
    for (;;) {
      const comma = this.comment(end);
      if (this.code(comma) !== COMMA) return end;
      const next = this.element(comma + 1, kind);
      if (next === HARD) return HARD;
      if (next === SOFT) return end;
      end = next;
    }
  }

  private element(at: number, kind: Element): number {
    switch (kind) {
      case Element.Parameter:
        return this.word(this.comment(at));
      case Element.Entry:
        return this.entry(at);
      case Element.Item: {
        const item = this.operator(at);
        if (item >= 0 && this.building && this.node !== undefined) this.items.push(this.node);
        return item;
      }
      case Element.Argument: {
        const named = this.namedArgument(at);
        return named === SOFT ? this.operator(at) : named;
      }
      case Element.Forgotten:
        return this.nameInUse(at);
      case Element.Imported:
        return this.importedName(at);
    }
  }

  private trailingComma(from: number): number {
    const comma = this.comment(from);
    return this.code(comma) === COMMA ? comma + 1 : from;
  }

  // ---------------------------------------------------------------- strings

  /** `"text {{ expression }} text"`, or `\"text\"` inside `{{ }}`. A hard failure inside is reported at the quote. */
  private string(at: number): number {
    let end: number;
    if (this.code(at) === QUOTE) {
      end = this.stringContent(at + 1);
      if (end >= 0 && this.code(end) === QUOTE) end++;
      else if (end >= 0) end = this.hard(end);
    } else if (this.startsWith(at, '\\"')) {
      const close = this.find(ESCAPED_QUOTE, at + 2, this.limit);
      end = close >= 0 ? close + 2 : this.hard(at + 2, EngineMessage.DoubleQuote);
      if (end === HARD) this.origin = at;
      if (end >= 0 && this.building) this.node = { kind: NodeKind.Valid, at };
      if (end === HARD) this.append(at);
      return end;
    } else {
      return this.soft(at);
    }
    if (end === HARD) this.append(at);
    return end;
  }

  /** A string's content from after its opening quote: its closing quote's position, or a failure. */
  private stringContent(from: number): number {
    const close = this.closingQuote(from);
    // The engine skips to the end by counting bytes as characters: past a non-ASCII character it cannot,
    // and the string is then merely not a string, rather than an unclosed one.
    if (close < 0) {
      if (this.hasNonAscii(from, this.limit)) return this.soft(from);
      this.hard(this.limit, EngineMessage.DoubleQuote);
      this.origin = from - 1;
      return HARD;
    }
    let parts = 0;
    let textOnly = true;
    let at = from;
    let nextOpen = -2;
    let nextClose = -2;
    while (at < close) {
      if (nextOpen !== -1 && nextOpen < at) nextOpen = this.find(OPENINGS, at, close);
      if (nextClose !== -1 && nextClose < at) nextClose = this.find(CLOSINGS, at, close);
      parts++;
      if (nextOpen >= 0 && nextClose >= 0 && nextOpen < nextClose) {
        const open = this.unescapedOpening(at, close);
        if (open < 0) {
          if (this.hasNonAscii(at, close)) return this.soft(at);
          at = close;
          continue;
        }
        const saved = this.limit;
        this.limit = close;
        let end = this.operator(open + 2);
        if (end === SOFT) end = open + 2;
        if (end >= 0) {
          const brace = this.comment(end);
          end = this.startsWith(brace, '}}') ? brace + 2 : this.hard(brace, EngineMessage.ExpandableArgument);
        }
        this.limit = saved;
        if (end < 0) return end;
        parts++;
        textOnly = false;
        at = end;
      } else if (nextClose >= 0) {
        if (!this.escapedBefore(at, nextClose, close)) return this.hard(from, EngineMessage.DoubleCloseBrace);
        at = nextClose + 2;
      } else if (nextOpen >= 0) {
        if (!this.escapedBefore(at, nextOpen, close)) return this.hard(from, EngineMessage.DoubleCloseBrace);
        at = close;
      } else {
        at = close;
      }
    }
    if (this.building) this.node = { kind: NodeKind.Text, at: from, parts, textOnly };
    return close;
  }

  /**
   * The first of the searched pair from `from` that ends by `end`, or -1. Strings are read from left to right,
   * so the last answer usually still holds, and a flow is searched once rather than once per string.
   */
  private find(searched: number, from: number, end: number): number {
    let found = this.foundAt[searched];
    if (!(this.searchedFrom[searched] <= from && (found < 0 || from <= found))) {
      found = this.text.indexOf(SEARCHED[searched], from);
      this.searchedFrom[searched] = from;
      this.foundAt[searched] = found;
    }
    return found >= 0 && found + 2 <= end ? found : -1;
  }

  private hasNonAscii(from: number, end: number): boolean {
    for (let at = from; at < end; at++) if (this.text.charCodeAt(at) >= 0x80) return true;
    return false;
  }

  /** The first `"` not escaped by a backslash, or -1. */
  private closingQuote(from: number): number {
    for (let at = this.text.indexOf('"', from); at >= 0 && at < this.limit; at = this.text.indexOf('"', at + 1)) {
      // Escaped when an odd number of backslashes precede it.
      let backslashes = 0;
      while (at - backslashes - 1 >= from && this.text.charCodeAt(at - backslashes - 1) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return at;
    }
    return -1;
  }

  /** The first `{{` whose first brace is not escaped, or -1. */
  private unescapedOpening(from: number, end: number): number {
    let escaped = false;
    for (let at = from; at < end; at++) {
      const c = this.text.charCodeAt(at);
      if (c === OPEN_BRACE && !escaped && at + 1 < end && this.text.charCodeAt(at + 1) === OPEN_BRACE) return at;
      escaped = c === BACKSLASH ? !escaped : false;
    }
    return -1;
  }

  /**
   * Whether the engine sees a backslash just before the braces at `braces`: it counts their distance in bytes
   * but looks the character up by its index among characters, so outside ASCII it looks further on.
   */
  private escapedBefore(from: number, braces: number, end: number): boolean {
    const bytes = utf8Length(this.text.slice(from, braces));
    if (bytes <= 1) return false;
    let index = bytes - 1;
    for (let at = from; at < end; at++) {
      const c = this.text.charCodeAt(at);
      if (index === 0) return c === BACKSLASH;
      if (c >= 0xd800 && c <= 0xdbff && at + 1 < end) at++;
      index--;
    }
    return false;
  }

  // ---------------------------------------------------------------- statements

  /** Statements one after another, up to the first that is not one. */
  private statements(from: number): number {
    this.enter();
    let at = from;
    for (;;) {
      const end = this.statement(at);
      if (end === HARD) {
        this.depth--;
        return HARD;
      }
      if (end === SOFT) break;
      if (this.remaining(end) === this.remaining(at)) {
        this.depth--;
        return this.soft(at);
      }
      at = end;
    }
    this.depth--;
    return at;
  }

  private statement(from: number): number {
    const at = this.comment(from);
    const end = this.word(at);
    const keyword = end >= 0 && end - at <= LONGEST_KEYWORD ? this.text.slice(at, end) : '';
    switch (keyword) {
      case 'do':
        return this.doStatement(end);
      case 'debug':
      case 'say':
        return this.actionArgument(end, (p) => this.operator(p));
      case 'log':
        return this.log(end);
      case 'break':
      case 'continue':
      case 'hold':
      case 'hold_secure':
        return end;
      case 'goto':
        return this.goto(end);
      case 'previous': {
        const target = this.comment(end);
        const targetEnd = this.word(target);
        if (targetEnd >= 0 && (this.wordIs(target, targetEnd, 'flow') || this.wordIs(target, targetEnd, 'step'))) return targetEnd;
        return this.soft(target);
      }
      case 'remember':
        return this.remember(end);
      case 'forget':
        return this.actionArgument(end, (p) => this.forgotten(p));
      case 'return':
        return this.returnStatement(end);
      case 'use':
        return this.use(end);
    }
    // The engine matches these three as prefixes: `ifx` starts an `if`.
    if (this.startsWith(at, 'if')) return this.ifStatement(at + 2);
    if (this.startsWith(at, 'foreach')) return this.foreach(at + 7);
    if (this.startsWith(at, 'while')) return this.whileStatement(at + 5);
    return this.soft(at);
  }

  /** What follows `say`, `do`, `debug`, `log`, `remember` and `forget`: a soft failure there is hard. */
  private actionArgument(from: number, argument: (at: number) => number): number {
    const end = argument(this.comment(from));
    if (end !== SOFT) return end;
    this.addContext(from, EngineMessage.ActionArgument);
    this.origin = this.errorAt;
    return HARD;
  }

  private doStatement(from: number): number {
    return this.actionArgument(from, (at) => {
      const assignment = this.assignmentWithPath(at);
      if (assignment !== SOFT) return assignment;
      const end = this.operator(at);
      if (end === SOFT) this.append(at);
      return end;
    });
  }

  /** `name.path = value`, `name += value`, … */
  private assignmentWithPath(from: number): number {
    const name = this.nameToAssign(from);
    if (name < 0) return name;
    this.assignmentTargets++;
    const target = this.path(name);
    this.assignmentTargets--;
    const operatorAt = this.comment(target);
    const c = this.code(operatorAt);
    let valueAt: number;
    if ((c === PERCENT || c === SLASH || c === STAR || c === PLUS || c === MINUS) && this.code(operatorAt + 1) === EQUALS) {
      valueAt = operatorAt + 2;
    } else if (c === EQUALS) {
      valueAt = operatorAt + 1;
    } else {
      return this.soft(operatorAt);
    }
    return this.operator(this.comment(valueAt));
  }

  private log(from: number): number {
    let at = from;
    const level = this.comment(from);
    let end = level;
    for (let w = this.wordChar(end, false); w > 0; w = this.wordChar(end, false)) end += w;
    if (end > level && LOG_LEVELS.has(this.text.slice(level, end).toLowerCase())) at = end;
    return this.actionArgument(at, (p) => this.operator(p));
  }

  private remember(from: number): number {
    return this.actionArgument(from, (at) => {
      const name = this.nameToAssign(at);
      if (name === HARD) return HARD;
      if (name >= 0) {
        const equals = this.comment(name);
        if (this.code(equals) === EQUALS) {
          const value = this.operator(this.comment(equals + 1));
          if (value !== SOFT) return value;
        }
      }
      const end = this.operator(at);
      if (end === SOFT) this.append(at);
      if (end < 0) return end;
      return this.bareAs ? end : this.hard(end, EngineMessage.Remember);
    });
  }

  /** `forget *`, `forget name`, `forget [a, b]`. */
  private forgotten(from: number): number {
    const at = this.comment(from);
    if (this.code(at) === STAR) return at + 1;
    const name = this.nameInUse(at);
    if (name !== SOFT) return name;
    if (this.code(at) !== OPEN_BRACKET) {
      this.soft(at);
      this.append(at);
      return SOFT;
    }
    let end = this.separated(at + 1, Element.Forgotten);
    if (end < 0) return end;
    end = this.trailingComma(end);
    const close = this.comment(end);
    return this.code(close) === CLOSE_BRACKET ? close + 1 : this.hard(close, EngineMessage.RightBracket);
  }

  private returnStatement(from: number): number {
    const end = this.operator(this.comment(from));
    if (end !== SOFT) return end;
    this.addContext(from, EngineMessage.Return);
    this.origin = this.errorAt;
    return HARD;
  }

  private use(from: number): number {
    const end = this.operator(this.comment(from));
    if (end < 0) return end;
    return this.bareAs ? end : this.hard(end, EngineMessage.Use);
  }

  private goto(from: number): number {
    const at = this.comment(from);
    const keywordEnd = this.word(at);
    if (keywordEnd >= 0 && (this.wordIs(at, keywordEnd, 'step') || this.wordIs(at, keywordEnd, 'flow'))) {
      const target = this.gotoTarget(this.comment(keywordEnd));
      if (target !== SOFT) return target;
    }
    // `step@flow in bot`, each part optional but one of the first three.
    let end = at;
    const step = this.gotoTarget(end);
    if (step === HARD) return HARD;
    if (step >= 0) end = step;
    const hasAt = this.code(end) === AT;
    if (hasAt) end++;
    const flow = this.gotoTarget(end);
    if (flow === HARD) return HARD;
    if (flow >= 0) end = flow;
    const inAt = this.comment(end);
    const inEnd = this.word(inAt);
    if (inEnd >= 0 && this.wordIs(inAt, inEnd, 'in')) {
      const bot = this.gotoTarget(this.comment(inEnd));
      if (bot === HARD) return HARD;
      if (bot >= 0) end = bot;
    }
    if (step < 0 && !hasAt && flow < 0) return this.hard(end, EngineMessage.GotoStep);
    return end;
  }

  /** A step, flow or bot in a goto: a name, or `$variable.path`. */
  private gotoTarget(at: number): number {
    if (this.code(at) === DOLLAR) {
      const variable = this.nameInUse(at + 1);
      if (variable !== SOFT) return variable < 0 ? variable : this.path(variable);
    }
    const end = this.word(at);
    return end < 0 ? end : this.validName(at, end, RESERVED_IN_ASSIGNMENT);
  }

  private ifStatement(from: number): number {
    let end = this.condition(from);
    if (end < 0) return end;
    end = this.body(end);
    if (end < 0) return end;
    return this.elseBranches(end);
  }

  /** `else if (…) …` and `else …` after an if's body, if any. */
  private elseBranches(from: number): number {
    const elseAt = this.comment(from);
    if (!this.startsWith(elseAt, 'else')) return from;
    const ifAt = this.comment(elseAt + 4);
    if (this.startsWith(ifAt, 'if')) {
      let end = this.condition(ifAt + 2);
      if (end === HARD) return HARD;
      if (end >= 0) end = this.body(end);
      if (end === HARD) return HARD;
      if (end >= 0) return this.elseBranches(end);
    }
    const end = this.body(elseAt + 4);
    return end === HARD ? HARD : end === SOFT ? from : end;
  }

  /** `(condition)` after `if`. */
  private condition(from: number): number {
    const open = this.comment(from);
    if (this.code(open) !== OPEN_PAREN) return this.hard(from, EngineMessage.Parentheses);
    const end = this.operator(open + 1);
    return end < 0 ? end : this.closingParenthesis(end);
  }

  /** A `{ block }`, or a single statement. */
  private body(from: number): number {
    const block = this.block(from);
    if (block !== SOFT) return block;
    const statement = this.statement(from);
    if (statement === SOFT) this.append(from);
    return statement;
  }

  /** `{ statements }`: a hard failure inside is reported at the block's start. */
  private block(from: number): number {
    const open = this.comment(from);
    if (this.code(open) !== OPEN_BRACE) return this.soft(open);
    let end = this.statements(open + 1);
    if (end >= 0) {
      const close = this.comment(end);
      end = this.code(close) === CLOSE_BRACE ? close + 1 : this.hard(close, EngineMessage.RightBrace);
    }
    if (end === HARD) this.append(from);
    return end;
  }

  private foreach(from: number): number {
    const open = this.comment(from);
    if (this.code(open) !== OPEN_PAREN) return this.cut(this.soft(open), Expected.ForeachOpen);
    let end = this.cut(this.nameToAssign(open + 1), Expected.ForeachName);
    if (end < 0) return end;
    const comma = this.comment(end);
    if (this.code(comma) === COMMA) {
      const index = this.nameToAssign(comma + 1);
      if (index === HARD) return HARD;
      if (index >= 0) end = index;
    }
    const close = this.comment(end);
    if (this.code(close) !== CLOSE_PAREN) return this.cut(this.soft(close), Expected.ForeachClose);
    const inAt = this.comment(close + 1);
    const inEnd = this.cut(this.word(inAt), Expected.ForeachIn);
    if (inEnd < 0) return inEnd;
    if (!this.wordIs(inAt, inEnd, 'in')) return this.cut(this.soft(inEnd), Expected.ForeachIn);
    end = this.cut(this.operator(inEnd), Expected.ForeachValue);
    return end < 0 ? end : this.block(end);
  }

  private whileStatement(from: number): number {
    const open = this.comment(from);
    if (this.code(open) !== OPEN_PAREN) return this.cut(this.soft(open), Expected.WhileOpen);
    const condition = this.cut(this.operator(open + 1), Expected.WhileCondition);
    if (condition < 0) return condition;
    const close = this.comment(condition);
    if (this.code(close) !== CLOSE_PAREN) return this.cut(this.soft(close), Expected.WhileClose);
    return this.block(close + 1);
  }

  // ---------------------------------------------------------------- the flow

  private flow(): EngineFailure | undefined {
    let at = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (;;) {
      const end = this.declaration(at);
      if (end === HARD) return this.failure();
      if (end === SOFT) break;
      if (this.remaining(end) === this.remaining(at)) {
        this.soft(at);
        return this.failure();
      }
      at = end;
    }
    const last = this.comment(at);
    if (this.remaining(last) > 0) {
      this.hard(last, EngineMessage.Parsing);
      return this.failure();
    }
    return undefined;
  }

  /** A constant, an import, an insert, a function or a step, tried in the engine's order. */
  private declaration(from: number): number {
    const at = this.comment(from);
    const end = this.word(at);
    if (end >= 0 && this.wordIs(at, end, 'const')) {
      const constant = this.constant(end);
      if (constant !== SOFT) return constant;
    } else if (end >= 0 && this.wordIs(at, end, 'import')) {
      const declaration = this.importDeclaration(end);
      if (declaration !== SOFT) return declaration;
    } else if (end >= 0 && this.wordIs(at, end, 'insert')) {
      const declaration = this.insertDeclaration(end);
      if (declaration !== SOFT) return declaration;
    }
    if (this.startsWith(at, 'fn')) {
      const declaration = this.functionDeclaration(at + 2);
      if (declaration !== SOFT) return declaration;
    }
    return this.step(at);
  }

  private constant(from: number): number {
    const name = this.nameToAssign(from);
    if (name < 0) return name;
    const equals = this.comment(name);
    if (this.code(equals) !== EQUALS) return this.soft(equals);
    const valueAt = this.comment(equals + 1);
    const end = this.operator(valueAt);
    if (end >= 0) this.constants.push({ valueAt });
    return end;
  }

  private importDeclaration(from: number): number {
    const end = this.importedNames(this.comment(from), EngineMessage.ImportArgument);
    if (end < 0) return end;
    const fromAt = this.comment(end);
    const fromEnd = this.word(fromAt);
    if (fromEnd < 0 || !this.wordIs(fromAt, fromEnd, 'from')) return end;
    const flowAt = this.comment(fromEnd);
    if (this.startsWith(flowAt, 'modules/')) {
      const moduleEnd = this.word(flowAt + 8);
      if (moduleEnd >= 0) return moduleEnd;
    }
    const flowEnd = this.word(flowAt);
    return flowEnd >= 0 ? flowEnd : end;
  }

  private insertDeclaration(from: number): number {
    const end = this.importedNames(this.comment(from), EngineMessage.InsertArgument);
    if (end < 0) return end;
    const fromAt = this.comment(end);
    const fromEnd = this.word(fromAt);
    if (fromEnd < 0) return SOFT;
    if (!this.wordIs(fromAt, fromEnd, 'from')) return this.cut(this.soft(fromEnd), Expected.InsertFrom);
    return this.cut(this.word(this.comment(fromEnd)), Expected.InsertFrom);
  }

  /** `name [as alias]` or `{a, b as c}` after `import` or `insert`; a soft failure there is hard. */
  private importedNames(at: number, message: EngineMessage): number {
    let end: number;
    if (this.code(at) === OPEN_BRACE) {
      end = this.separated(at + 1, Element.Imported);
      if (end >= 0) {
        const close = this.comment(this.trailingComma(end));
        end = this.code(close) === CLOSE_BRACE ? close + 1 : this.soft(close);
      }
      if (end === SOFT) end = this.importedName(at);
    } else {
      end = this.importedName(at);
    }
    if (end === SOFT) {
      this.append(at);
      this.addContext(at, message);
      this.origin = this.errorAt;
      return HARD;
    }
    if (end === HARD) this.append(at);
    return end;
  }

  private importedName(from: number): number {
    const name = this.nameToAssign(from);
    return name < 0 ? name : this.asName(name);
  }

  private functionDeclaration(from: number): number {
    const name = this.nameToAssign(this.comment(from));
    if (name < 0) return name;
    let end = this.parameters(name);
    if (end < 0) return end;
    const colon = this.comment(end);
    if (this.code(colon) === COLON) return this.statements(this.comment(colon + 1));
    if (this.code(colon) !== OPEN_BRACE) return this.soft(colon);
    end = this.statements(colon + 1);
    if (end < 0) return end;
    const close = this.comment(end);
    return this.code(close) === CLOSE_BRACE ? close + 1 : this.hard(close, EngineMessage.RightBrace);
  }

  /** `(a, b)` right after a function's name. */
  private parameters(from: number): number {
    const start = this.comment(from);
    if (this.code(from) !== OPEN_PAREN) return this.soft(from);
    let end = this.separated(from + 1, Element.Parameter);
    if (end >= 0) end = this.closingParenthesis(this.trailingComma(end));
    if (end === HARD) this.append(start);
    return end;
  }

  /** `name:` then the step's statements. */
  private step(from: number): number {
    const at = this.comment(from);
    const name = this.nameToAssign(at);
    if (name < 0) {
      const where = this.errorAt;
      return this.remaining(where) === 0 ? this.soft(where, EngineMessage.Parsing) : this.hard(where, EngineMessage.Parsing);
    }
    if (this.code(name) !== COLON) return this.hard(at, EngineMessage.Parsing);
    return this.statements(this.comment(name + 1));
  }
}

function infix(left: ConstantNode | undefined, right: ConstantNode | undefined, isMatch: boolean): ConstantNode | undefined {
  return left === undefined || right === undefined ? undefined : { kind: NodeKind.Infix, at: left.at, left, right, isMatch };
}
