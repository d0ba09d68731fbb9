/**
 * The flow map's page: lays out the graph it is sent (dagre, in this page, so the extension never loads it) and
 * draws it as SVG built node by node, every label set as text. Pan by dragging, zoom with the wheel or the
 * buttons, fit, search; every node is a button a keyboard reaches; the same graph is listed as text beside it for
 * screen readers. The view (zoom and position) stays as the map is redrawn after an edit.
 */
import type { MapView, MapRequest } from '../../flowmap/mapProtocol';
import { layoutMap, MapLayout, PlacedNode } from '../../flowmap/mapLayout';

interface VsCodeApi {
  postMessage(message: MapRequest): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SVG = 'http://www.w3.org/2000/svg';
const vscode = acquireVsCodeApi();
const post = (request: MapRequest) => vscode.postMessage(request);

const canvas = byId('canvas') as unknown as SVGSVGElement;
const title = byId('title');
const note = byId('note');
const list = byId('list');
const search = byId('search') as HTMLInputElement;
const back = byId('back') as HTMLButtonElement;

/** The part of the drawing on screen: kept across redraws, so an edit does not move the reader. */
let view = { x: 0, y: 0, scale: 1 };
let layout: MapLayout | undefined;
let shownKey = '';
let latest: MapView | undefined;
/** The flow node the keyboard was last on: clicking Focus moves the focus to the button first. */
let lastFlowFocused: string | undefined;
/** On the bot's map, the flow whose neighbours alone are shown. */
let focusId: string | undefined;
const focusButton = byId('focus') as HTMLButtonElement;

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}.`);
  return found;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  return created;
}

function applyView(): void {
  const scene = canvas.querySelector('#scene');
  scene?.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.scale})`);
  vscode.setState({ view, shownKey });
}

function fit(): void {
  if (!layout) return;
  const box = canvas.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return; // not on screen yet: fitted when drawn again
  const scale = Math.min(box.width / Math.max(layout.width, 1), box.height / Math.max(layout.height, 1), 1.5);
  view = { scale, x: (box.width - layout.width * scale) / 2, y: Math.max(8, (box.height - layout.height * scale) / 2) };
  applyView();
}

function zoom(factor: number, around = { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 }): void {
  const scale = Math.min(4, Math.max(0.05, view.scale * factor));
  view = { scale, x: around.x - ((around.x - view.x) * scale) / view.scale, y: around.y - ((around.y - view.y) * scale) / view.scale };
  applyView();
}

/** Brings a node to the middle of the screen. */
function centre(node: PlacedNode): void {
  view = { ...view, x: canvas.clientWidth / 2 - node.x * view.scale, y: canvas.clientHeight / 2 - node.y * view.scale };
  applyView();
}

/** The graph as shown: all of it, or on the bot's map the focused flow with the flows it links to and from. */
function shownGraph(state: MapView): MapView['graph'] {
  if (state.level !== 'bot' || focusId === undefined || !state.graph.nodes.some((node) => node.id === focusId)) return state.graph;
  const keep = new Set([focusId]);
  for (const edge of state.graph.edges) {
    if (edge.from === focusId) keep.add(edge.to);
    if (edge.to === focusId) keep.add(edge.from);
  }
  return {
    ...state.graph,
    nodes: state.graph.nodes.filter((node) => keep.has(node.id)),
    edges: state.graph.edges.filter((edge) => keep.has(edge.from) && keep.has(edge.to)),
  };
}

/** The graph last laid out, to lay out again only when it changed (a move of the user changes only classes). */
let laidOut = '';

