import { asciiLower } from './names';
import { contains, FlowModel, Goto, ImportDeclaration, InsertDeclaration, Name } from './flowModel';
import { Span, SpanList } from './tokens';

const NONE = new SpanList();

/** One flow of the bot: its file (`key`, e.g. a URI), its name (the file name without `.csml`) and its model. */
export class FlowEntry {
  readonly steps = new Map<string, Span>();
  readonly functions = new Map<string, Span>();

  constructor(
    readonly key: string,
    readonly name: string,
    readonly model: FlowModel,
  ) {
    // The first declaration wins, as a duplicate is an error the engine reports at the later one.
    for (const step of model.steps) if (!this.steps.has(step.name.text)) this.steps.set(step.name.text, step.name);
    for (const fn of model.functions) if (!this.functions.has(fn.name.text)) this.functions.set(fn.name.text, fn.name);
  }
}

/** What a name in the source stands for. */
export type CsmlSymbol =
  | { readonly kind: 'step'; readonly flow: FlowEntry; readonly name: string }
  | { readonly kind: 'function'; readonly flow: FlowEntry; readonly name: string }
  | { readonly kind: 'flow'; readonly flow: FlowEntry };

/** A step a flow brings in with `insert s [as a] from F`: the conversation runs it as a step of the flow it is in. */
export interface InsertedStep {
  /** Its name in the flow that inserts it. */
  readonly name: string;
  /** Where the insert names it. */
  readonly at: Span;
  readonly source: FlowEntry;
  readonly sourceStep: string;
}

/** A place in one of the bot's flows. */
export interface Location {
  readonly key: string;
  readonly span: Span;
}

/** A name at a place, and what it stands for (several flows may answer to one name while the bot is edited). */
export interface Occurrence {
  readonly span: Span;
  readonly symbols: readonly CsmlSymbol[];
  /** Whether this is where the symbol is declared. */
  readonly declaration: boolean;
}

/**
 * The flows of one bot and the references between them. Gotos name flows as the engine switches flows
 * (exact name first, else ASCII case-insensitively); imports and inserts name them exactly. What points at
 * another bot (`goto … in B`), at a module (`from modules/M`) or is known only at run time (`$x`) resolves to
 * nothing.
 */
export class BotModel {
  /** The flow a conversation starts in, when the bot's `bot.json` names it: it alone may lack a `start` step. */
  defaultFlow: string | undefined;
  private readonly flows = new Map<string, FlowEntry>();
  private byName: Map<string, FlowEntry[]> | undefined;
  private byLowerName: Map<string, FlowEntry[]> | undefined;
  /** The flows that declare each function: what `import f` without `from` looks through. */
  private byFunction: Map<string, FlowEntry[]> | undefined;

  set(key: string, name: string, model: FlowModel): FlowEntry {
    // Strings, comments and blocks matter to one open editor, not to the bot: a bot of a thousand flows
    // keeps less, and its garbage collections stay short.
    const entry = new FlowEntry(key, name, { ...model, strings: NONE, comments: NONE, blocks: NONE });
    const previous = this.flows.get(key);
    this.flows.set(key, entry);
    if (previous) this.reindex(previous, entry);
    else this.index(entry);
    return entry;
  }

  delete(key: string): void {
    const previous = this.flows.get(key);
    if (!previous) return;
    this.flows.delete(key);
    this.unindex(previous);
  }

  /** The indices, once built, follow each flow set or deleted: an edit does not rebuild them for the whole bot. */
  private index(entry: FlowEntry): void {
    if (this.byName) addTo(this.byName, entry.name, entry);
    if (this.byLowerName) addTo(this.byLowerName, asciiLower(entry.name), entry);
    if (this.byFunction) for (const name of entry.functions.keys()) addTo(this.byFunction, name, entry);
  }

