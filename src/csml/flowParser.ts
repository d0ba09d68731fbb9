import type {
  ConstantDeclaration,
  FlowModel,
  FunctionDeclaration,
  Goto,
  GotoTarget,
  ImportDeclaration,
  ImportedName,
  InsertDeclaration,
  Name,
  Source,
  StepDeclaration,
} from './flowModel';
import { asciiLower } from './names';
import { RESERVED_IN_ASSIGNMENT } from './syntax/engineWords';
import { SpanList, TokenKind, TokenList, tokenize, Tokenized } from './tokens';

/** Words that start a statement or belong to one: never a call of a function, whatever follows them. */
const STATEMENT_WORDS: ReadonlySet<string> = new Set([
  'say',
  'do',
  'debug',
  'log',
  'if',
  'else',
  'foreach',
  'while',
  'break',
  'continue',
  'goto',
  'previous',
  'remember',
  'forget',
  'hold',
  'hold_secure',
  'return',
  'use',
  'in',
  'as',
  'match',
  'fn',
  'const',
  'import',
  'insert',
  'from',
]);

/** What Rust's f64 parser accepts: the engine refuses such a word as a name. */
const NUMBER_LIKE = /^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf|infinity|nan)$/i;

/** Whether the engine accepts `text` as the name of a step, function, constant or import. */
export function isDeclarableName(text: string): boolean {
  return text.length > 0 && !RESERVED_IN_ASSIGNMENT.has(asciiLower(text)) && !NUMBER_LIKE.test(text);
}

/** Token arrays larger than this are not kept for the next parse (a 5 MB flow's would hold 12 MB). */
const KEPT_CAPACITY = 1 << 18;
let spareTokens: TokenList | undefined;

/**
 * The tokens of the last parse if it read `source`, else undefined: a second pass over the same text (the engine's
 * lint rules) can then skip tokenizing it again. Valid until the next parse.
 */
export function tokensOfLastParse(source: string): TokenList | undefined {
  return spareTokens && spareTokens.source === source ? spareTokens : undefined;
}

/** The token arrays of the previous parse, emptied; parsing is synchronous, so one set serves every parse. */
function reusableTokens(): TokenList {
  const tokens = spareTokens && spareTokens.capacity <= KEPT_CAPACITY ? spareTokens : new TokenList(4096);
  spareTokens = tokens;
  return tokens;
}

/** Reads a flow's source into a model. Any text gives a model: what cannot be read is passed over. */
export function parseFlow(source: string): FlowModel {
  return new FlowParser(source).parse();
}

type Container = { kind: 'step'; name: Name; start: number } | { kind: 'function'; name: Name; parameters: Name[]; start: number };

class FlowParser {
  private readonly tokens: TokenList;
  private readonly tokenized: Tokenized;
  private readonly steps: StepDeclaration[] = [];
  private readonly functions: FunctionDeclaration[] = [];
  private readonly constants: ConstantDeclaration[] = [];
  private readonly imports: ImportDeclaration[] = [];
  private readonly inserts: InsertDeclaration[] = [];
  private readonly gotos: Goto[] = [];
  private readonly calls: Name[] = [];
  private readonly blocks = new SpanList();
  private container: Container | undefined;
  private lastEnd = 0;

  constructor(private readonly text: string) {
    this.tokenized = tokenize(text, reusableTokens());
    this.tokens = this.tokenized.tokens;
  }

  parse(): FlowModel {
    const tokens = this.tokens;
    const source = this.text;
    // Where each open bracket starts, innermost last: the depth is its length.
    const open: number[] = [];
    let i = 0;
    while (i < tokens.count) {
      const kind = tokens.kind(i);
      const depth = open.length;
      // Brackets inside `{{ }}` belong to the string: a string the engine ends early leaves none open.
      if (kind === TokenKind.Punct && !tokens.interpolated(i)) {
        const bracket = BRACKETS[source.charCodeAt(tokens.start(i))];
        if (bracket === 'open') open.push(tokens.start(i));
        else if (bracket === 'close' && depth > 0) {
          this.blocks.push(open.pop() ?? 0, tokens.end(i));
        }
      } else if (kind === TokenKind.Word) {
        if (depth === 0) {
          const next = this.topLevelItem(i);
          if (next !== undefined) {
            i = next;
            continue;
          }
        }
        if (tokens.is(i, 'goto')) {
          i = this.goto(i);
          continue;
        }
        if (this.isCall(i)) this.calls.push(this.nameAt(i));
      }
      this.lastEnd = tokens.end(i);
      i++;
    }
    this.closeContainer();
    return {
      steps: this.steps,
      functions: this.functions,
      constants: this.constants,
      imports: this.imports,
      inserts: this.inserts,
      gotos: this.gotos,
      calls: this.calls,
      strings: this.tokenized.strings,
      comments: this.tokenized.comments,
      blocks: this.blocks,
    };
  }

