import type { Problem } from './problem';
import { Span, TokenKind, TokenList, tokenize } from './tokens';

/**
 * The CSML engine's linter rules on the statements of one step or function: what a function may not do (`goto`,
 * `say`, `remember`, `hold`), `return` outside a function, `break` and `continue` outside a loop, a constant
 * changed by `do`, and the deprecation warnings of `use`, `Object(…)` and `Fn(…)`.
 *
 * The engine lints a closure's body only when the closure sits where it looks for one (the value of a `say` or a
 * `do`, not an `if` condition or a `return`): nothing inside a closure is reported here, so that no accepted flow
 * is ever flagged.
 */
export function lintStatements(lint: StatementLint, body: ContainerBody): void {
  new StatementScanner(lint, body).scan();
}

/** What the scans of one flow share: its text, the parser's tokens of it when still at hand, its constants. */
export interface StatementLint {
  readonly text: string;
  /** The whole flow's tokens, from `tokensOfLastParse`; undefined to tokenize each body. */
  readonly tokens: TokenList | undefined;
  readonly constants: ReadonlySet<string>;
  readonly into: Problem[];
}

/** A step or a function: its span in the flow, and whether its statements run as a function's. */
export interface ContainerBody extends Span {
  readonly inFunction: boolean;
}

type FrameKind = 'scope' | 'loop' | 'closure' | 'expression';

interface Frame {
  readonly kind: FrameKind;
  /** The statement this frame's code belongs to (`say`, `do`, `if`…): which expressions the engine lints. */
  statement: string | undefined;
  /** For `(`: what it holds, an `if` or `while` condition or anything else. */
  readonly condition?: 'if' | 'while';
}

/** Statements whose value the engine looks into for calls: where `Object(…)` and `Fn(…)` warn. */
const LINTED_VALUES: ReadonlySet<string> = new Set(['say', 'use', 'do', 'remember']);

/** Words after which another word continues the same statement rather than starting one. */
const EXPECTS_OPERAND: ReadonlySet<string> = new Set([
  'do',
  'say',
  'use',
  'remember',
  'forget',
  'return',
  'debug',
  'log',
  'goto',
  'step',
  'flow',
  'in',
  'as',
  'if',
  'while',
  'foreach',
  'match',
  'and',
  'or',
  'not',
  // A log level: `log warn value`.
  'error',
  'warn',
  'info',
  'trace',
  // `-` alone is a word to the tokenizer: a subtraction that runs on to the next line.
  '-',
]);

/** Statements that start with a reserved word: never a variable, wherever they stand in a scope. */
const RESERVED_STATEMENTS: ReadonlySet<string> = new Set([
  'do',
  'if',
  'foreach',
  'while',
  'break',
  'goto',
  'say',
  'remember',
  'forget',
  'hold',
  'use',
]);

/** Statements whose word is not reserved: a variable may bear the name, so only a statement's place counts. */
const UNRESERVED_STATEMENTS: ReadonlySet<string> = new Set(['return', 'continue', 'debug', 'log', 'previous', 'hold_secure']);

const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The first letters of the statement words and of `as`: most words are looked at no further. */
const STATEMENT_INITIALS = new Set([...RESERVED_STATEMENTS, ...UNRESERVED_STATEMENTS, 'as'].map((word) => word.charCodeAt(0)));
const LONGEST_STATEMENT_WORD = Math.max(...[...RESERVED_STATEMENTS, ...UNRESERVED_STATEMENTS].map((word) => word.length));

/** Whether word `i` may be a statement's word (or `as`), without making a string of every name. */
function mayBeStatementWord(tokens: TokenList, i: number): boolean {
  const start = tokens.start(i);
  return tokens.end(i) - start <= LONGEST_STATEMENT_WORD && STATEMENT_INITIALS.has(tokens.source.charCodeAt(start));
}

/** `if (` or `while (`: the parenthesis holds a condition, and a `{` after it opens the body. */
function conditionOf(tokens: TokenList, word: number): 'if' | 'while' | undefined {
  if (tokens.is(word, 'if')) return 'if';
  if (tokens.is(word, 'while')) return 'while';
  return undefined;
}

const COMPOUND_ASSIGNMENT: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);

