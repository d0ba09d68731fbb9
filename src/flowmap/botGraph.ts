/**
 * The bot as a graph, from the language service's own model, so that the map always agrees with the editor: an
 * overview of the flows and the gotos and inserts between them, and one flow opened up into its steps and gotos,
 * with the flows it leaves to at its border. What a graph cannot show is counted and said: gotos known only at run
 * time (`goto $x`) and gotos to another bot.
 */
import type { BotModel, FlowEntry, InsertedStep } from '../csml/botModel';
import { insertedRun, insertRuns } from '../csml/insertedRuns';
import { reachedSteps } from '../csml/checks';
import type { Goto } from '../csml/flowModel';
import type { Span } from '../csml/tokens';

export type NodeKind = 'flow' | 'step' | 'exit' | 'end' | 'missing';

export interface MapNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** The flow it stands for or is in, by name (for steps, exits and flows). */
  readonly flow?: string;
  /** The file a click opens, or (for a flow left to) the flow opened up: two flows may share a name. */
  readonly flowKey?: string;
  readonly step?: string;
  /** Where a step's label or a flow's first character is, in the file of `flowKey` (UTF-16 offset). */
  readonly offset?: number;
  /** Nothing in the bot goes to this step (`start` aside), as the editor's faded hint says. */
  readonly unreachable?: boolean;
  /** The step is declared more than once: the engine refuses the flow. */
  readonly duplicate?: boolean;
  /** A step brought in by `insert`, from this flow and step (`Shared · receipt`). */
  readonly insertedFrom?: string;
  /** On the overview, a flow's steps: what a search for a step finds. */
  readonly steps?: readonly string[];
}

export interface MapEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'goto' | 'insert';
  /** How many gotos or inserts it stands for. */
  readonly count: number;
  /** A goto to a step or flow the bot lacks: the conversation would end there. */
  readonly missing?: boolean;
}

export interface MapGraph {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  /** Gotos left out of the drawing, and why. */
  readonly leftOut: { readonly dynamic: number; readonly otherBot: number };
}

/** Where a goto leads, as far as the source says. */
type Target =
  | { readonly kind: 'step'; readonly flow: FlowEntry; readonly step: string }
  | { readonly kind: 'end' }
  | { readonly kind: 'missing'; readonly text: string }
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'otherBot' };

/**
 * A step as a conversation in its flow runs it: its own code, or for a step brought in by `insert`, the code of the
 * step it copies, run as a step of this flow (its gotos lead where they would from here).
 */
interface StepCode {
  readonly name: string;
  readonly owner: FlowEntry;
  readonly span: Span;
  readonly inserted?: InsertedStep;
}

/** A flow's steps as they run, and the names declared more than once (which the engine refuses). */
function stepsOf(bot: BotModel, flow: FlowEntry): { steps: StepCode[]; twice: Set<string> } {
  const steps: StepCode[] = [];
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const step of flow.model.steps) {
    const name = step.name.text;
    if (seen.has(name)) twice.add(name);
    seen.add(name);
    steps.push({ name, owner: flow, span: step });
  }
  for (const inserted of bot.stepsInsertedInto(flow)) {
    if (seen.has(inserted.name)) {
      twice.add(inserted.name);
      continue;
    }
    seen.add(inserted.name);
    const declaration = inserted.source.model.steps.find((step) => step.name.text === inserted.sourceStep);
    if (declaration && insertRuns(inserted)) steps.push({ name: inserted.name, owner: inserted.source, span: declaration, inserted });
  }
  return { steps, twice };
}

/** Flows as nodes; gotos (from their steps, inserted ones included) and inserts between flows as edges. */
export function botOverview(bot: BotModel): MapGraph {
  const nodes = new Map<string, MapNode>();
  const edges = new EdgeSet();
  const leftOut = { dynamic: 0, otherBot: 0 };
  const stepsByFlow = new Map([...bot.all()].map((flow) => [flow, stepsOf(bot, flow).steps]));
  for (const [flow, steps] of stepsByFlow) {
    const id = flowId(flow);
    nodes.set(id, {
      id,
      kind: 'flow',
      label: flow.name,
      flow: flow.name,
      flowKey: flow.key,
      offset: 0,
      steps: steps.map((step) => step.name),
    });
  }
  for (const [flow, steps] of stepsByFlow) {
    for (const step of steps) {
      for (const goto of gotosIn(step.owner, step.span)) {
        const target = targetOf(bot, flow, goto);
        if (target.kind === 'dynamic') leftOut.dynamic++;
        else if (target.kind === 'otherBot') leftOut.otherBot++;
        else if (target.kind === 'step' && target.flow !== flow) edges.add(flowId(flow), flowId(target.flow), 'goto');
        else if (target.kind === 'missing' && goto.flow) {
          const id = `missing:${target.text}`;
          nodes.set(id, { id, kind: 'missing', label: target.text });
          edges.add(flowId(flow), id, 'goto', true);
        }
      }
    }
    for (const insert of flow.model.inserts) {
      if (insert.from?.kind !== 'flow') continue;
      for (const source of bot.flowsNamed(insert.from.name.text)) if (source !== flow) edges.add(flowId(flow), flowId(source), 'insert');
    }
  }
  return { nodes: [...nodes.values()], edges: edges.list(), leftOut };
}

/**
 * One flow's steps as nodes and its gotos as edges. Where a step leaves the flow (another flow, `end`, a target the
 * bot lacks), the place it leaves to is drawn beside that step, one per step: shared, it would pull long edges
 * across the whole flow, which a reader cannot follow and the layout takes seconds to untangle.
 */