function draw(state: MapView): void {
  latest = state;
  if (state.level !== 'bot') focusId = undefined;
  const focusedNode = (document.activeElement as HTMLElement | SVGElement | null)?.dataset?.id;
  focusButton.hidden = state.level !== 'bot';
  focusButton.textContent = focusId === undefined ? 'Focus' : 'Show All';
  focusButton.title = focusId === undefined ? 'Show only the found or selected flow and its neighbours' : 'Show every flow again';
  const graph = shownGraph(state);
  const signature = JSON.stringify(graph);
  if (signature !== laidOut || !layout) {
    layout = layoutMap(graph);
    laidOut = signature;
  }
  title.textContent = state.title;
  note.textContent = state.note ?? '';
  back.hidden = state.level === 'bot';
  const here = state.here;
  const trail = new Set(state.trail);
  const trailEdges = new Set(state.trail.slice(0, -1).map((to, index) => `${state.trail[index + 1]} ${to}`));

  const scene = svg('g', { id: 'scene' });
  const edges = svg('g', { class: 'edges' });
  for (const edge of layout.edges) {
    const [first, ...rest] = edge.points;
    if (!first) continue;
    const path = svg('path', {
      d: `M${first.x},${first.y}${rest.map((point) => ` L${point.x},${point.y}`).join('')}`,
      class: `edge ${edge.kind}${edge.missing ? ' missing' : ''}${trailEdges.has(`${edge.from} ${edge.to}`) ? ' trail' : ''}`,
      'marker-end': 'url(#arrow)',
    });
    edges.append(path);
  }
  const nodes = svg('g', { class: 'nodes' });
  for (const node of layout.nodes) {
    const group = svg('g', {
      class: `node ${node.kind}${node.unreachable ? ' unreachable' : ''}${node.id === here ? ' here' : ''}${trail.has(node.id) ? ' trail' : ''}`,
      transform: `translate(${node.x - node.width / 2} ${node.y - node.height / 2})`,
      tabindex: 0,
      role: 'button',
      'data-id': node.id,
    });
    group.setAttribute('aria-label', describe(node, node.id === here, state.userId));
    group.append(svg('rect', { width: node.width, height: node.height, rx: node.kind === 'flow' ? 6 : 3 }));
    const label = svg('text', { x: node.width / 2, y: node.height / 2 + 4, 'text-anchor': 'middle' });
    label.textContent = node.label.length > 40 ? `${node.label.slice(0, 39)}…` : node.label;
    group.append(label);
    if (node.id === here && state.userId) {
      // Beside the node, where no edge arrives.
      const marker = svg('text', { x: node.width + 6, y: node.height / 2 + 4, 'text-anchor': 'start', class: 'who' });
      marker.textContent = `● ${state.userId}`;
      group.append(marker);
    }
    group.addEventListener('click', () => post({ type: 'open', nodeId: node.id }));
    if (node.kind === 'flow') group.addEventListener('focus', () => (lastFlowFocused = node.id));
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        post({ type: 'open', nodeId: node.id });
      }
    });
    nodes.append(group);
  }
  scene.append(edges, nodes);
  canvas.querySelector('#scene')?.remove();
  canvas.append(scene);
  drawList(state);

  // A new map (another flow, the overview) is fitted; the same map redrawn after an edit keeps its view.
  const key = `${state.mapKey} ${focusId ?? ''}`;
  if (key !== shownKey) {
    shownKey = key;
    fit();
    const hereNode = layout.nodes.find((node) => node.id === here);
    if (hereNode && view.scale < 0.6) {
      view.scale = 0.8;
      centre(hereNode);
    }
  } else applyView();
  highlightSearch(false);
  // The redrawn node takes the keyboard's focus back, so a poll or an edit does not throw a reader out.
  if (focusedNode) canvas.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(focusedNode)}"]`)?.focus();
}

function describe(node: PlacedNode, isHere: boolean, userId: string | undefined): string {
  const what =
    node.kind === 'flow'
      ? `Flow ${node.label}`
      : node.kind === 'step'
        ? `Step ${node.label}`
        : node.kind === 'exit'
          ? `Leaves to ${node.label}`
          : node.kind === 'end'
            ? 'End of the conversation'
            : `Missing: ${node.label}`;
  const problems = [node.unreachable ? 'nothing goes here' : '', node.kind === 'missing' ? 'the conversation would end here' : ''].filter(
    Boolean,
  );
  return [what, ...problems, isHere && userId ? `${userId} is here` : ''].filter(Boolean).join(', ');
}

/** The same graph as a list, for screen readers and for reading without the drawing. */
function drawList(state: MapView): void {
  list.replaceChildren();
  if (!layout) return;
  const labels = new Map(layout.nodes.map((node) => [node.id, node.label]));
  for (const node of layout.nodes) {
    if (node.kind !== 'flow' && node.kind !== 'step') continue;
    const item = document.createElement('li');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'link';
    open.textContent = node.label;
    open.addEventListener('click', () => post({ type: 'open', nodeId: node.id }));
    const goes = layout.edges.filter((edge) => edge.from === node.id).map((edge) => labels.get(edge.to) ?? edge.to);
    const rest = document.createElement('span');
    rest.textContent = `${node.id === state.here && state.userId ? ` (${state.userId} is here)` : ''}${node.unreachable ? ' (nothing goes here)' : ''}${goes.length ? ` → ${goes.join(', ')}` : ''}`;
    item.append(open, rest);
    list.append(item);
  }
}

