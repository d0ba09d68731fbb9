import type { BotModel, CsmlSymbol, FlowEntry } from './botModel';
import type { ImportedName, Name } from './flowModel';
import { whyNotAFunctionName, whyNotAStepName } from './nameRules';
import type { Span } from './tokens';

/** A step or a function: what can be renamed. */
export type RenamableSymbol = CsmlSymbol & { readonly kind: 'step' | 'function' };

/** The name under the cursor and what a rename there would rename. */
export interface RenameTarget {
  readonly span: Span;
  readonly symbol: RenamableSymbol;
}

/** The spans to replace with the new name, per flow key, each flow's in source order. */
export interface RenamePlan {
  readonly symbol: RenamableSymbol;
  readonly newName: string;
  readonly edits: ReadonlyMap<string, readonly Span[]>;
}

/** Why nothing is renamed, in one sentence for the user. */
export interface RenameRefusal {
  readonly refusal: string;
}

export function isRefusal(answer: RenameTarget | RenamePlan | RenameRefusal): answer is RenameRefusal {
  return 'refusal' in answer;
}

/** What a rename at `offset` of flow `key` would rename, or why it cannot (for prepareRename). */
export function renameTargetAt(bot: BotModel, key: string, offset: number): RenameTarget | RenameRefusal {
  const flow = bot.get(key);
  const occurrence = bot.occurrenceAt(key, offset);
  if (!flow || !occurrence) return refuse('Only steps and functions can be renamed: put the cursor on the name of one.');
  const [symbol] = occurrence.symbols;
  if (symbol.kind === 'flow') return refuse('A flow takes its name from its file: rename the file to rename the flow.');
  if (occurrence.symbols.length > 1) {
    return refuse(`This name stands for ${occurrence.symbols.length} ${symbol.kind}s of different flows: rename one where it is declared.`);
  }
  if (symbol.kind === 'step' && symbol.name === 'start') {
    return refuse(`The start step is where every conversation of flow ${symbol.flow.name} begins: it keeps its name.`);
  }
  const renaming = new Renaming(bot, symbol, undefined);
  const spans = renaming.spansIn(flow);
  if (renaming.refusal) return refuse(renaming.refusal);
  if (!spans.some((span) => span.start === occurrence.span.start)) {
    const declared = symbol.kind === 'step' ? 'at its label' : 'at its fn line';
    return refuse(
      `This is an alias of ${symbol.kind} ${symbol.name} of flow ${symbol.flow.name}: rename the ${symbol.kind} ${declared}, or change the alias by hand.`,
    );
  }
  return { span: occurrence.span, symbol };
}

/**
 * Plans renaming the step or function named at `offset` of flow `key` to `newName`: its declaration and every
 * name in the bot that stands for it, but not an alias an insert or an import gives it, nor what uses the alias.
 * Refuses a name the engine would not read as one, or one that would change what another name stands for.
 */
export function renameAt(bot: BotModel, key: string, offset: number, newName: string): RenamePlan | RenameRefusal {
  const target = renameTargetAt(bot, key, offset);
  if (isRefusal(target)) return target;
  const { symbol } = target;
  if (newName === symbol.name) return { symbol, newName, edits: new Map() };
  const invalid = symbol.kind === 'step' ? whyNotAStepName(newName) : whyNotAFunctionName(newName);
  if (invalid) return refuse(invalid);
  const renaming = new Renaming(bot, symbol, newName);
  const edits = new Map<string, Span[]>();
  for (const flow of bot.all()) {
    const spans = renaming.spansIn(flow);
    if (renaming.refusal) return refuse(renaming.refusal);
    if (spans.length > 0) edits.set(flow.key, spans.sort(byStart));
  }
  return { symbol, newName, edits };
}

const byStart = (a: Span, b: Span) => a.start - b.start;

function refuse(refusal: string): RenameRefusal {
  return { refusal };
}

/**
 * Finds, one flow at a time, the names that stand for one step or function, resolving them as the bot model
 * does, and notes the first reason to refuse: a name that stands for more than one thing, or, with a new
 * name, a clash in a flow that declares or brings in the symbol, or a goto or call the new name would capture.
 */
class Renaming {
  refusal: string | undefined;
  private declaring: FlowEntry[] | undefined;
  private readonly inserted = new Map<FlowEntry, Map<string, { entry: ImportedName; from: string }[]>>();