  /** Reads the top-level item that starts at word `i`, returning the index after it; undefined when none does. */
  private topLevelItem(i: number): number | undefined {
    const tokens = this.tokens;
    if (this.isStepLabel(i)) {
      this.closeContainer();
      this.container = { kind: 'step', name: this.nameAt(i), start: tokens.start(i) };
      this.lastEnd = tokens.end(i + 1);
      return i + 2;
    }
    if (tokens.is(i, 'fn')) return this.functionHeader(i);
    if (tokens.is(i, 'const')) return this.constant(i);
    if (tokens.is(i, 'import')) return this.importOrInsert(i, this.imports);
    if (tokens.is(i, 'insert')) return this.importOrInsert(i, this.inserts);
    return undefined;
  }

  /**
   * `name:` with nothing between the name and the colon, first on its line. The engine would also take a
   * label after a statement on the same line; nobody writes that, and reading only line starts keeps
   * `say a b:`, paths and half-typed code from making steps.
   */
  private isStepLabel(i: number): boolean {
    const tokens = this.tokens;
    if (!tokens.firstOnLine(i) || tokens.interpolated(i) || !tokens.isPunct(i + 1, ':') || tokens.start(i + 1) !== tokens.end(i))
      return false;
    return isDeclarableName(tokens.text(i));
  }

  private functionHeader(i: number): number | undefined {
    const tokens = this.tokens;
    if (!tokens.isWord(i + 1) || !tokens.isPunct(i + 2, '(')) return undefined;
    const parameters: Name[] = [];
    let j = i + 3;
    for (; j < tokens.count && !tokens.isPunct(j, ')'); j++) {
      if (tokens.isWord(j)) parameters.push(this.nameAt(j));
      else if (!tokens.isPunct(j, ',')) break;
    }
    if (!tokens.isPunct(j, ')')) return undefined;
    this.closeContainer();
    this.container = { kind: 'function', name: this.nameAt(i + 1), parameters, start: tokens.start(i) };
    // After `:` the body runs to the next top-level item; after `{` it is read as code, braces counted.
    const end = tokens.isPunct(j + 1, ':') ? j + 2 : j + 1;
    this.lastEnd = tokens.end(end - 1);
    return end;
  }

  private constant(i: number): number | undefined {
    const tokens = this.tokens;
    if (!tokens.isWord(i + 1) || !tokens.isPunct(i + 2, '=')) return undefined;
    this.closeContainer();
    this.constants.push({ name: this.nameAt(i + 1), start: tokens.start(i), end: tokens.end(i + 1) });
    this.lastEnd = tokens.end(i + 1);
    return i + 3;
  }

  private importOrInsert(i: number, into: ImportDeclaration[] | InsertDeclaration[]): number {
    const tokens = this.tokens;
    this.closeContainer();
    const names: ImportedName[] = [];
    // A label on the next line is never a name of this declaration, however unfinished it is.
    const isName = (at: number) => tokens.isWord(at) && !this.isStepLabel(at);
    const entry = (at: number): number => {
      if (!isName(at)) return at;
      const aliased = tokens.is(at + 1, 'as') && isName(at + 2);
      names.push(aliased ? { name: this.nameAt(at), alias: this.nameAt(at + 2) } : { name: this.nameAt(at) });
      return aliased ? at + 3 : at + 1;
    };
    let j = i + 1;
    if (tokens.isPunct(j, '{')) {
      j++;
      while (j < tokens.count && !tokens.isPunct(j, '}')) {
        const after = entry(j);
        if (after === j && !tokens.isPunct(j, ',')) break;
        j = after === j ? j + 1 : after;
      }
      if (tokens.isPunct(j, '}')) j++;
    } else {
      j = entry(j);
    }
    let from: Source | undefined;
    if (tokens.is(j, 'from')) {
      if (tokens.is(j + 1, 'modules') && tokens.isPunct(j + 2, '/') && isName(j + 3)) {
        from = { kind: 'module', name: this.nameAt(j + 3) };
        j += 4;
      } else if (isName(j + 1)) {
        from = { kind: 'flow', name: this.nameAt(j + 1) };
        j += 2;
      } else {
        j += 1;
      }
    }
    const end = tokens.end(j - 1);
    into.push({ names, from, start: tokens.start(i), end });
    this.lastEnd = end;
    return j;
  }