class StatementScanner {
  private readonly tokens: TokenList;
  /** Added to a token's offset in the body's text to give its offset in the flow. */
  private readonly base: number;
  private readonly frames: Frame[] = [{ kind: 'scope', statement: undefined }];
  private closures = 0;
  private loops = 0;
  /** The depth at which a `foreach` waits for its body's `{`, or -1. */
  private pendingForeach = -1;
  /** The `(` that the last `)` closed, while the next token is read. */
  private lastClosed: Frame | undefined;
  /** A `use` waiting for its `as NAME`, the engine's position for its warning. */
  private pendingUse: { depth: number; keyword: number } | undefined;
  private firstToken = 0;
  /** The body's tokens are those from `first` to before `end`. */
  private readonly first: number;
  private readonly end: number;

  private readonly constants: ReadonlySet<string>;
  private readonly into: Problem[];

  constructor(
    lint: StatementLint,
    private readonly body: ContainerBody,
  ) {
    this.constants = lint.constants;
    this.into = lint.into;
    const parsed = lint.tokens;
    if (parsed) {
      this.tokens = parsed;
      this.base = 0;
      this.first = firstTokenFrom(parsed, body.start);
      this.end = firstTokenFrom(parsed, body.end);
    } else {
      this.tokens = tokenize(lint.text.slice(body.start, body.end), spareTokens()).tokens;
      this.base = body.start;
      this.first = 0;
      this.end = this.tokens.count;
    }
  }

  scan(): void {
    const tokens = this.tokens;
    this.firstToken = this.bodyStart();
    for (let i = this.firstToken; i < this.end; i++) {
      const kind = tokens.kind(i);
      if (kind === TokenKind.Punct && !tokens.interpolated(i)) this.punct(i);
      else if (kind === TokenKind.Word) this.word(i);
      if (this.lastClosed && !tokens.isPunct(i, ')')) this.lastClosed = undefined;
    }
    this.flushUse();
  }

  /** The first token of the body, after `name:` or `fn name(…)` and its `:` or `{`. */
  private bodyStart(): number {
    const tokens = this.tokens;
    const first = this.first;
    if (!this.body.inFunction) return tokens.isPunct(first + 1, ':') ? first + 2 : first;
    let j = first;
    while (j < this.end && !tokens.isPunct(j, ')')) j++;
    if (tokens.isPunct(j + 1, ':')) return j + 2;
    if (tokens.isPunct(j + 1, '{')) {
      this.frames.push({ kind: 'scope', statement: undefined });
      return j + 2;
    }
    return j + 1;
  }

  private punct(i: number): void {
    const tokens = this.tokens;
    const bracket = tokens.source.charCodeAt(tokens.start(i));
    if (bracket === OPEN_PAREN) {
      const before = tokens.isWord(i - 1) && !this.afterDot(i - 1) ? conditionOf(tokens, i - 1) : undefined;
      this.frames.push({ kind: 'expression', statement: this.top().statement, condition: before });
    } else if (bracket === OPEN_BRACKET) {
      this.frames.push({ kind: 'expression', statement: this.top().statement });
    } else if (bracket === OPEN_BRACE) {
      const kind = this.braceKind(i);
      if (kind === 'closure') this.closures++;
      if (kind === 'loop') this.loops++;
      this.frames.push({ kind, statement: kind === 'expression' ? this.top().statement : undefined });
    } else if (bracket === CLOSE_PAREN || bracket === CLOSE_BRACKET || bracket === CLOSE_BRACE) {
      if (this.frames.length === 1) return;
      if (this.pendingUse && this.pendingUse.depth === this.frames.length) this.flushUse();
      const closed = this.frames.pop() as Frame;
      if (closed.kind === 'closure') this.closures--;
      if (closed.kind === 'loop') this.loops--;
      this.lastClosed = bracket === CLOSE_PAREN ? closed : undefined;
    }
  }