  /** A flow edited in place keeps its place in each group, so flows named alike keep their order. */
  private reindex(previous: FlowEntry, entry: FlowEntry): void {
    if (previous.name !== entry.name) {
      this.unindex(previous);
      this.index(entry);
      return;
    }
    if (this.byName) replaceIn(this.byName, entry.name, previous, entry);
    if (this.byLowerName) replaceIn(this.byLowerName, asciiLower(entry.name), previous, entry);
    const byFunction = this.byFunction;
    if (!byFunction) return;
    for (const name of previous.functions.keys()) {
      if (entry.functions.has(name)) replaceIn(byFunction, name, previous, entry);
      else removeFrom(byFunction, name, previous);
    }
    for (const name of entry.functions.keys()) if (!previous.functions.has(name)) addTo(byFunction, name, entry);
  }

  private unindex(entry: FlowEntry): void {
    if (this.byName) removeFrom(this.byName, entry.name, entry);
    if (this.byLowerName) removeFrom(this.byLowerName, asciiLower(entry.name), entry);
    if (this.byFunction) for (const name of entry.functions.keys()) removeFrom(this.byFunction, name, entry);
  }

  get(key: string): FlowEntry | undefined {
    return this.flows.get(key);
  }

  all(): IterableIterator<FlowEntry> {
    return this.flows.values();
  }

  get size(): number {
    return this.flows.size;
  }

  /** Flows named exactly `name`. */
  flowsNamed(name: string): readonly FlowEntry[] {
    this.byName ??= groupBy(this.flows.values(), (entry) => entry.name);
    return this.byName.get(name) ?? [];
  }

  /** The flows that declare function `name`: where `import name` without `from` finds it. */
  flowsDeclaring(name: string): readonly FlowEntry[] {
    this.byFunction ??= groupByFunction(this.flows.values());
    return this.byFunction.get(name) ?? [];
  }

  /** The flows a goto's flow part points at: by exact name, else ASCII case-insensitively. */
  gotoFlows(name: string): readonly FlowEntry[] {
    const exact = this.flowsNamed(name);
    if (exact.length > 0) return exact;
    this.byLowerName ??= groupBy(this.flows.values(), (entry) => asciiLower(entry.name));
    return this.byLowerName.get(asciiLower(name)) ?? [];
  }

  /** The name at `offset` in a flow and what it stands for; undefined where nothing is named. */
  occurrenceAt(key: string, offset: number): Occurrence | undefined {
    const flow = this.flows.get(key);
    return flow ? this.occurrences(flow).find((occurrence) => contains(occurrence.span, offset)) : undefined;
  }

  /** Where each symbol is declared: a step's or function's name, a flow's first character. */
  declarations(symbols: readonly CsmlSymbol[]): Location[] {
    return symbols.map((symbol) => ({ key: symbol.flow.key, span: declarationSpan(symbol) }));
  }

  /** The places in one flow that name `symbol` (its declaration included), in source order. */
  referencesIn(key: string, symbol: CsmlSymbol): Span[] {
    const flow = this.flows.get(key);
    if (!flow) return [];
    const spans = this.occurrences(flow)
      .filter((occurrence) => occurrence.symbols.some((candidate) => sameSymbol(candidate, symbol)))
      .map((occurrence) => occurrence.span);
    if (symbol.kind === 'flow' && symbol.flow === flow) spans.push(declarationSpan(symbol));
    return spans.sort((a, b) => a.start - b.start);
  }

  /** Every place that names `symbol`, in every flow of the bot; with the declaration when asked for (a flow's first). */
  references(symbol: CsmlSymbol, includeDeclaration: boolean): Location[] {
    const found: Location[] = [];
    for (const flow of this.flows.values()) {
      const inFlow: Location[] = [];
      for (const occurrence of this.occurrences(flow)) {
        if (occurrence.declaration && (!includeDeclaration || symbol.kind === 'flow')) continue;
        if (occurrence.symbols.some((candidate) => sameSymbol(candidate, symbol))) inFlow.push({ key: flow.key, span: occurrence.span });
      }
      found.push(...inFlow.sort((a, b) => a.span.start - b.span.start));
    }
    if (includeDeclaration && symbol.kind === 'flow') found.unshift({ key: symbol.flow.key, span: declarationSpan(symbol) });
    return found;
  }

