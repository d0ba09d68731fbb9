import type { FlowModel } from './flowModel';
import { Span, TokenKind, TokenList, tokenize } from './tokens';

/** What the code before the cursor asks for. */
export type CompletionContext =
  /** `goto |`: a step of this flow, `end`, or the words `flow` and `step`. */
  | { readonly kind: 'gotoTarget' }
  /** `goto step |`. */
  | { readonly kind: 'gotoStep' }
  /** `goto flow |`, `goto s@|`, `goto @|`. */
  | { readonly kind: 'gotoFlow' }
  /** `insert |`, `insert {a, |}`: steps of other flows; only those of `from` when it is written. */
  | { readonly kind: 'insertedStep'; readonly from?: string; readonly braced: boolean }
  /** `import |`, `import {f, |}`: functions of other flows; only those of `from` when it is written. */
  | { readonly kind: 'importedFunction'; readonly from?: string; readonly braced: boolean }
  /** `from |` in an import or an insert. */
  | { readonly kind: 'sourceFlow' }
  /** The start of a statement in a step or a function. */
  | { readonly kind: 'statement'; readonly scope: 'step' | 'function'; readonly inBlock: boolean; readonly afterBlock: boolean }
  /** The start of a line between top-level items (before the first step, after an import). */
  | { readonly kind: 'topLevel' }
  /** `say |`: a component. */
  | { readonly kind: 'component' };

export interface CompletionSite {
  readonly context: CompletionContext;
  /** The word the cursor is in or right after, which a completion replaces; empty at the cursor when none. */
  readonly replace: Span;
  /** Whether the cursor is on a line of its own, nothing but spaces before it. */
  readonly lineStart: boolean;
}

/** Token arrays larger than this are not kept for the next request. */
const KEPT_CAPACITY = 1 << 16;
let spareTokens: TokenList | undefined;

/** The arrays of the previous request, emptied: requests are synchronous, and one set serves them all. */
function reusableTokens(): TokenList {
  if (!spareTokens || spareTokens.capacity > KEPT_CAPACITY) spareTokens = new TokenList(256);
  return spareTokens;
}

type AnchorKind = 'step' | 'function' | 'import' | 'insert' | 'constant' | 'none';

/** The top-level item the cursor is in, and where reading starts: never the start of the file but for its first item. */
interface Anchor {
  readonly kind: AnchorKind;
  /** The item's first token, or a goto that starts the cursor's line (a position outside strings and comments). */
  readonly start: number;
  /** Where the item is known to end; an import or an insert may run over several lines. */
  readonly end: number;
}

/**
 * Reads what the cursor at `offset` is after, from the start of the top-level item it is in (found through
 * `model`, the model of `text`), or from a goto that starts its line, to the end of the cursor's line: a few
 * lines in most flows, however long they are.
 * Undefined inside strings, comments and the `{{ }}` of strings, and wherever nothing is to be offered.
 */
export function completionSiteAt(text: string, offset: number, model: FlowModel): CompletionSite | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const anchor = anchorOf(text, offset, model);
  const end = Math.min(text.length, Math.max(lineEndOf(text, offset), anchor.end));
  const { tokens, comments } = tokenize(text.slice(anchor.start, end), reusableTokens());
  const at = offset - anchor.start;
  for (const comment of comments) if (insideComment(tokens.source, comment, at)) return undefined;

  // The token the cursor is in or right after, and the last one before the word being typed.
  let touching = -1;
  let before = -1;
  for (let i = 0; i < tokens.count && tokens.start(i) < at; i++) {
    if (tokens.end(i) >= at) touching = i;
    else before = i;
  }
  if (touching >= 0) {
    if (tokens.kind(touching) === TokenKind.String || tokens.interpolated(touching)) return undefined;
    if (tokens.kind(touching) === TokenKind.Punct) before = touching;
  }
  if (before >= 0 && (tokens.interpolated(before) || opensInterpolation(tokens, before))) return undefined;
  const word = touching >= 0 && tokens.isWord(touching) ? touching : -1;
  const replace =
    word >= 0 ? { start: anchor.start + tokens.start(word), end: anchor.start + tokens.end(word) } : { start: offset, end: offset };
  const lineStart = before < 0 || !sameLine(tokens.source, tokens.end(before), at);
  const context = new ContextReader(tokens, anchor.kind, before, word, at).read(lineStart);
  return context ? { context, replace, lineStart } : undefined;
}

class ContextReader {
  constructor(
    private readonly tokens: TokenList,
    private readonly anchor: AnchorKind,
    /** The last token before the word being typed, -1 when none. */
    private readonly before: number,
    /** The word being typed, -1 when none. */
    private readonly word: number,
    private readonly at: number,
  ) {}

