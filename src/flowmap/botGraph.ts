/**
 * The bot as a graph, from the language service's own model, so that the map always agrees with the editor: an
 * overview of the flows and the gotos and inserts between them, and one flow opened up into its steps and gotos,
 * with the flows it leaves to at its border. What a graph cannot show is counted and said: gotos known only at run
 * time (`goto $x`) and gotos to another bot.
 */
import type { BotModel, FlowEntry } from '../csml/botModel';
import { reachedSteps } from '../csml/checks';
import type { Goto } from '../csml/flowModel';

export type NodeKind = 'flow' | 'step' | 'exit' | 'end' | 'missing';

export interface MapNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** The flow it stands for or is in, by name (for steps, exits and flows). */
  readonly flow?: string;
  readonly step?: string;
  /** Where a step's label or a flow's first character is, in the flow's source (UTF-16 offset). */
  readonly offset?: number;
  /** Nothing in the bot goes to this step (`start` aside), as the editor's faded hint says. */
  readonly unreachable?: boolean;
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

/** Flows as nodes; gotos and inserts between flows as edges. */
export function botOverview(bot: BotModel): MapGraph {
  const nodes: MapNode[] = [];
  const edges = new EdgeSet();
  const leftOut = { dynamic: 0, otherBot: 0 };
  for (const flow of bot.all()) {
    nodes.push({ id: flowId(flow), kind: 'flow', label: flow.name, flow: flow.name, offset: 0 });
    for (const goto of flow.model.gotos) {
      const target = targetOf(bot, flow, goto);
      if (target.kind === 'dynamic') leftOut.dynamic++;
      else if (target.kind === 'otherBot') leftOut.otherBot++;
      else if (target.kind === 'step' && target.flow !== flow) edges.add(flowId(flow), flowId(target.flow), 'goto');
      else if (target.kind === 'missing' && goto.flow) {
        const id = `missing:${target.text}`;
        if (!nodes.some((node) => node.id === id)) nodes.push({ id, kind: 'missing', label: target.text });
        edges.add(flowId(flow), id, 'goto', true);
      }
    }
    for (const insert of flow.model.inserts) {
      if (insert.from?.kind !== 'flow') continue;
      for (const source of bot.flowsNamed(insert.from.name.text)) if (source !== flow) edges.add(flowId(flow), flowId(source), 'insert');
    }
  }
  return { nodes: dedupe(nodes), edges: edges.list(), leftOut };
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
  const nodes = new Map<string, MapNode>();
  for (const step of flow.model.steps) {
    const name = step.name.text;
    if (nodes.has(stepId(name))) continue;
    const unreachable = reached !== undefined && name !== 'start' && !reached.has(name);
    nodes.set(stepId(name), {
      id: stepId(name),
      kind: 'step',
      label: name,
      flow: flow.name,
      step: name,
      offset: step.name.start,
      ...(unreachable ? { unreachable } : {}),
    });
  }
  const edges = new EdgeSet();
  const leftOut = { dynamic: 0, otherBot: 0 };
  const steps = [...flow.model.steps].sort((a, b) => a.start - b.start);
  for (const goto of flow.model.gotos) {
    const source = steps.find((step) => step.start <= goto.start && goto.start <= step.end);
    if (!source) continue; // a goto outside any step (in a function) is an error the editor reports
    const from = stepId(source.name.text);
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
        const id = `exit:${target.flow.name}:${target.step}<${from}`;
        nodes.set(id, { id, kind: 'exit', label: `${target.flow.name} · ${target.step}`, flow: target.flow.name, step: target.step });
        edges.add(from, id, 'goto');
        break;
      }
    }
  }
  return { nodes: [...nodes.values()], edges: edges.list(), leftOut };
}

/** Where a goto leads, resolved as the editor resolves it (the first flow and step that answer to its names). */
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
  const step = stepName;
  if (target.steps.has(step)) return { kind: 'step', flow: target, step };
  // A step brought in by an insert lives in the flow it comes from.
  const occurrence = goto.step ? bot.occurrenceAt(flow.key, goto.step.start) : undefined;
  const inserted = occurrence?.symbols.find((symbol) => symbol.kind === 'step');
  if (inserted?.kind === 'step') return { kind: 'step', flow: inserted.flow, step: inserted.name };
  return { kind: 'missing', text: goto.flow ? `${step}@${target.name}` : step };
}

function flowId(flow: FlowEntry): string {
  return `flow:${flow.key}`;
}

function stepId(name: string): string {
  return `step:${name}`;
}

function dedupe(nodes: MapNode[]): MapNode[] {
  return [...new Map(nodes.map((node) => [node.id, node])).values()];
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