  /** The names of a flow's gotos and inserts that stand for a step or a flow: what the checks of gotos read. */
  gotoAndInsertOccurrences(flow: FlowEntry): Occurrence[] {
    const found: Occurrence[] = [];
    for (const goto of flow.model.gotos) this.gotoOccurrences(flow, goto, found);
    for (const declaration of flow.model.inserts) this.insertOccurrences(declaration, found);
    return found;
  }

  /** Every name of a flow that stands for something, in no particular order. */
  occurrences(flow: FlowEntry): Occurrence[] {
    const found: Occurrence[] = [];
    const model = flow.model;
    for (const step of model.steps)
      found.push({ span: step.name, symbols: [{ kind: 'step', flow, name: step.name.text }], declaration: true });
    for (const fn of model.functions)
      found.push({ span: fn.name, symbols: [{ kind: 'function', flow, name: fn.name.text }], declaration: true });
    for (const goto of model.gotos) this.gotoOccurrences(flow, goto, found);
    for (const declaration of model.imports) this.importOccurrences(declaration, found);
    for (const declaration of model.inserts) this.insertOccurrences(declaration, found);
    for (const call of model.calls) {
      const symbols = this.callTargets(flow, call.text);
      if (symbols.length > 0) found.push({ span: call, symbols, declaration: false });
    }
    return found;
  }

  private gotoOccurrences(flow: FlowEntry, goto: Goto, found: Occurrence[]): void {
    if (goto.bot) return; // another bot
    const flowPart = goto.flow;
    if (flowPart?.dynamic) return;
    const targets = flowPart ? this.gotoFlows(flowPart.text) : [flow];
    if (flowPart && targets.length > 0) {
      found.push({ span: flowPart, symbols: targets.map((target) => ({ kind: 'flow', flow: target })), declaration: false });
    }
    const step = goto.step;
    if (!step || step.dynamic || step.text === 'end') return;
    const symbols: CsmlSymbol[] = [];
    for (const target of targets) {
      if (target.steps.has(step.text)) symbols.push({ kind: 'step', flow: target, name: step.text });
      // The engine looks for a step it does not find among the flow's inserts, in this flow or the one gone to.
      else symbols.push(...this.insertedSteps(target, step.text));
    }
    if (symbols.length > 0) found.push({ span: step, symbols, declaration: false });
  }

  /** The steps a flow's inserts bring in under `name`. */
  private insertedSteps(flow: FlowEntry, name: string): CsmlSymbol[] {
    return this.stepsInsertedInto(flow)
      .filter((inserted) => inserted.name === name)
      .map((inserted) => ({ kind: 'step', flow: inserted.source, name: inserted.sourceStep }));
  }

  /**
   * The steps a flow's inserts bring in, each under the name the flow knows it by (its alias, else its own), with
   * the flow it comes from. An insert whose flow or step the bot lacks brings in nothing.
   */
  stepsInsertedInto(flow: FlowEntry): InsertedStep[] {
    const inserted: InsertedStep[] = [];
    for (const insert of flow.model.inserts) {
      if (insert.from?.kind !== 'flow') continue;
      const sources = this.flowsNamed(insert.from.name.text);
      for (const entry of insert.names) {
        const at = entry.alias ?? entry.name;
        for (const source of sources)
          if (source.steps.has(entry.name.text)) inserted.push({ name: at.text, at, source, sourceStep: entry.name.text });
      }
    }
    return inserted;
  }

  private importOccurrences(declaration: ImportDeclaration, found: Occurrence[]): void {
    if (declaration.from?.kind === 'module') return;
    const from = declaration.from;
    const sources = from ? this.flowsNamed(from.name.text) : undefined;
    if (from && sources && sources.length > 0)
      found.push({ span: from.name, symbols: sources.map((source) => ({ kind: 'flow', flow: source })), declaration: false });
    for (const entry of declaration.names) {
      const symbols = this.functionsIn(sources, entry.name.text);
      if (symbols.length === 0) continue;
      for (const name of named(entry.name, entry.alias)) found.push({ span: name, symbols, declaration: false });
    }
  }

