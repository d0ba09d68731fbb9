/**
 * What part of a bot's map is drawn. dagre's time grows with the nodes it places and with the length of the edges
 * it routes across ranks: 40 flows with 3 gotos each to random flows take 0.3 to 0.9 s on a 2-core machine, 70 such
 * flows 2.3 s, 400 flows 35 s, and a drawing that large is no longer readable. Past a budget, the map draws one flow
 * and the flows it links with, and the list beside it holds the whole bot.
 */
import type { MapGraph } from './botGraph';

/** More flows than this are not drawn at once, however few their links. */
export const OVERVIEW_LIMIT = 300;
/**
 * The most places (nodes, and the bends of edges crossing ranks) laid out at once, for about a second at most:
 * measured, 1,500 places took 0.6 to 0.9 s, 2,100 took 0.6 s, 3,400 took 1.6 to 1.9 s, 4,800 took 2.3 s.
 */
export const LAYOUT_BUDGET = 2_000;

/** Whether the whole overview is too large to lay out at once. */
export function tooLargeToDraw(graph: MapGraph): boolean {
  return graph.nodes.filter((node) => node.kind === 'flow').length > OVERVIEW_LIMIT || layoutCost(graph) > LAYOUT_BUDGET;
}

/**
 * How many places dagre would lay out, estimated in linear time as it ranks: the cycles broken where a depth-first
 * walk meets them, each node ranked below the longest path to it, and each edge bending once per rank it crosses.
 */
export function layoutCost(graph: MapGraph): number {
  const next = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
  for (const edge of graph.edges) if (edge.from !== edge.to) next.get(edge.from)?.push(edge.to);
  // Depth first, without recursion: an edge back to a node still being walked closes a cycle and is left out.
  const walking = new Set<string>();
  const walked = new Set<string>();
  const forward = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
  for (const root of graph.nodes) {
    if (walked.has(root.id)) continue;
    const stack: { id: string; index: number }[] = [{ id: root.id, index: 0 }];
    walking.add(root.id);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const successors = next.get(top.id) ?? [];
      if (top.index >= successors.length) {
        walking.delete(top.id);
        walked.add(top.id);
        stack.pop();
        continue;
      }
      const to = successors[top.index++];
      if (to === undefined || walking.has(to)) continue;
      forward.get(top.id)?.push(to);
      if (!walked.has(to)) {
        walking.add(to);
        stack.push({ id: to, index: 0 });
      }
    }
  }
  // Longest path from the sources, in topological order.
  const waiting = new Map<string, number>(graph.nodes.map((node) => [node.id, 0]));
  for (const targets of forward.values()) for (const to of targets) waiting.set(to, (waiting.get(to) ?? 0) + 1);
  const rank = new Map<string, number>();
  const sources = [...waiting].filter(([, count]) => count === 0).map(([id]) => id);
  const ready = [...sources];
  for (const id of ready) rank.set(id, 0);
  for (let index = 0; index < ready.length; index++) {
    const from = ready[index] ?? '';
    for (const to of forward.get(from) ?? []) {
      rank.set(to, Math.max(rank.get(to) ?? 0, (rank.get(from) ?? 0) + 1));
      const left = (waiting.get(to) ?? 1) - 1;
      waiting.set(to, left);
      if (left === 0) ready.push(to);
    }
  }
  // dagre pulls a flow nothing goes to down beside the first flow it goes to, rather than leave it at the top.
  for (const id of sources) {
    const below = (forward.get(id) ?? []).map((to) => rank.get(to) ?? 0);
    if (below.length > 0) rank.set(id, Math.min(...below) - 1);
  }
  let bends = 0;
  for (const edge of graph.edges) bends += Math.max(0, Math.abs((rank.get(edge.to) ?? 0) - (rank.get(edge.from) ?? 0)) - 1);
  return graph.nodes.length + bends;
}

/** At most this many neighbours are drawn around a flow linked with more (a menu that goes everywhere). */
export const NEIGHBOUR_LIMIT = 100;

export interface DrawnPart {
  readonly graph: MapGraph;
  /** The neighbours left out of the drawing, for the list to hold. */
  readonly notDrawn: number;
}

/**
 * What is drawn around one flow: its neighbours and the links among them; when those are too costly to lay out
 * (a flow linked with every other one), only the flow's own links, with at most NEIGHBOUR_LIMIT neighbours.
 */
export function partAround(graph: MapGraph, id: string): DrawnPart {
  const around = aroundFlow(graph, id);
  if (layoutCost(around) <= LAYOUT_BUDGET) return { graph: around, notDrawn: 0 };
  const neighbours = [...new Set(around.edges.flatMap((edge) => [edge.from, edge.to]))].filter((end) => end !== id);
  const kept = new Set([id, ...neighbours.slice(0, NEIGHBOUR_LIMIT)]);
  return {
    graph: {
      ...around,
      nodes: around.nodes.filter((node) => kept.has(node.id)),
      edges: around.edges.filter((edge) => (edge.from === id || edge.to === id) && kept.has(edge.from) && kept.has(edge.to)),
    },
    notDrawn: Math.max(0, neighbours.length - NEIGHBOUR_LIMIT),
  };
}

/** One flow with the flows it goes to, inserts from, or is gone to from, and the edges among them. */
export function aroundFlow(graph: MapGraph, id: string): MapGraph {
  const keep = new Set([id]);
  for (const edge of graph.edges) {
    if (edge.from === id) keep.add(edge.to);
    if (edge.to === id) keep.add(edge.from);
  }
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => keep.has(node.id)),
    edges: graph.edges.filter((edge) => keep.has(edge.from) && keep.has(edge.to)),
  };
}

/**
 * The flow a map too large to draw whole centres on: the one asked for, else the one the test user is in, else
 * the flow most linked with others, which shows the most of the bot.
 */
export function startingFlow(graph: MapGraph, wanted: readonly (string | undefined)[]): string | undefined {
  const flows = new Set(graph.nodes.filter((node) => node.kind === 'flow').map((node) => node.id));
  for (const id of wanted) if (id !== undefined && flows.has(id)) return id;
  const links = new Map<string, number>();
  for (const edge of graph.edges) for (const end of [edge.from, edge.to]) if (flows.has(end)) links.set(end, (links.get(end) ?? 0) + 1);
  let best: string | undefined;
  for (const [id, count] of links) if (best === undefined || count > (links.get(best) ?? 0)) best = id;
  return best ?? flows.values().next().value;
}
