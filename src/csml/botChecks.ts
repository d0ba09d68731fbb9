import type { BotModel, FlowEntry } from './botModel';
import { hasDynamicGoto, missingTargets, StepsByFlow, stepsReachedFrom, unreachableSteps } from './checks';
import { asciiLower } from './names';
import type { Problem } from './problem';
import { inSlices } from './slices';
import { lintLinks } from './engineLint';
import { checkSource } from './sourceChecks';

/** What the checks know of one flow. */
interface FlowState {
  name: string;
  /** Its steps and functions: when they change, the flows that name this one are checked again. */
  declarations: string;
  /** The problems of its source alone, found once per version of the text. */
  own: Problem[];
  /** Whether the engine's parser accepts it. */
  parses: boolean;
  /** The problems of its gotos, imports and inserts against the rest of the bot. */
  links: Problem[];
  /** The steps its gotos and inserts name, by flow. */
  reaches: StepsByFlow;
  dynamic: boolean;
  /** The flows it names (lower-cased: a goto also finds a flow ignoring case). */
  names: Set<string>;
  /** Whether it imports a function without `from`, which looks through every flow. */
  importsAnywhere: boolean;
  /** The flows it inserts steps from (lower-cased): a goto into this flow may reach their steps. */
  insertsFrom: Set<string>;
  /** What was last published for it; undefined when that is not known, so the next check publishes. */
  published: readonly Problem[] | undefined;
}

/**
 * Every check of one bot, kept up to date flow by flow: after an edit, only the edited flow and the flows whose
 * answers it can change are checked again (those that name it, when its steps or functions changed, and those
 * whose steps it stops or starts reaching). The owner tells it of each flow set or deleted in the bot, then asks
 * for the problems that changed.
 */
export class BotChecks {
  private readonly flows = new Map<string, FlowState>();
  /** Lower-cased flow name → the flows that name it in a goto, an import or an insert. */
  private readonly namedBy = new Map<string, Set<string>>();
  private readonly importingAnywhere = new Set<string>();
  /** Flow key → step name → how many flows reach that step. */
  private readonly reachCount = new Map<string, Map<string, number>>();
  private dynamicFlows = 0;
  /** How many flows the engine's parser refuses. */
  private unparsed = 0;
  /** Flows whose links must be checked again. */
  private readonly stale = new Set<string>();
  /** Flows whose problems may have changed. */
  private readonly touched = new Set<string>();
  private readonly removed = new Set<string>();

  constructor(readonly bot: BotModel) {}

  /** Whether changes wait for `recheck`. */
  get pending(): boolean {
    return this.stale.size > 0 || this.touched.size > 0 || this.removed.size > 0;
  }

  /** How many flows wait to be checked again. */
  get staleCount(): number {
    return this.stale.size;
  }

  /** A flow was set in the bot, new or changed, from `text`. */
  flowSet(entry: FlowEntry, text: string): void {
    const previous = this.flows.get(entry.key);
    const source = checkSource(text, entry.model);
    // A flow that stops or starts parsing changes what the flows naming it may be told about it.
    const declarations = `${declarationsOf(entry)}\n${source.parses}`;
    const names = namesReferredTo(entry);
    const importsAnywhere = entry.model.imports.some((declaration) => !declaration.from);
    const insertsFrom = new Set<string>();
    for (const insert of entry.model.inserts) if (insert.from?.kind === 'flow') insertsFrom.add(asciiLower(insert.from.name.text));
    if (previous) this.unindex(entry.key, previous);
    this.unparsed += (source.parses ? 0 : 1) - (previous && !previous.parses ? 1 : 0);
    if (!previous || previous.declarations !== declarations || previous.name !== entry.name) {
      this.markNamers(entry.name);
      if (previous && previous.name !== entry.name) this.markNamers(previous.name);
    }
    const state: FlowState = {
      name: entry.name,
      declarations,
      own: source.problems,
      parses: source.parses,
      links: previous?.links ?? [],
      reaches: previous?.reaches ?? new Map<string, Set<string>>(),
      dynamic: previous?.dynamic ?? false,
      names,
      importsAnywhere,
      insertsFrom,
      // A flow deleted and set again before a check may still show the problems of its deleted version.
      published: previous?.published ?? (this.removed.has(entry.key) ? undefined : []),
    };
    this.flows.set(entry.key, state);
    for (const name of names) {
      const namers = this.namedBy.get(name);
      if (namers) namers.add(entry.key);
      else this.namedBy.set(name, new Set([entry.key]));
    }
    if (importsAnywhere) this.importingAnywhere.add(entry.key);
    this.removed.delete(entry.key);
    this.stale.add(entry.key);
    this.touched.add(entry.key);
  }