  /** What a `{` opens: a loop's or an `if`'s body, a closure's, or an object. */
  private braceKind(i: number): FrameKind {
    const tokens = this.tokens;
    if (this.pendingForeach === this.frames.length && !tokens.is(i - 1, 'in') && tokens.kind(i - 1) !== TokenKind.Punct) {
      this.pendingForeach = -1;
      return 'loop';
    }
    if (this.pendingForeach === this.frames.length && tokens.isPunct(i - 1, ')') && this.lastClosed?.condition === undefined) {
      // `foreach (x) in f(y) {`: the call's `)`, then the body.
      this.pendingForeach = -1;
      return 'loop';
    }
    if (tokens.isPunct(i - 1, ')') && this.lastClosed) {
      if (this.lastClosed.condition === 'if') return 'scope';
      if (this.lastClosed.condition === 'while') return 'loop';
      return 'closure';
    }
    if (this.pendingForeach === this.frames.length && (tokens.isPunct(i - 1, ']') || tokens.isPunct(i - 1, '}'))) {
      this.pendingForeach = -1;
      return 'loop';
    }
    if (tokens.isWord(i - 1) && tokens.is(i - 1, 'else')) return 'scope';
    return 'expression';
  }

  private word(i: number): void {
    const tokens = this.tokens;
    if (this.afterDot(i)) return;
    const top = this.top();
    if (tokens.isPunct(i + 1, '(')) this.call(i, top);
    if (tokens.interpolated(i) || top.kind === 'expression' || !mayBeStatementWord(tokens, i)) return;
    const word = tokens.text(i);
    if (this.pendingUse && this.pendingUse.depth === this.frames.length && tokens.is(i, 'as')) {
      this.useAlias(i);
      return;
    }
    const statement = RESERVED_STATEMENTS.has(word) || (UNRESERVED_STATEMENTS.has(word) && this.startsStatement(i));
    if (!statement) return;
    if (this.pendingUse) this.flushUse();
    top.statement = word;
    if (word === 'foreach') this.pendingForeach = this.frames.length;
    if (this.closures > 0) return;
    this.rule(i, word);
  }

  /** The engine's rules on a statement at token `i`, outside any closure. */
  private rule(i: number, word: string): void {
    const inFunction = this.body.inFunction;
    switch (word) {
      case 'goto':
        if (inFunction) this.report(i, i, 'goto-in-function', 'A function cannot use goto: return a value and let the step go on.');
        break;
      case 'say':
        if (inFunction)
          this.report(i + 1, i + 1, 'say-in-function', 'A function cannot say anything: return the message and say it from the step.');
        break;
      case 'remember':
        if (inFunction) {
          const name = this.rememberedName(i);
          this.report(name, name, 'remember-in-function', 'A function cannot remember a value: return it and remember it from the step.');
        }
        break;
      case 'hold':
        if (inFunction) this.report(i, i, 'hold-in-function', 'A function cannot hold: wait for the user in the step that calls it.');
        break;
      case 'return':
        if (!inFunction)
          this.report(i + 1, i + 1, 'return-outside-function', 'Only a function can return: in a step, use goto to go on, or goto end.');
        break;
      case 'break':
        if (this.loops === 0) this.report(i, i, 'break-outside-loop', 'break is only allowed inside a foreach or while loop: remove it.');
        break;
      case 'continue':
        if (this.loops === 0)
          this.report(i, i, 'continue-outside-loop', 'continue is only allowed inside a foreach or while loop: remove it.');
        break;
      case 'use':
        this.pendingUse = { depth: this.frames.length, keyword: i };
        break;
      case 'do':
        this.constantUpdate(i);
        break;
    }
  }

  /** The name `remember` gives: `remember NAME = value`, or `remember value as NAME` on the same line. */
  private rememberedName(keyword: number): number {
    const tokens = this.tokens;
    const first = keyword + 1;
    if (tokens.isPunct(first + 1, '=')) return first;
    let depth = 0;
    for (let j = first; j < this.end && (j === first || !tokens.firstOnLine(j)); j++) {
      if (tokens.kind(j) === TokenKind.Punct && !tokens.interpolated(j)) {
        const c = tokens.source.charCodeAt(tokens.start(j));
        if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
        else if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
      } else if (depth === 0 && tokens.is(j, 'as') && tokens.isWord(j + 1)) {
        return j + 1;
      }
    }
    return first;
  }