function highlightSearch(bringIntoView = true): void {
  const wanted = search.value.trim().toLowerCase();
  let first: PlacedNode | undefined;
  for (const group of Array.from(canvas.querySelectorAll<SVGGElement>('g.node'))) {
    const node = layout?.nodes.find((candidate) => candidate.id === group.dataset.id);
    const hit = wanted !== '' && node !== undefined && node.label.toLowerCase().includes(wanted);
    group.classList.toggle('found', hit);
    if (hit && !first) first = node;
  }
  if (first && bringIntoView) centre(first);
}

/** The drawing as a standalone SVG file, with the theme's colours written in. */
function exportSvg(): void {
  if (!layout) return;
  const copy = canvas.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG);
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`);
  copy.querySelector('#scene')?.removeAttribute('transform');
  // Only the drawing leaves: node ids hold the flows' file paths, and the page's controls mean nothing in a file.
  for (const element of [copy, ...Array.from(copy.querySelectorAll('[data-id], [tabindex], [role], [aria-label]'))]) {
    for (const name of ['data-id', 'tabindex', 'role', 'aria-label']) element.removeAttribute(name);
  }
  const style = getComputedStyle(document.body);
  const sheet = document.createElementNS(SVG, 'style');
  sheet.textContent = `text{font:12px sans-serif;fill:${style.color}} rect{fill:${style.backgroundColor};stroke:${style.color}} path{fill:none;stroke:${style.color}} .missing rect,.edge.missing{stroke:#d33}`;
  copy.prepend(sheet);
  post({ type: 'exportSvg', svg: new XMLSerializer().serializeToString(copy) });
}

// Pan by dragging the background.
let drag: { x: number; y: number } | undefined;
canvas.addEventListener('pointerdown', (event) => {
  if ((event.target as Element).closest('g.node')) return;
  drag = { x: event.clientX - view.x, y: event.clientY - view.y };
  canvas.setPointerCapture(event.pointerId);
});
canvas.addEventListener('pointermove', (event) => {
  if (!drag) return;
  view = { ...view, x: event.clientX - drag.x, y: event.clientY - drag.y };
  applyView();
});
canvas.addEventListener('pointerup', () => (drag = undefined));
canvas.addEventListener(
  'wheel',
  (event) => {
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, { x: event.clientX - box.left, y: event.clientY - box.top });
  },
  { passive: false },
);
// Arrows pan and +/- zoom when the drawing has focus.
canvas.addEventListener('keydown', (event) => {
  const step = 40;
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [step, 0],
    ArrowRight: [-step, 0],
    ArrowUp: [0, step],
    ArrowDown: [0, -step],
  };
  const move = moves[event.key];
  if (move && event.target === canvas) {
    view = { ...view, x: view.x + move[0], y: view.y + move[1] };
    applyView();
  } else if (event.key === '+' || event.key === '=') zoom(1.2);
  else if (event.key === '-') zoom(1 / 1.2);
});
byId('zoom-in').addEventListener('click', () => zoom(1.25));
byId('zoom-out').addEventListener('click', () => zoom(1 / 1.25));
byId('fit').addEventListener('click', fit);
byId('export').addEventListener('click', exportSvg);
focusButton.addEventListener('click', () => {
  if (focusId !== undefined) focusId = undefined;
  else {
    // The first flow found, else the one the keyboard was last on.
    const found = canvas.querySelector<SVGGElement>('g.node.flow.found');
    focusId = found?.dataset.id ?? lastFlowFocused;
    if (focusId === undefined) {
      note.textContent = 'Find a flow, or select one with Tab, then Focus shows it with its neighbours.';
      return;
    }
  }
  if (latest) draw(latest);
});
back.addEventListener('click', () => post({ type: 'overview' }));
search.addEventListener('input', () => highlightSearch());

window.addEventListener('message', (event: MessageEvent<{ type?: string; view?: MapView }>) => {
  if (event.data?.type === 'view' && event.data.view) draw(event.data.view);
});

const saved = vscode.getState() as { view?: typeof view; shownKey?: string } | undefined;
if (saved?.view && typeof saved.shownKey === 'string') {
  view = saved.view;
  shownKey = saved.shownKey;
}
post({ type: 'ready' });