export function flowDetail(bot: BotModel, flowKey: string): MapGraph | undefined {
  const flow = bot.get(flowKey);
  if (!flow) return undefined;
  const reached = reachedSteps(bot)?.get(flow.key);
  const { steps, twice } = stepsOf(bot, flow);
  const nodes = new Map<string, MapNode>();
  for (const step of steps) {
    const id = stepId(step.name);
    if (nodes.has(id)) continue;
    const unreachable = !step.inserted && reached !== undefined && step.name !== 'start' && !reached.has(step.name);
    nodes.set(id, {
      id,
      kind: 'step',
      label: step.name,
      flow: flow.name,
      // A click opens the code it runs: for an inserted step, in the flow it comes from.
      flowKey: step.owner.key,
      step: step.inserted?.sourceStep ?? step.name,
      offset: step.owner.steps.get(step.inserted?.sourceStep ?? step.name)?.start ?? step.span.start,
      ...(unreachable ? { unreachable } : {}),
      ...(twice.has(step.name) ? { duplicate: true } : {}),
      ...(step.inserted ? { insertedFrom: `${step.inserted.source.name} · ${step.inserted.sourceStep}` } : {}),
    });
  }
  const edges = new EdgeSet();
  const leftOut = { dynamic: 0, otherBot: 0 };
  for (const step of steps) {
    const from = stepId(step.name);
    for (const goto of gotosIn(step.owner, step.span)) {
      const target = targetOf(bot, flow, goto);
      switch (target.kind) {
        case 'dynamic':
          leftOut.dynamic++;
          break;
        case 'otherBot':
          leftOut.otherBot++;
          break;
        case 'end': {
          const id = `end<${from}`;
          nodes.set(id, { id, kind: 'end', label: 'end' });
          edges.add(from, id, 'goto');
          break;
        }
        case 'missing': {
          const id = `missing:${target.text}<${from}`;
          nodes.set(id, { id, kind: 'missing', label: target.text });
          edges.add(from, id, 'goto', true);
          break;
        }
        case 'step': {
          if (target.flow === flow) {
            edges.add(from, stepId(target.step), 'goto');
            break;
          }
          const id = `exit:${target.flow.key}:${target.step}<${from}`;
          nodes.set(id, {
            id,
            kind: 'exit',
            label: `${target.flow.name} · ${target.step}`,
            flow: target.flow.name,
            flowKey: target.flow.key,
            step: target.step,
          });
          edges.add(from, id, 'goto');
          break;
        }
      }
    }
  }
  const drawn = edges.list();
  // A step an inserted step's code goes to is reached, though the editor, reading that code in its own flow,
  // may not know it: the map never draws an arrow into a step it calls unreachable.
  for (const edge of drawn) {
    const target = nodes.get(edge.to);
    if (target?.unreachable) nodes.set(edge.to, { ...target, unreachable: undefined });
  }
  return { nodes: [...nodes.values()], edges: drawn, leftOut };
}

/** The gotos written inside a span of a flow (a step's code); the flow's gotos are in source order. */
function gotosIn(flow: FlowEntry, span: Span): Goto[] {
  const gotos = flow.model.gotos;
  let low = 0;
  let high = gotos.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((gotos[middle]?.start ?? 0) < span.start) low = middle + 1;
    else high = middle;
  }
  const found: Goto[] = [];
  for (let index = low; index < gotos.length; index++) {
    const goto = gotos[index];
    if (!goto || goto.start > span.end) break;
    found.push(goto);
  }
  return found;
}

/**
 * Where a goto leads, resolved as the editor resolves it (the first flow and step that answer to its names), from
 * the flow the conversation is in; a step another flow inserts only where the engine finds it (src/csml/insertedRuns.ts).
 */
function targetOf(bot: BotModel, flow: FlowEntry, goto: Goto): Target {
  if (goto.bot) return { kind: 'otherBot' };
  if (goto.step?.dynamic || goto.flow?.dynamic) return { kind: 'dynamic' };
  const stepName = goto.step?.text;
  if (stepName === 'end') return { kind: 'end' };
  const flows = goto.flow ? bot.gotoFlows(goto.flow.text) : [flow];
  const target = flows[0];
  if (!target) return { kind: 'missing', text: goto.flow?.text ?? '' };
  // `goto flow F` and `goto @F` start the flow at its start; a flow without one is the linter's to report.
  if (stepName === undefined || stepName === '') return { kind: 'step', flow: target, step: 'start' };
  if (target.steps.has(stepName) || insertedRun(bot, flow, target, stepName)?.kind === 'runs')
    return { kind: 'step', flow: target, step: stepName };
  return { kind: 'missing', text: goto.flow ? `${stepName}@${target.name}` : stepName };
}

function flowId(flow: FlowEntry): string {
  return flowNodeId(flow.key);
}

/** A flow's node on the bot's map. */
export function flowNodeId(key: string): string {
  return `flow:${key}`;
}

function stepId(name: string): string {
  return `step:${name}`;
}

class EdgeSet {
  private readonly edges = new Map<string, { from: string; to: string; kind: 'goto' | 'insert'; count: number; missing?: boolean }>();

  add(from: string, to: string, kind: 'goto' | 'insert', missing = false): void {
    const key = `${kind} ${from} ${to}`;
    const known = this.edges.get(key);
    if (known) known.count++;
    else this.edges.set(key, { from, to, kind, count: 1, ...(missing ? { missing } : {}) });
  }

  list(): MapEdge[] {
    return [...this.edges.values()];
  }
}