  constructor(
    private readonly bot: BotModel,
    private readonly symbol: RenamableSymbol,
    private readonly newName: string | undefined,
  ) {}

  spansIn(flow: FlowEntry): Span[] {
    return this.symbol.kind === 'step' ? this.stepSpansIn(flow) : this.functionSpansIn(flow);
  }

  private stepSpansIn(flow: FlowEntry): Span[] {
    const { flow: owner, name } = this.symbol;
    const newName = this.newName;
    const spans: Span[] = [];
    if (flow === owner) {
      for (const step of flow.model.steps) if (step.name.text === name) spans.push(step.name);
      if (newName !== undefined) this.stepClash(flow, newName, `Flow ${flow.name} already has a step ${newName}: choose another name.`);
    }
    let broughtIn = false;
    for (const insert of flow.model.inserts) {
      if (insert.from?.kind !== 'flow') continue;
      const sources = this.bot.flowsNamed(insert.from.name.text);
      if (!sources.includes(owner)) continue;
      for (const entry of insert.names) {
        if (entry.name.text !== name) continue;
        if (sources.filter((source) => source.steps.has(name)).length > 1) {
          this.refuse(
            `The insert of ${name} in flow ${flow.name} could take it from more than one flow named ${owner.name}: give those flows distinct names first.`,
          );
        }
        spans.push(entry.name);
        broughtIn ||= entry.alias === undefined;
      }
    }
    if (broughtIn && newName !== undefined) {
      this.stepClash(flow, newName, `Flow ${flow.name} inserts ${name} and already has a step ${newName}: choose another name.`);
    }
    for (const goto of flow.model.gotos) {
      const step = goto.step;
      if (goto.bot || goto.flow?.dynamic || !step || step.dynamic || (step.text !== name && step.text !== newName)) continue;
      const targets = goto.flow ? this.bot.gotoFlows(goto.flow.text) : [flow];
      const found = this.stepsReached(targets, step.text);
      if (step.text === name) {
        if (!found.some((reached) => reached.flow === owner && reached.name === name && !reached.aliased)) continue;
        if (found.length > 1)
          this.refuse(`A goto ${name} in flow ${flow.name} could lead to more than one step: make it lead to one first.`);
        spans.push(step);
      } else if (found.length === 0 && targets.some((target) => target === owner || this.insertsUnaliased(target))) {
        this.refuse(
          `A goto ${newName} in flow ${flow.name} leads nowhere today and would lead to this step after the rename: choose another name, or fix that goto first.`,
        );
      }
    }
    return spans;
  }

  /** Refuses when `flow` has a step `newName` of its own or brings one in by an insert that stays as it is. */
  private stepClash(flow: FlowEntry, newName: string, message: string): void {
    if (flow.steps.has(newName)) this.refuse(message);
    for (const insert of flow.model.inserts) {
      for (const entry of insert.names) {
        if ((entry.alias ?? entry.name).text === newName) {
          this.refuse(`Flow ${flow.name} already brings in a step ${newName} with an insert: choose another name.`);
        }
      }
    }
  }

  /** Whether `flow` inserts the step without an alias, and so will have it under the new name. */
  private insertsUnaliased(flow: FlowEntry): boolean {
    const { flow: owner, name } = this.symbol;
    return (this.insertedNames(flow).get(name) ?? []).some(
      ({ entry, from }) => entry.alias === undefined && this.bot.flowsNamed(from).includes(owner),
    );
  }

  /**
   * The steps a goto to `name` in one of `targets` leads to, and whether through an insert's alias. A target
   * without a step of that name is searched for an insert of it, as the engine does when it enters a flow: so
   * `goto s@F` leads to the step that F inserts as `s`, which the references of the bot model leave out.
   */
  private stepsReached(targets: readonly FlowEntry[], name: string) {
    const reached: { flow: FlowEntry; name: string; aliased: boolean }[] = [];
    for (const target of targets) {
      if (target.steps.has(name)) {
        reached.push({ flow: target, name, aliased: false });
        continue;
      }
      for (const { entry, from } of this.insertedNames(target).get(name) ?? []) {
        for (const source of this.bot.flowsNamed(from)) {
          if (source.steps.has(entry.name.text)) reached.push({ flow: source, name: entry.name.text, aliased: entry.alias !== undefined });
        }
      }
    }
    return reached;
  }

