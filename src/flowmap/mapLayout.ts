/**
 * Where each node and edge of a map goes, laid out by dagre: top to bottom, in the order the gotos lead. Runs
 * wherever it is called (the webview, a benchmark), with nothing of the DOM: node sizes come from label lengths.
 */
import dagre from '@dagrejs/dagre';
import type { MapEdge, MapGraph, MapNode } from './botGraph';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode extends MapNode {
  /** The centre, as dagre gives it. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge extends MapEdge {
  readonly points: readonly Point[];
}

export interface MapLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

const CHARACTER_WIDTH = 7.5;
const NODE_HEIGHT = 30;
const PADDING = 24;
const MAX_LABEL = 40;

export function layoutMap(graph: MapGraph): MapLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 44, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    g.setNode(node.id, { width: PADDING + Math.min(node.label.length, MAX_LABEL) * CHARACTER_WIDTH, height: NODE_HEIGHT });
  }
  graph.edges.forEach((edge, index) => g.setEdge(edge.from, edge.to, {}, String(index)));
  dagre.layout(g);
  // dagre's labels are untyped objects: what layout() writes into them is read back by name.
  const nodes = graph.nodes.map((node) => {
    const placed = g.node(node.id) as { x: number; y: number; width: number; height: number };
    return { ...node, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
  });
  const edges = graph.edges.map((edge, index) => {
    const drawn = g.edge({ v: edge.from, w: edge.to, name: String(index) }) as { points?: Point[] };
    return { ...edge, points: (drawn.points ?? []).map(({ x, y }) => ({ x, y })) };
  });
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