  /** A flow left the bot. */
  flowDeleted(key: string): void {
    const state = this.flows.get(key);
    if (!state) return;
    this.unindex(key, state);
    if (!state.parses) this.unparsed--;
    this.changeReach(state, new Map(), false);
    this.flows.delete(key);
    this.markNamers(state.name);
    this.stale.delete(key);
    this.touched.delete(key);
    this.removed.add(key);
  }

  /** Checks what the changes made stale; the problems of each flow whose problems changed ([] clears them). */
  recheck(): Map<string, readonly Problem[]> {
    const stale = [...this.stale];
    this.stale.clear();
    for (const key of stale) this.relink(key);
    return this.collect([...this.touched]);
  }

  /** `recheck`, giving the event loop its turns: for the first check of a whole bot. */
  async recheckInSlices(): Promise<Map<string, readonly Problem[]>> {
    const stale = [...this.stale];
    this.stale.clear();
    await inSlices(stale, (key) => this.relink(key));
    const changed = new Map<string, readonly Problem[]>();
    const touched = [...this.touched];
    await inSlices(chunks(touched, 16), (keys) => {
      for (const [key, problems] of this.collect(keys)) changed.set(key, problems);
    });
    for (const [key, problems] of this.collect([])) changed.set(key, problems);
    return changed;
  }

  private relink(key: string): void {
    const entry = this.bot.get(key);
    const state = this.flows.get(key);
    if (!entry || !state) return;
    const occurrences = this.bot.gotoAndInsertOccurrences(entry);
    // The engine stops at a syntax error: what follows it is not known for sure, so it is not judged. Its gotos
    // still count as reaching their steps, so that no other flow's step is called unreachable meanwhile.
    state.links = state.parses ? [...missingTargets(this.bot, entry, occurrences), ...this.engineLinks(entry)] : [];
    this.changeReach(state, stepsReachedFrom(this.bot, entry, occurrences), hasDynamicGoto(entry));
    this.touched.add(key);
  }

  /**
   * The engine's linter rules across flows, as far as they can be trusted while the bot is edited: the engine
   * lints only a bot whose every flow parses, so what a flow that does not parse would declare is not known, and
   * an import or insert from it is not called failed.
   */
  private engineLinks(entry: FlowEntry): Problem[] {
    const problems = lintLinks(this.bot, entry, this.bot.defaultFlow);
    if (problems.length === 0) return problems;
    const unknown = (name: string) => this.bot.flowsNamed(name).some((source) => this.flows.get(source.key)?.parses === false);
    return problems.filter((problem) => {
      if (problem.code !== 'import-not-found' && problem.code !== 'insert-not-found') return true;
      const declaration = [...entry.model.imports, ...entry.model.inserts].find(
        (candidate) => candidate.start <= problem.start && problem.start < candidate.end,
      );
      if (!declaration?.from) return this.unparsed === 0;
      return !unknown(declaration.from.name.text);
    });
  }