  read(lineStart: boolean): CompletionContext | undefined {
    const tokens = this.tokens;
    const b = this.before;
    // In the label, `fn`, `import` or `insert` that starts the item: a name being written, not a statement.
    if (b < 0 && this.anchor !== 'none') return undefined;
    if (this.anchor === 'import' || this.anchor === 'insert') {
      const inDeclaration = this.importOrInsert();
      if (inDeclaration !== 'outside') return inDeclaration;
    }
    if (lineStart) return this.statementStart();
    if (this.anchor !== 'step') return undefined;
    if (this.isKeyword(b, 'goto')) return { kind: 'gotoTarget' };
    if (this.isKeyword(b - 1, 'goto') && this.isKeyword(b, 'step')) return { kind: 'gotoStep' };
    if (this.isKeyword(b - 1, 'goto') && this.isKeyword(b, 'flow')) return { kind: 'gotoFlow' };
    if (tokens.isPunct(b, '@') && this.touchesCursorSide(b)) {
      // `goto @|` or `goto s@|`, no space around `@`, as the engine reads it.
      if (this.isKeyword(b - 1, 'goto')) return { kind: 'gotoFlow' };
      if (tokens.isWord(b - 1) && tokens.end(b - 1) === tokens.start(b) && this.isKeyword(b - 2, 'goto')) return { kind: 'gotoFlow' };
      return undefined;
    }
    if (this.isKeyword(b, 'say')) return { kind: 'component' };
    return undefined;
  }

  /**
   * `import` or `insert` is token 0: the cursor is in its names, right after its `from`, or past them
   * ('outside', where the next line may start another item); undefined after an `as`.
   */
  private importOrInsert(): CompletionContext | 'outside' | undefined {
    const tokens = this.tokens;
    const b = this.before;
    const kind = this.anchor === 'import' ? 'importedFunction' : 'insertedStep';
    if (this.isKeyword(b, 'from')) return { kind: 'sourceFlow' };
    if (b === 0) return { kind, from: this.fromAfter(this.afterWord()), braced: false };
    if (!tokens.isPunct(1, '{')) return 'outside';
    // Inside the braces: names, commas and aliases only, from the `{` to the cursor.
    for (let i = 2; i <= b; i++) if (!tokens.isWord(i) && !tokens.isPunct(i, ',')) return 'outside';
    if (this.isKeyword(b, 'as')) return undefined;
    let close = this.afterWord();
    while (close < tokens.count && (tokens.isWord(close) || tokens.isPunct(close, ','))) close++;
    return { kind, from: tokens.isPunct(close, '}') ? this.fromAfter(close + 1) : undefined, braced: true };
  }

  private statementStart(): CompletionContext | undefined {
    const open = this.openBrackets();
    if (this.anchor !== 'step' && this.anchor !== 'function') return open.length === 0 ? { kind: 'topLevel' } : undefined;
    // A `{` that opens anything but a block (an object, a map) is no place for a statement.
    if (open.some((bracket) => bracket !== 'block')) return undefined;
    return {
      kind: 'statement',
      scope: this.anchor,
      inBlock: open.length > (this.anchor === 'function' && this.bracedFunction() ? 1 : 0),
      afterBlock: this.closesBlock(this.before),
    };
  }

  /**
   * The brackets open at the cursor, innermost last. A `{` opens a block of statements after `)` (`if`,
   * `while`), after `else`, and as the first `{` of a `foreach` at its depth; any other `{` opens a value.
   */
  private openBrackets(): ('block' | 'other')[] {
    const tokens = this.tokens;
    const open: ('block' | 'other')[] = [];
    let foreachDepth = -1;
    for (let i = 0; i <= this.before; i++) {
      if (this.isKeyword(i, 'foreach')) foreachDepth = open.length;
      if (tokens.kind(i) !== TokenKind.Punct || tokens.interpolated(i)) continue;
      const c = tokens.source.charCodeAt(tokens.start(i));
      if (c === 0x7b) {
        const block = this.opensBlock(i) || foreachDepth === open.length;
        if (foreachDepth === open.length) foreachDepth = -1;
        open.push(block ? 'block' : 'other');
      } else if (c === 0x28 || c === 0x5b) open.push('other');
      else if (c === 0x7d || c === 0x29 || c === 0x5d) open.pop();
    }
    return open;
  }

  private opensBlock(brace: number): boolean {
    return this.tokens.isPunct(brace - 1, ')') || this.isKeyword(brace - 1, 'else');
  }