  private insertOccurrences(declaration: InsertDeclaration, found: Occurrence[]): void {
    if (declaration.from?.kind !== 'flow') return;
    const sources = this.flowsNamed(declaration.from.name.text);
    if (sources.length === 0) return;
    found.push({
      span: declaration.from.name,
      symbols: sources.map((source) => ({ kind: 'flow', flow: source })),
      declaration: false,
    });
    for (const entry of declaration.names) {
      const symbols: CsmlSymbol[] = sources
        .filter((source) => source.steps.has(entry.name.text))
        .map((source) => ({ kind: 'step', flow: source, name: entry.name.text }));
      if (symbols.length === 0) continue;
      for (const name of named(entry.name, entry.alias)) found.push({ span: name, symbols, declaration: false });
    }
  }

  /** A call's function: declared in the flow, else brought in by one of its imports; a built-in otherwise. */
  private callTargets(flow: FlowEntry, name: string): CsmlSymbol[] {
    if (flow.functions.has(name)) return [{ kind: 'function', flow, name }];
    for (const declaration of flow.model.imports) {
      if (declaration.from?.kind === 'module') continue;
      const entry = declaration.names.find((candidate) => (candidate.alias ?? candidate.name).text === name);
      if (!entry) continue;
      return this.functionsIn(declaration.from ? this.flowsNamed(declaration.from.name.text) : undefined, entry.name.text);
    }
    return [];
  }

  /** Function `name` in `sources`, or, with no sources named (`import f` without `from`), in any flow of the bot. */
  private functionsIn(sources: readonly FlowEntry[] | undefined, name: string): CsmlSymbol[] {
    this.byFunction ??= groupByFunction(this.flows.values());
    const declaring = sources ? sources.filter((source) => source.functions.has(name)) : (this.byFunction.get(name) ?? []);
    return declaring.map((source) => ({ kind: 'function', flow: source, name }));
  }
}

function declarationSpan(symbol: CsmlSymbol): Span {
  if (symbol.kind === 'flow') return { start: 0, end: 0 };
  return (symbol.kind === 'step' ? symbol.flow.steps : symbol.flow.functions).get(symbol.name) ?? { start: 0, end: 0 };
}

export function sameSymbol(a: CsmlSymbol, b: CsmlSymbol): boolean {
  if (a.kind !== b.kind || a.flow.key !== b.flow.key) return false;
  return a.kind === 'flow' || a.name === (b as { name: string }).name;
}

function named(name: Name, alias: Name | undefined): Name[] {
  return alias ? [name, alias] : [name];
}

function addTo(groups: Map<string, FlowEntry[]>, key: string, entry: FlowEntry): void {
  const group = groups.get(key);
  if (group) group.push(entry);
  else groups.set(key, [entry]);
}

function replaceIn(groups: Map<string, FlowEntry[]>, key: string, previous: FlowEntry, entry: FlowEntry): void {
  const group = groups.get(key);
  const at = group ? group.indexOf(previous) : -1;
  if (group && at >= 0) group[at] = entry;
  else addTo(groups, key, entry);
}

function removeFrom(groups: Map<string, FlowEntry[]>, key: string, entry: FlowEntry): void {
  const group = groups.get(key);
  if (!group) return;
  const rest = group.filter((candidate) => candidate !== entry);
  if (rest.length > 0) groups.set(key, rest);
  else groups.delete(key);
}

function groupBy(entries: Iterable<FlowEntry>, keyOf: (entry: FlowEntry) => string): Map<string, FlowEntry[]> {
  const groups = new Map<string, FlowEntry[]>();
  for (const entry of entries) addTo(groups, keyOf(entry), entry);
  return groups;
}

function groupByFunction(entries: Iterable<FlowEntry>): Map<string, FlowEntry[]> {
  const groups = new Map<string, FlowEntry[]>();
  for (const entry of entries) for (const name of entry.functions.keys()) addTo(groups, name, entry);
  return groups;
}