  /** A flow's inserts by the name each gives its step, made once per flow: a flow may hold many gotos and inserts. */
  private insertedNames(flow: FlowEntry): Map<string, { entry: ImportedName; from: string }[]> {
    let names = this.inserted.get(flow);
    if (names) return names;
    names = new Map();
    for (const insert of flow.model.inserts) {
      if (insert.from?.kind !== 'flow') continue;
      for (const entry of insert.names) {
        const given = (entry.alias ?? entry.name).text;
        const list = names.get(given);
        if (list) list.push({ entry, from: insert.from.name.text });
        else names.set(given, [{ entry, from: insert.from.name.text }]);
      }
    }
    this.inserted.set(flow, names);
    return names;
  }

  private functionSpansIn(flow: FlowEntry): Span[] {
    const { flow: owner, name } = this.symbol;
    const newName = this.newName;
    const spans: Span[] = [];
    let callsRenamed = false;
    if (flow === owner) {
      for (const fn of flow.model.functions) if (fn.name.text === name) spans.push(fn.name);
      callsRenamed = true;
      if (newName !== undefined && flow.functions.has(newName))
        this.refuse(`Flow ${flow.name} already has a function ${newName}: choose another name.`);
    }
    let broughtIn = false;
    for (const declaration of flow.model.imports) {
      if (declaration.from?.kind === 'module') continue;
      const from = declaration.from;
      for (const entry of declaration.names) {
        if (entry.name.text !== name) continue;
        const declaring = from ? this.bot.flowsNamed(from.name.text).filter((source) => source.functions.has(name)) : this.flowsDeclaring();
        if (!declaring.includes(owner)) continue;
        if (declaring.length > 1) {
          this.refuse(
            from
              ? `The import of ${name} in flow ${flow.name} could take it from more than one flow named ${from.name.text}: give those flows distinct names first.`
              : `The import of ${name} in flow ${flow.name} could take it from more than one flow: add "from" and the flow's name to it first.`,
          );
        }
        spans.push(entry.name);
        if (entry.alias === undefined) {
          broughtIn = true;
          // A call reaches the flow's own function first, else the first import that names it.
          callsRenamed ||= !flow.functions.has(name) && this.firstImportOf(flow, name) === entry.name;
        }
      }
    }
    if (callsRenamed) for (const call of flow.model.calls) if (call.text === name) spans.push(call);
    if (newName !== undefined && (flow === owner || broughtIn)) this.functionClash(flow, newName);
    return spans;
  }

  /** Refuses when `newName` already means something in `flow`, or when calls of it there would change target. */
  private functionClash(flow: FlowEntry, newName: string): void {
    const { flow: owner, name } = this.symbol;
    if (flow !== owner && flow.functions.has(newName)) {
      this.refuse(`Flow ${flow.name} imports ${name} and already has a function ${newName}: choose another name.`);
    }
    for (const declaration of flow.model.imports) {
      for (const entry of declaration.names) {
        if ((entry.alias ?? entry.name).text === newName) {
          this.refuse(`Flow ${flow.name} already imports a function ${newName}: choose another name.`);
        }
      }
    }
    if (!flow.functions.has(newName) && flow.model.calls.some((call) => call.text === newName)) {
      this.refuse(`Flow ${flow.name} already calls ${newName}(…), which would reach this function after the rename: choose another name.`);
    }
  }

  /** The name of the first import entry of `flow` that gives a function the name `name`. */
  private firstImportOf(flow: FlowEntry, name: string): Name | undefined {
    for (const declaration of flow.model.imports) {
      if (declaration.from?.kind === 'module') continue;
      const entry = declaration.names.find((candidate) => (candidate.alias ?? candidate.name).text === name);
      if (entry) return entry.name;
    }
    return undefined;
  }

  /** The flows that declare the function: where `import f` without `from` looks. */
  private flowsDeclaring(): FlowEntry[] {
    this.declaring ??= [...this.bot.all()].filter((flow) => flow.functions.has(this.symbol.name));
    return this.declaring;
  }

  /** Keeps the first reason found. */
  private refuse(message: string): void {
    this.refusal ??= message;
  }
}
