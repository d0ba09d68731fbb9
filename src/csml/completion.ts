import type { BotModel, FlowEntry } from './botModel';
import { completionSiteAt, CompletionContext } from './completionContext';
import type { Span } from './tokens';
import { COMPONENTS, ELSE_WORD, STATEMENT_WORDS, StatementWord, TOP_LEVEL_WORDS } from './vocabulary';

/** The places where what follows a space is always a name of the bot. */
const NAME_FOLLOWS: ReadonlySet<CompletionContext['kind']> = new Set([
  'gotoTarget',
  'gotoStep',
  'gotoFlow',
  'insertedStep',
  'importedFunction',
  'sourceFlow',
]);

export type CompletionKind = 'step' | 'flow' | 'function' | 'keyword' | 'component';

/** One thing the editor may offer at the cursor. */
export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** The flow a step or a function belongs to, a component's parameters. */
  readonly detail?: string;
  /** What a keyword does, in one sentence (Markdown). */
  readonly documentation?: string;
  /** What is written when it differs from the label (`ask from Common` after a bare `insert`). */
  readonly insertText?: string;
  /** Orders the list: the bot's names first, then keywords. */
  readonly sortText: string;
  /** The text the completion replaces: the word at the cursor, or nothing. */
  readonly replace: Span;
  readonly deprecated?: boolean;
}

export interface CompletionOptions {
  /** The character whose typing asked for completion, if any. */
  readonly trigger?: string;
}

/**
 * What to offer at `offset` of `text`, the source of `flow` (whose model must be that of `text`) in `bot`:
 * steps after a goto, flows after `goto flow`, `@` and `from`, other flows' steps and functions in inserts
 * and imports, keywords and components where a statement starts. Nothing inside strings and comments.
 */
export function completionsAt(text: string, offset: number, bot: BotModel, flow: FlowEntry, options: CompletionOptions = {}): Completion[] {
  const site = completionSiteAt(text, offset, flow.model);
  if (!site) return [];
  // A space asks only where a name must follow: it also indents lines and ends `say`, and the keywords and
  // components come with the first letter typed.
  if (options.trigger === ' ' && !NAME_FOLLOWS.has(site.context.kind)) return [];
  return new CompletionList(bot, flow, site.replace).for(site.context);
}

class CompletionList {
  private readonly items: Completion[] = [];

  constructor(
    private readonly bot: BotModel,
    private readonly flow: FlowEntry,
    private readonly replace: Span,
  ) {}

  for(context: CompletionContext): Completion[] {
    switch (context.kind) {
      case 'gotoTarget':
        this.ownSteps();
        this.keyword('end', 'Ends the conversation.');
        this.keyword('flow', 'Goes to the start of a flow: `goto flow Name`.');
        this.keyword('step', 'Goes to a step of this flow: `goto step name`.');
        break;
      case 'gotoStep':
        this.ownSteps();
        break;
      case 'gotoFlow':
        this.flows(true);
        break;
      case 'sourceFlow':
        this.flows(false);
        break;
      case 'insertedStep':
        this.otherFlows(context.from, (source) => source.steps.keys(), 'step', !context.braced && !context.from);
        break;
      case 'importedFunction':
        this.otherFlows(context.from, (source) => source.functions.keys(), 'function', !context.braced && !context.from);
        break;
      case 'statement':
        for (const word of STATEMENT_WORDS) {
          if (word.scope !== 'both' && word.scope !== context.scope) continue;
          if (word.inBlockOnly && !context.inBlock) continue;
          this.statement(word);
        }
        if (context.afterBlock) this.statement(ELSE_WORD);
        this.components();
        break;
      case 'topLevel':
        for (const { word, description } of TOP_LEVEL_WORDS) this.keyword(word, description);
        break;
      case 'component':
        this.components();
        break;
    }
    return this.items;
  }

  /** The steps of this flow, and those its inserts bring in under their own name or alias. */
  private ownSteps(): void {
    for (const name of this.flow.steps.keys())
      this.add({ label: name, kind: 'step', detail: this.flow.name, sortText: `0${name}`, replace: this.replace });
    for (const insert of this.flow.model.inserts) {
      if (insert.from?.kind !== 'flow') continue;
      for (const entry of insert.names) {
        const name = (entry.alias ?? entry.name).text;
        if (this.flow.steps.has(name)) continue;
        this.add({ label: name, kind: 'step', detail: insert.from.name.text, sortText: `0${name}`, replace: this.replace });
      }
    }
  }

  /** Each flow name of the bot once; with `self` false, not this flow (which nothing imports from). */
  private flows(self: boolean): void {
    const seen = new Set<string>();
    for (const entry of this.bot.all()) {
      if (seen.has(entry.name) || (!self && entry.name === this.flow.name)) continue;
      seen.add(entry.name);
      this.add({ label: entry.name, kind: 'flow', sortText: `0${entry.name}`, replace: this.replace });
    }
  }

  /**
   * The steps or functions of the flows named `from`, else of every other flow, labelled by flow. `withFrom`
   * writes the `from` a bare insert or import still lacks.
   */
  private otherFlows(
    from: string | undefined,
    namesOf: (source: FlowEntry) => Iterable<string>,
    kind: 'step' | 'function',
    withFrom: boolean,
  ): void {
    const sources = from === undefined ? this.bot.all() : this.bot.flowsNamed(from);
    for (const source of sources) {
      if (from === undefined && source.name === this.flow.name) continue;
      for (const name of namesOf(source)) {
        this.add({
          label: name,
          kind,
          detail: source.name,
          insertText: withFrom ? `${name} from ${source.name}` : undefined,
          sortText: `0${name}`,
          replace: this.replace,
        });
      }
    }
  }

  private statement(word: StatementWord): void {
    this.add({
      label: word.word,
      kind: 'keyword',
      documentation: word.description,
      sortText: `1${word.word}`,
      deprecated: word.deprecated,
      replace: this.replace,
    });
  }

  private components(): void {
    for (const { name, parameters } of COMPONENTS)
      this.add({
        label: name,
        kind: 'component',
        detail: `${name}(${parameters.join(', ')})`,
        sortText: `2${name}`,
        replace: this.replace,
      });
  }

  private keyword(word: string, documentation: string): void {
    this.add({ label: word, kind: 'keyword', documentation, sortText: `1${word}`, replace: this.replace });
  }

  private add(item: Completion): void {
    this.items.push(item);
  }
}