  /** Reads a goto from token `i` (the word `goto`), returning the index after it. */
  private goto(i: number): number {
    const tokens = this.tokens;
    let j = i + 1;
    let step: GotoTarget | undefined;
    let flow: GotoTarget | undefined;
    let bot: GotoTarget | undefined;
    let namesFlow = false;
    const keyword = tokens.is(j, 'step') ? 'step' : tokens.is(j, 'flow') ? 'flow' : undefined;
    const named = keyword ? this.targetAt(j + 1) : undefined;
    if (named) {
      if (keyword === 'step') step = named.target;
      else flow = named.target;
      namesFlow = keyword === 'flow';
      j = named.next;
    } else {
      const first = this.targetAt(j);
      if (first) {
        step = first.target;
        j = first.next;
      }
      // No space around `@`, as the engine reads it.
      if (tokens.isPunct(j, '@') && (step === undefined || tokens.start(j) === step.end)) {
        namesFlow = true;
        const second = tokens.start(j + 1) === tokens.end(j) ? this.targetAt(j + 1) : undefined;
        j++;
        if (second) {
          flow = second.target;
          j = second.next;
        }
      }
      if ((step || namesFlow) && tokens.is(j, 'in')) {
        const third = this.targetAt(j + 1);
        if (third) {
          bot = third.target;
          j = third.next;
        }
      }
    }
    const end = tokens.end(j - 1);
    this.gotos.push({ start: tokens.start(i), end, step, flow, bot, namesFlow });
    this.lastEnd = end;
    return j;
  }

  /** A literal name, or `$` and the expression right after it (a variable and its path). */
  private targetAt(j: number): { target: GotoTarget; next: number } | undefined {
    const tokens = this.tokens;
    if (tokens.isWord(j)) {
      const text = tokens.text(j);
      // The next line's label is never a target, however unfinished the goto is.
      if (STATEMENT_WORDS.has(text) || this.isStepLabel(j)) return undefined;
      return { target: { text, start: tokens.start(j), end: tokens.end(j), dynamic: false }, next: j + 1 };
    }
    if (!tokens.isPunct(j, '$')) return undefined;
    let k = j + 1;
    let end = tokens.end(j);
    // `$vars.next`: the variable and the path that touches it.
    while (k < tokens.count && tokens.start(k) === end && (tokens.isWord(k) || tokens.isPunct(k, '.'))) {
      end = tokens.end(k);
      k++;
    }
    const start = tokens.start(j);
    return { target: { text: this.text.slice(start, end), start, end, dynamic: true }, next: k };
  }

  /** `name(` where `name` is no keyword and no method (`x.name(`). */
  private isCall(i: number): boolean {
    const tokens = this.tokens;
    if (!tokens.isPunct(i + 1, '(')) return false;
    if (i > 0 && tokens.isPunct(i - 1, '.') && tokens.end(i - 1) === tokens.start(i)) return false;
    return !STATEMENT_WORDS.has(tokens.text(i));
  }

  private closeContainer(): void {
    const open = this.container;
    if (!open) return;
    const end = Math.max(this.lastEnd, open.name.end);
    if (open.kind === 'step') this.steps.push({ name: open.name, start: open.start, end });
    else this.functions.push({ name: open.name, parameters: open.parameters, start: open.start, end });
    this.container = undefined;
  }

  private nameAt(i: number): Name {
    return { text: this.tokens.text(i), start: this.tokens.start(i), end: this.tokens.end(i) };
  }
}

/** `(`, `[`, `{` and their closing brackets, by character code. */
const BRACKETS: Readonly<Record<number, 'open' | 'close' | undefined>> = {
  0x28: 'open',
  0x29: 'close',
  0x5b: 'open',
  0x5d: 'close',
  0x7b: 'open',
  0x7d: 'close',
};