  /** `fn f(a) {`: the function's own braces are open around its body. */
  private bracedFunction(): boolean {
    const tokens = this.tokens;
    for (let i = 0; i < tokens.count && i <= this.before; i++) if (tokens.isPunct(i, ')')) return tokens.isPunct(i + 1, '{');
    return false;
  }

  /** Whether token `i` is the `}` of a block of statements (an `if`'s, for an `else` to follow). */
  private closesBlock(i: number): boolean {
    const tokens = this.tokens;
    if (!tokens.isPunct(i, '}')) return false;
    let depth = 0;
    for (let j = i; j >= 0; j--) {
      if (tokens.isPunct(j, '}')) depth++;
      else if (tokens.isPunct(j, '{') && --depth === 0) return this.opensBlock(j);
    }
    return false;
  }

  /** `from F` at token `i`: the flow's name. */
  private fromAfter(i: number): string | undefined {
    return this.isKeyword(i, 'from') && this.tokens.isWord(i + 1) ? this.tokens.text(i + 1) : undefined;
  }

  /** The index of the first token after the word being typed (or after the cursor). */
  private afterWord(): number {
    if (this.word >= 0) return this.word + 1;
    let i = this.before + 1;
    while (i < this.tokens.count && this.tokens.start(i) < this.at) i++;
    return i;
  }

  /** `@` with the cursor, or the word being typed, right after it. */
  private touchesCursorSide(i: number): boolean {
    const tokens = this.tokens;
    return this.word >= 0 ? tokens.start(this.word) === tokens.end(i) : tokens.end(i) === this.at;
  }

  private isKeyword(i: number, word: string): boolean {
    return this.tokens.isWord(i) && !this.tokens.interpolated(i) && this.tokens.is(i, word);
  }
}

/** The last top-level item that starts before `offset`, provided `model` still matches the text there. */
function anchorOf(text: string, offset: number, model: FlowModel): Anchor {
  let best: Anchor = { kind: 'none', start: 0, end: 0 };
  const consider = (kind: AnchorKind, start: number, end: number, word: string) => {
    if (start < offset && start >= best.start && text.startsWith(word, start)) best = { kind, start, end };
  };
  const step = lastBefore(model.steps, offset);
  if (step) consider('step', step.start, step.start, step.name.text);
  const fn = lastBefore(model.functions, offset);
  if (fn) consider('function', fn.start, fn.start, 'fn');
  const constant = lastBefore(model.constants, offset);
  if (constant) consider('constant', constant.start, constant.start, 'const');
  const imported = lastBefore(model.imports, offset);
  if (imported) consider('import', imported.start, imported.end, 'import');
  const inserted = lastBefore(model.inserts, offset);
  if (inserted) consider('insert', inserted.start, inserted.end, 'insert');
  return best.kind === 'step' ? fromGotoOnLine(text, offset, model, best) : best;
}

/**
 * A goto that starts the cursor's line is code, outside strings and comments: reading from it rather than
 * from its step's label keeps the request short in a step of thousands of lines. (Only a string that runs
 * over several lines, with a goto in its `{{ }}` at the start of one, would be misread.)
 */
function fromGotoOnLine(text: string, offset: number, model: FlowModel, step: Anchor): Anchor {
  const goto = lastBefore(model.gotos, offset);
  if (!goto || goto.start <= step.start || goto.start + 'goto'.length >= offset || !text.startsWith('goto', goto.start)) return step;
  if (!sameLine(text, goto.start, offset)) return step;
  for (let i = goto.start - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) break;
    if (c !== 0x20 && c !== 0x09) return step;
  }
  return { kind: 'step', start: goto.start, end: goto.start };
}

/** The last of `items` (in source order) that starts before `offset`. */
function lastBefore<T extends Span>(items: readonly T[], offset: number): T | undefined {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle].start < offset) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? items[low - 1] : undefined;
}

function lineEndOf(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return text.length;
}

function sameLine(source: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return false;
  }
  return true;
}

/** A line comment runs to the end of its line; a block comment to its close, or to the end when unclosed. */
function insideComment(source: string, comment: Span, at: number): boolean {
  if (at <= comment.start) return false;
  const closed = source.startsWith('/*', comment.start) && comment.end - comment.start >= 4 && source.startsWith('*/', comment.end - 2);
  return closed ? at < comment.end : at <= comment.end;
}

/** A piece of a string that ends with `{{`: what follows is the code of an interpolation. */
function opensInterpolation(tokens: TokenList, i: number): boolean {
  return tokens.kind(i) === TokenKind.String && tokens.end(i) - tokens.start(i) >= 2 && tokens.source.startsWith('{{', tokens.end(i) - 2);
}