  /** Records what a flow reaches now; the flows whose steps it stopped or started reaching are touched. */
  private changeReach(state: FlowState, reaches: StepsByFlow, dynamic: boolean): void {
    for (const [flow, names] of state.reaches) {
      const still = reaches.get(flow);
      for (const name of names) if (!still?.has(name)) this.countReach(flow, name, -1);
    }
    for (const [flow, names] of reaches) {
      const before = state.reaches.get(flow);
      for (const name of names) if (!before?.has(name)) this.countReach(flow, name, 1);
    }
    state.reaches = reaches;
    if (dynamic !== state.dynamic) {
      const before = this.dynamicFlows;
      this.dynamicFlows += dynamic ? 1 : -1;
      // The first dynamic goto hides every unreachable hint of the bot; the last one gone shows them again.
      if ((before === 0) !== (this.dynamicFlows === 0)) for (const key of this.flows.keys()) this.touched.add(key);
      state.dynamic = dynamic;
    }
  }

  /** One flow more or less reaches a step; its flow is touched when the step starts or stops being reached. */
  private countReach(flow: string, name: string, change: 1 | -1): void {
    let counts = this.reachCount.get(flow);
    if (!counts) this.reachCount.set(flow, (counts = new Map<string, number>()));
    const count = (counts.get(name) ?? 0) + change;
    if (count > 0) counts.set(name, count);
    else counts.delete(name);
    if (count === 0 || (count === 1 && change === 1)) this.touched.add(flow);
    if (counts.size === 0) this.reachCount.delete(flow);
  }

  private collect(keys: readonly string[]): Map<string, readonly Problem[]> {
    const changed = new Map<string, readonly Problem[]>();
    for (const key of this.removed) changed.set(key, []);
    this.removed.clear();
    for (const key of keys) {
      this.touched.delete(key);
      const entry = this.bot.get(key);
      const state = this.flows.get(key);
      if (!entry || !state) continue;
      const reached = this.reachCount.get(key);
      const hints = this.dynamicFlows > 0 || !state.parses ? [] : unreachableSteps(entry, (name) => reached?.has(name) === true);
      const problems = [...state.own, ...state.links, ...hints];
      if (state.published && sameProblems(problems, state.published)) continue;
      state.published = problems;
      changed.set(key, problems);
    }
    return changed;
  }

  /** The flows that name `name` must be checked again: what they point at appeared, changed or went. */
  private markNamers(name: string): void {
    const lower = asciiLower(name);
    for (const key of this.namedBy.get(lower) ?? []) {
      this.stale.add(key);
      // A flow that inserts this one's steps passes them on to the gotos that name it.
      const namer = this.flows.get(key);
      if (namer?.insertsFrom.has(lower)) for (const next of this.namedBy.get(asciiLower(namer.name)) ?? []) this.stale.add(next);
    }
    for (const key of this.importingAnywhere) this.stale.add(key);
  }

  private unindex(key: string, state: FlowState): void {
    for (const name of state.names) this.namedBy.get(name)?.delete(key);
    this.importingAnywhere.delete(key);
  }
}

/** What a flow offers the others: its steps, the steps its inserts bring in, its functions. */
function declarationsOf(entry: FlowEntry): string {
  const inserted = entry.model.inserts.flatMap((insert) =>
    insert.names.map((name) => `${(name.alias ?? name.name).text}<${name.name.text}@${insert.from?.name.text ?? ''}`),
  );
  return [...entry.steps.keys(), '\n', ...inserted, '\n', ...entry.functions.keys()].join('\n');
}

function namesReferredTo(entry: FlowEntry): Set<string> {
  const names = new Set<string>();
  for (const goto of entry.model.gotos) if (goto.flow && !goto.flow.dynamic) names.add(asciiLower(goto.flow.text));
  for (const declaration of [...entry.model.imports, ...entry.model.inserts]) {
    if (declaration.from?.kind === 'flow') names.add(asciiLower(declaration.from.name.text));
  }
  return names;
}

function sameProblems(a: readonly Problem[], b: readonly Problem[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((problem, i) => {
    const other = b[i];
    return problem.start === other.start && problem.end === other.end && problem.code === other.code && problem.message === other.message;
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