  /** `do NAME = …` or `do NAME += …` (and `-=`, `*=`, `/=`, `%=`) where NAME is a constant of the flow. */
  private constantUpdate(i: number): void {
    const tokens = this.tokens;
    const name = i + 1;
    if (!tokens.isWord(name) || tokens.interpolated(name) || !this.constants.has(tokens.text(name))) return;
    const operator = name + 1;
    const adjacentEquals = (at: number) => tokens.isPunct(at, '=') && tokens.start(at) === tokens.end(at - 1);
    const plain = tokens.isPunct(operator, '=') && !adjacentEquals(operator + 1);
    // `-` is a word of its own to the tokenizer (names may hold one): compared by text, whatever its kind.
    const compound = COMPOUND_ASSIGNMENT.has(tokens.text(operator)) && adjacentEquals(operator + 1);
    if (!plain && !compound) return;
    const constant = tokens.text(name);
    this.report(name, name, 'constant-changed', `${constant} is a constant and cannot be changed: use a variable instead.`);
  }

  /** A call in an expression the engine lints: `Object(…)` and `Fn(…)` are deprecated. */
  private call(i: number, top: Frame): void {
    if (this.closures > 0 || !top.statement || !LINTED_VALUES.has(top.statement)) return;
    const tokens = this.tokens;
    if (tokens.is(i, 'Object')) {
      this.report(
        i,
        i,
        'deprecated-object',
        'Object(key = value) is deprecated: write an object literal, {"key": value}, instead.',
        'deprecated',
      );
    } else if (tokens.is(i, 'Fn')) {
      this.report(i, i, 'deprecated-fn', 'Fn() is deprecated: call App() instead.', 'deprecated');
    }
  }

  private useAlias(asWord: number): void {
    const alias = this.tokens.isWord(asWord + 1) ? asWord + 1 : asWord;
    this.reportUse(alias);
  }

  /** A `use` whose `as NAME` was not found: warned at the keyword. */
  private flushUse(): void {
    if (this.pendingUse) this.reportUse(this.pendingUse.keyword);
  }

  private reportUse(at: number): void {
    this.pendingUse = undefined;
    if (this.closures > 0) return;
    this.report(at, at, 'deprecated-use', 'use is deprecated: write do instead.', 'deprecated');
  }

  /**
   * Whether the word at `i` begins a statement: first in its scope, or after what ends one (a closing bracket, a
   * string, a name), rather than inside an expression that runs on from the line before.
   */
  private startsStatement(i: number): boolean {
    const tokens = this.tokens;
    if (i === this.firstToken) return true;
    const previous = i - 1;
    switch (tokens.kind(previous)) {
      case TokenKind.String:
        return true;
      case TokenKind.Word:
        return !EXPECTS_OPERAND.has(tokens.text(previous));
      case TokenKind.Punct:
        return tokens.is(previous, ')') || tokens.is(previous, ']') || tokens.is(previous, '}') || tokens.is(previous, '{');
      default:
        return true;
    }
  }

  private afterDot(i: number): boolean {
    const tokens = this.tokens;
    return i > 0 && tokens.isPunct(i - 1, '.') && tokens.end(i - 1) === tokens.start(i);
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /**
   * The engine's errors are errors. Its deprecation warnings do not stop a bot, so they are struck-through hints:
   * a bot that works is not shown as having problems.
   */
  private report(first: number, last: number, code: string, message: string, kind: 'error' | 'deprecated' = 'error'): void {
    const tokens = this.tokens;
    const at = first < this.end ? first : this.end - 1;
    const to = last < this.end ? last : at;
    if (at < this.first) return;
    const problem = { start: this.base + tokens.start(at), end: this.base + tokens.end(to), code, message };
    this.into.push(kind === 'error' ? { ...problem, severity: 'error' } : { ...problem, severity: 'hint', deprecated: true });
  }
}

/** The index of the first token that starts at or after `offset`. */
function firstTokenFrom(tokens: TokenList, offset: number): number {
  let low = 0;
  let high = tokens.count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens.start(middle) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

let spare: TokenList | undefined;

/** One set of token arrays for every scan: scans are synchronous. */
function spareTokens(): TokenList {
  spare = spare && spare.capacity <= 1 << 16 ? spare : new TokenList(1024);
  return spare;
}
