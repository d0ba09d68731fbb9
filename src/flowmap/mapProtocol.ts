/**
 * What the flow map's page and the extension tell each other. The page lays out and draws what it is sent; the
 * requests it sends name nodes by id, and what a node opens is looked up in the extension's own graph.
 */
import { isJsonObject } from '../studio/schema';
import type { MapGraph } from './botGraph';

export interface MapView {
  readonly level: 'bot' | 'flow';
  /** Which map this is: the same key, the same map redrawn, whose zoom and position are kept. */
  readonly mapKey: string;
  readonly title: string;
  readonly graph: MapGraph;
  /** The pinned test user's node, when their conversation is on this map. */
  readonly here?: string;
  readonly userId?: string;
  /** Whether the map goes with the test user into the flows they go to. */
  readonly following?: boolean;
  /** The nodes the user went through, newest first, as far as this map shows them. */
  readonly trail: readonly string[];
  /** On a bot too large to draw whole, the flow to show first: the one the reader came back from. */
  readonly around?: string;
  /** What the map leaves out, said in a sentence. */
  readonly note?: string;
}

export type MapRequest =
  | { readonly type: 'ready' }
  | { readonly type: 'open'; readonly nodeId: string }
  | { readonly type: 'overview' }
  | { readonly type: 'exportSvg'; readonly svg: string }
  | { readonly type: 'follow'; readonly on: boolean };

/** An exported drawing larger than this is refused: no map of a real bot comes near it. */
export const MAX_EXPORT_CHARACTERS = 20_000_000;

export function readMapRequest(value: unknown): MapRequest | undefined {
  if (!isJsonObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'overview':
      return { type: value.type };
    case 'open':
      return typeof value.nodeId === 'string' && value.nodeId.length <= 2_000 ? { type: 'open', nodeId: value.nodeId } : undefined;
    case 'follow':
      return typeof value.on === 'boolean' ? { type: 'follow', on: value.on } : undefined;
    case 'exportSvg':
      return typeof value.svg === 'string' && value.svg.startsWith('<svg') && value.svg.length <= MAX_EXPORT_CHARACTERS
        ? { type: 'exportSvg', svg: value.svg }
        : undefined;
    default:
      return undefined;
  }
}

/** Where the user is, and was, on this map: a step of the flow shown, or a flow of the overview. */
export function userOnMap(
  view: Pick<MapView, 'level' | 'graph'> & { readonly flow?: string },
  trail: readonly { readonly flowName?: string; readonly stepId: string }[],
): { here?: string; trail: string[] } {
  const ids = new Set(view.graph.nodes.map((node) => node.id));
  const idOf = (place: { readonly flowName?: string; readonly stepId: string }): string | undefined => {
    // Flow names compare as the engine compares them: ASCII case aside.
    const same = (a: string | undefined, b: string | undefined) =>
      a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
    if (view.level === 'flow')
      return same(place.flowName, view.flow) && ids.has(`step:${place.stepId}`) ? `step:${place.stepId}` : undefined;
    return view.graph.nodes.find((node) => node.kind === 'flow' && same(node.label, place.flowName))?.id;
  };
  const path: string[] = [];
  for (const place of trail) {
    const id = idOf(place);
    if (id === undefined) break; // the trail leaves this map here
    if (path.at(-1) !== id) path.push(id);
  }
  const here = trail[0] ? idOf(trail[0]) : undefined;
  return { ...(here !== undefined ? { here } : {}), trail: path };
}

/** The sentence saying what a map leaves out, if anything. */
export function leftOutNote(graph: MapGraph): string | undefined {
  const parts: string[] = [];
  const { dynamic, otherBot } = graph.leftOut;
  if (dynamic) parts.push(`${dynamic === 1 ? '1 goto' : `${dynamic} gotos`} known only at run time (goto $…)`);
  if (otherBot) parts.push(`${otherBot === 1 ? '1 goto' : `${otherBot} gotos`} to another bot`);
  return parts.length ? `Not drawn: ${parts.join(' and ')}.` : undefined;
}
