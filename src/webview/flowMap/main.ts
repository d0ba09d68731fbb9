/**
 * The flow map's page: lays out the graph it is sent (dagre, in this page, so the extension never loads it) and
 * draws it as SVG built node by node, every label set as text. Pan by dragging, zoom with the wheel or the
 * buttons, fit, search. The drawing is one stop for the Tab key: arrows move from node to node, Enter opens one.
 * The same graph is listed as text before it, for screen readers. The view (zoom and position) stays as the map
 * is redrawn after an edit.
 */
import type { MapGraph, MapNode } from '../../flowmap/botGraph';
import { partAround, startingFlow, tooLargeToDraw } from '../../flowmap/mapFocus';
import { layoutMap, MapLayout, PlacedNode } from '../../flowmap/mapLayout';
import { Direction, nextNode } from '../../flowmap/mapNavigation';
import type { MapRequest, MapView } from '../../flowmap/mapProtocol';

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
const found = byId('found');
const search = byId('search') as HTMLInputElement;
const back = byId('back') as HTMLButtonElement;
const focusButton = byId('focus') as HTMLButtonElement;
const followButton = byId('follow') as HTMLButtonElement;
const asList = list.closest('details');

/** The part of the drawing on screen: kept across redraws, so an edit does not move the reader. */
let view = { x: 0, y: 0, scale: 1 };
let layout: MapLayout | undefined;
let shownKey = '';
let latest: MapView | undefined;
/** The node the Tab key comes back to: the one last reached by keyboard or click. */
let activeId: string | undefined;
/** On the bot's map, the flow whose neighbours alone are shown. */
let focusId: string | undefined;
/** Where the test user was at the last drawing: when they move off screen, the view follows. */
let lastHere: string | undefined;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  return created;
}

function scene(): SVGGElement | null {
  return canvas.querySelector<SVGGElement>('#scene');
}

function applyView(): void {
  scene()?.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.scale})`);
  vscode.setState({ view, shownKey });
}

/** What is drawn, in the drawing's units: the layout and the test user's name beside their node. */
function drawnBox(): { x: number; y: number; width: number; height: number } {
  const box = scene()?.getBBox();
  return box && box.width > 0 ? box : { x: 0, y: 0, width: layout?.width ?? 0, height: layout?.height ?? 0 };
}

function fit(): void {
  const screen = canvas.getBoundingClientRect();
  if (!layout || screen.width === 0 || screen.height === 0) return; // not on screen yet: fitted when drawn again
  const box = drawnBox();
  const margin = 12;
  const scale = Math.min((screen.width - 2 * margin) / Math.max(box.width, 1), (screen.height - 2 * margin) / Math.max(box.height, 1), 1.5);
  view = {
    scale,
    x: (screen.width - box.width * scale) / 2 - box.x * scale,
    y: Math.max(margin, (screen.height - box.height * scale) / 2) - box.y * scale,
  };
  applyView();
}

function zoom(factor: number, around = { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 }): void {
  const scale = Math.min(4, Math.max(0.05, view.scale * factor));
  view = { scale, x: around.x - ((around.x - view.x) * scale) / view.scale, y: around.y - ((around.y - view.y) * scale) / view.scale };
  applyView();
}

function pan(dx: number, dy: number): void {
  view = { ...view, x: view.x + dx, y: view.y + dy };
  applyView();
}

/** Brings a node to the middle of the screen. */
function centre(node: PlacedNode): void {
  view = { ...view, x: canvas.clientWidth / 2 - node.x * view.scale, y: canvas.clientHeight / 2 - node.y * view.scale };
  applyView();
}

/** Centres a node that is off screen, or partly; one in view stays where it is, so the reader's eye does too. */
function keepInView(node: PlacedNode): void {
  const left = view.x + (node.x - node.width / 2) * view.scale;
  const right = view.x + (node.x + node.width / 2) * view.scale;
  const top = view.y + (node.y - node.height / 2) * view.scale;
  const bottom = view.y + (node.y + node.height / 2) * view.scale;
  if (left < 0 || top < 0 || right > canvas.clientWidth || bottom > canvas.clientHeight) centre(node);
}

/**
 * The graph as drawn: all of it, or on the bot's map the focused flow with the flows it links to and from; on a
 * bot too large to draw whole (`whole`), always one flow.
 */
function shownGraph(state: MapView): { graph: MapGraph; whole: boolean; notDrawn: number } {
  if (state.level !== 'bot') return { graph: state.graph, whole: false, notDrawn: 0 };
  const whole = tooLargeToDraw(state.graph);
  const known = (id: string | undefined) => id !== undefined && state.graph.nodes.some((node) => node.id === id);
  if (whole && !known(focusId)) focusId = startingFlow(state.graph, [state.around, state.here]);
  if (focusId === undefined || !known(focusId)) return { graph: state.graph, whole, notDrawn: 0 };
  return { ...partAround(state.graph, focusId), whole };
}

/** The graph last laid out, to lay out again only when it changed (a move of the user changes only classes). */
let laidOut = '';
/** Whether the bot's map last drawn is too large to draw whole. */
let tooLarge = false;
/** Set while a redraw gives the keyboard back to its node: that is no move, and the view stays. */
let restoringFocus = false;

function draw(state: MapView): void {
  latest = state;
  if (state.level !== 'bot') focusId = undefined;
  const keyboardWasOnMap = canvas.contains(document.activeElement);
  const { graph, whole, notDrawn } = shownGraph(state);
  tooLarge = whole;
  const canShowAll = focusId !== undefined && !whole;
  focusButton.hidden = state.level !== 'bot';
  focusButton.textContent = canShowAll ? 'Show All' : 'Focus';
  focusButton.title = canShowAll ? 'Show every flow again' : 'Show only the found or selected flow and its neighbours';
  const signature = JSON.stringify(graph);
  if (signature !== laidOut || !layout) {
    layout = layoutMap(graph);
    laidOut = signature;
  }
  title.textContent = state.title;
  const flows = state.graph.nodes.filter((node) => node.kind === 'flow').length;
  note.textContent = [
    whole
      ? `The bot's ${flows} flows are too many, or too linked, to draw at once: the map shows one flow and the flows it links with. Find a flow and press Enter to show it; the list holds them all.`
      : '',
    notDrawn > 0 ? `${notDrawn} more flows it links with are in the list, not drawn.` : '',
    state.note ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  back.hidden = state.level === 'bot';
  followButton.hidden = state.userId === undefined;
  followButton.textContent = `Follow ${shortName(state.userId ?? '')}`;
  followButton.setAttribute('aria-pressed', String(state.following !== false));
  const here = state.here;
  const trail = new Set(state.trail);
  const trailEdges = new Set(state.trail.slice(0, -1).map((to, index) => `${state.trail[index + 1]} ${to}`));
  // On a new map, or when the test user moved and the keyboard is elsewhere, Tab comes back in at the test user.
  const key = `${state.mapKey} ${focusId ?? ''}`;
  if (key !== shownKey || (here !== lastHere && !keyboardWasOnMap)) activeId = undefined;
  if (activeId === undefined || !layout.nodes.some((node) => node.id === activeId))
    activeId = [here, focusId, 'step:start'].find((id) => layout?.nodes.some((node) => node.id === id)) ?? layout.nodes[0]?.id;

  const drawing = svg('g', { id: 'scene' });
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
  for (const node of layout.nodes) nodes.append(nodeGroup(node, state, trail));
  drawing.append(edges, nodes);
  const hereNode = layout.nodes.find((node) => node.id === here);
  if (hereNode && state.userId) drawing.append(userBadge(hereNode, state.userId));
  scene()?.remove();
  canvas.append(drawing);
  drawList(state);

  // A new map (another flow, the overview) is fitted; the same map redrawn after an edit keeps its view.
  if (key !== shownKey) {
    shownKey = key;
    fit();
    if (hereNode && view.scale < 0.6) {
      view.scale = 0.8;
      centre(hereNode);
    }
  } else {
    applyView();
    if (hereNode && here !== lastHere) keepInView(hereNode);
  }
  lastHere = here;
  highlightSearch(false);
  // The redrawn node takes the keyboard's focus back, so a poll or an edit does not throw a reader out.
  if (keyboardWasOnMap) {
    restoringFocus = true;
    nodeElement(activeId)?.focus({ preventScroll: true });
    restoringFocus = false;
  }
}

function nodeElement(id: string | undefined): SVGGElement | null {
  return id === undefined ? null : canvas.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"]`);
}

/** Whether clicking a node does something: a flow or a step opens, a flow left to opens up. */
function opens(node: MapNode): boolean {
  return node.kind === 'flow' || node.kind === 'step' || node.kind === 'exit';
}

function nodeGroup(node: PlacedNode, state: MapView, trail: ReadonlySet<string>): SVGGElement {
  const classes = [
    'node',
    node.kind,
    node.unreachable ? 'unreachable' : '',
    node.duplicate ? 'duplicate' : '',
    node.insertedFrom !== undefined ? 'inserted' : '',
    node.id === state.here ? 'here' : '',
    trail.has(node.id) ? 'trail' : '',
  ];
  const group = svg('g', {
    class: classes.filter(Boolean).join(' '),
    transform: `translate(${node.x - node.width / 2} ${node.y - node.height / 2})`,
    tabindex: node.id === activeId ? 0 : -1,
    role: opens(node) ? 'button' : 'img',
    'data-id': node.id,
  });
  const description = describe(node, node.id === state.here, state.userId);
  group.setAttribute('aria-label', description);
  const tooltip = svg('title');
  tooltip.textContent = description;
  group.append(tooltip, svg('rect', { width: node.width, height: node.height, rx: node.kind === 'flow' ? 6 : 3 }));
  const label = svg('text', { x: node.width / 2, y: node.height / 2 + 4, 'text-anchor': 'middle' });
  label.textContent = node.label.length > 40 ? `${node.label.slice(0, 39)}…` : node.label;
  group.append(label);
  if (opens(node)) group.addEventListener('click', () => post({ type: 'open', nodeId: node.id }));
  group.addEventListener('focus', () => {
    activeId = node.id;
    for (const other of Array.from(canvas.querySelectorAll('g.node[tabindex="0"]'))) other.setAttribute('tabindex', '-1');
    group.setAttribute('tabindex', '0');
    if (!restoringFocus) keepInView(node);
  });
  group.addEventListener('keydown', (event) => onNodeKey(event, node));
  return group;
}

function shortName(userId: string): string {
  return userId.length > 24 ? `${userId.slice(0, 23)}…` : userId;
}

/**
 * The test user's name on their node's upper right corner, drawn over every node so that no neighbour hides it,
 * on a badge of its own.
 */
function userBadge(node: PlacedNode, userId: string): SVGGElement {
  const name = `● ${shortName(userId)}`;
  const width = 12 + name.length * 6.5;
  const badge = svg('g', {
    class: 'who',
    transform: `translate(${node.x + node.width / 2 - width + 8} ${node.y - node.height / 2 - 14})`,
    'aria-hidden': 'true',
  });
  badge.append(svg('rect', { width, height: 16, rx: 8 }));
  const text = svg('text', { x: width / 2, y: 12, 'text-anchor': 'middle' });
  text.textContent = name;
  badge.append(text);
  return badge;
}

const ARROWS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

function onNodeKey(event: KeyboardEvent, node: PlacedNode): void {
  const direction = ARROWS[event.key];
  if (direction && event.shiftKey) {
    const step = 60;
    pan(direction === 'left' ? step : direction === 'right' ? -step : 0, direction === 'up' ? step : direction === 'down' ? -step : 0);
  } else if (direction) {
    const next = layout && nextNode(layout.nodes, node, direction);
    if (next) nodeElement(next.id)?.focus();
  } else if ((event.key === 'Enter' || event.key === ' ') && opens(node)) {
    post({ type: 'open', nodeId: node.id });
  } else if (event.key === 'Home') {
    (nodeElement(latest?.here) ?? nodeElement(layout?.nodes[0]?.id))?.focus();
  } else if (event.key === '+' || event.key === '=') {
    zoom(1.2);
  } else if (event.key === '-') {
    zoom(1 / 1.2);
  } else return;
  event.preventDefault();
}

function describe(node: MapNode, isHere: boolean, userId: string | undefined): string {
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
  return [what, ...remarks(node), isHere && userId ? `${userId} is here` : ''].filter(Boolean).join(', ');
}

/** What the drawing says of a node by its look, in words. */
function remarks(node: MapNode): string[] {
  return [
    node.insertedFrom !== undefined ? `inserted from ${node.insertedFrom}` : '',
    node.duplicate ? 'declared more than once' : '',
    node.unreachable ? 'nothing goes here' : '',
    node.kind === 'missing' ? 'the conversation would end here' : '',
  ].filter(Boolean);
}

/** What the list last showed: rebuilt only when that changes, so a poll does not throw a reader out of it. */
let listed = '';

/** The whole graph as a list (on a bot too large to draw, every flow), for screen readers and for reading. */
function drawList(state: MapView): void {
  const nodesById = new Map(state.graph.nodes.map((node) => [node.id, node]));
  const leaving = new Map<string, string[]>();
  const targetName = (id: string, insert: boolean): string => {
    const target = nodesById.get(id);
    if (!target) return id;
    if (insert) return `inserts from ${target.label}`;
    if (target.kind === 'exit') return `${target.label} (another flow)`;
    if (target.kind === 'missing') return `${target.label} (missing)`;
    if (target.kind === 'end') return 'end';
    return target.label;
  };
  for (const edge of state.graph.edges) {
    const names = leaving.get(edge.from) ?? [];
    names.push(targetName(edge.to, edge.kind === 'insert'));
    leaving.set(edge.from, names);
  }
  const trail = new Set(state.trail);
  const items = state.graph.nodes
    .filter((node) => node.kind === 'flow' || node.kind === 'step')
    .map((node) => {
      const said = [
        node.id === state.here && state.userId ? `${state.userId} is here` : '',
        node.id !== state.here && trail.has(node.id) ? `${state.userId ?? 'the test user'} came this way` : '',
        ...remarks(node),
      ].filter(Boolean);
      const goes = leaving.get(node.id) ?? [];
      return {
        id: node.id,
        label: node.label,
        rest: `${said.length ? ` (${said.join('; ')})` : ''}${goes.length ? ` → ${goes.join(', ')}` : ''}`,
      };
    });
  const signature = JSON.stringify(items);
  if (signature === listed) return;
  listed = signature;
  const focused = (document.activeElement as HTMLElement | null)?.closest('#list')
    ? (document.activeElement as HTMLElement).dataset.id
    : undefined;
  list.replaceChildren(
    ...items.map((entry) => {
      const item = document.createElement('li');
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'link';
      open.textContent = entry.label;
      open.dataset.id = entry.id;
      open.addEventListener('click', () => post({ type: 'open', nodeId: entry.id }));
      const rest = document.createElement('span');
      rest.textContent = entry.rest;
      item.append(open, rest);
      return item;
    }),
  );
  if (focused !== undefined) list.querySelector<HTMLButtonElement>(`button[data-id="${CSS.escape(focused)}"]`)?.focus();
}

/** Whether a node answers a search: by its name or, on the bot's map, by one of its flow's steps. */
function answers(node: MapNode, wanted: string): boolean {
  return node.label.toLowerCase().includes(wanted) || (node.steps?.some((step) => step.toLowerCase().includes(wanted)) ?? false);
}

function highlightSearch(bringIntoView = true): void {
  const wanted = search.value.trim().toLowerCase();
  const placed = new Map(layout?.nodes.map((node) => [node.id, node]));
  let first: PlacedNode | undefined;
  let drawn = 0;
  for (const group of Array.from(canvas.querySelectorAll<SVGGElement>('g.node'))) {
    const node = placed.get(group.dataset.id ?? '');
    const hit = wanted !== '' && node !== undefined && answers(node, wanted);
    group.classList.toggle('found', hit);
    if (hit) drawn++;
    if (hit && !first) first = node;
  }
  const total = wanted === '' || !latest ? 0 : latest.graph.nodes.filter((node) => answers(node, wanted)).length;
  const notDrawn = Math.max(0, total - drawn);
  found.textContent = wanted === '' ? '' : total === 0 ? 'Nothing found' : `${total} found${notDrawn > 0 ? `, ${notDrawn} not drawn` : ''}`;
  if (first && bringIntoView) centre(first);
}

/** The first flow of the whole bot that answers the search, drawn or not. */
function firstFlowFound(): MapNode | undefined {
  const wanted = search.value.trim().toLowerCase();
  return wanted && latest?.level === 'bot' ? latest.graph.nodes.find((node) => node.kind === 'flow' && answers(node, wanted)) : undefined;
}

/** Enter in the search box goes to the first node found; on a bot too large to draw, shows the first flow found. */
function goToFound(): void {
  const drawn = canvas.querySelector<SVGGElement>('g.node.found');
  if (drawn) {
    drawn.focus();
    return;
  }
  const flow = firstFlowFound();
  if (!flow || !latest) return;
  focusId = flow.id;
  activeId = flow.id;
  draw(latest);
  nodeElement(flow.id)?.focus();
}

/** The properties that make the drawing look as it does: written into the file, which has no theme. */
const DRAWN_STYLE = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight'];

/**
 * The drawing as a standalone SVG file, on the page's background, with the theme's colours and the page's styles
 * written in as attributes (an inline style would break the page's own policy).
 */
function exportSvg(): void {
  const drawing = scene();
  if (!layout || !drawing) return;
  const box = drawnBox();
  const frame = {
    x: Math.floor(box.x - 8),
    y: Math.floor(box.y - 8),
    width: Math.ceil(box.width + 16),
    height: Math.ceil(box.height + 16),
  };
  const copy = canvas.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG);
  copy.setAttribute('viewBox', `${frame.x} ${frame.y} ${frame.width} ${frame.height}`);
  copy.setAttribute('width', String(frame.width));
  copy.setAttribute('height', String(frame.height));
  const originals = Array.from(canvas.querySelectorAll('*'));
  const copies = Array.from(copy.querySelectorAll('*'));
  originals.forEach((original, index) => {
    const target = copies[index];
    if (!target || original instanceof SVGTitleElement) return;
    const computed = getComputedStyle(original);
    for (const name of DRAWN_STYLE) target.setAttribute(name, computed.getPropertyValue(name));
  });
  copy.querySelector('#scene')?.removeAttribute('transform');
  // Only the drawing leaves: node ids hold the flows' file paths, and the page's controls mean nothing in a file.
  for (const element of [copy, ...Array.from(copy.querySelectorAll('*'))]) {
    for (const name of ['data-id', 'tabindex', 'role', 'aria-label', 'aria-roledescription', 'class']) element.removeAttribute(name);
    if (element.id !== 'arrow') element.removeAttribute('id');
  }
  copy.querySelector('defs')?.after(svg('rect', { ...frame, fill: getComputedStyle(document.body).backgroundColor }));
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
for (const ending of ['pointerup', 'pointercancel', 'lostpointercapture'] as const)
  canvas.addEventListener(ending, () => (drag = undefined));
canvas.addEventListener(
  'wheel',
  (event) => {
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, { x: event.clientX - box.left, y: event.clientY - box.top });
  },
  { passive: false },
);
byId('zoom-in').addEventListener('click', () => zoom(1.25));
byId('zoom-out').addEventListener('click', () => zoom(1 / 1.25));
byId('fit').addEventListener('click', fit);
byId('export').addEventListener('click', exportSvg);
focusButton.addEventListener('click', () => {
  if (!latest) return;
  if (focusId !== undefined && !tooLarge) focusId = undefined;
  else {
    // The first flow found, else the one the keyboard was last on.
    const chosen = firstFlowFound()?.id ?? (activeId?.startsWith('flow:') ? activeId : undefined);
    if (chosen === undefined) {
      note.textContent = 'Find a flow, or move to one with the arrow keys, then Focus shows it with its neighbours.';
      return;
    }
    focusId = chosen;
    activeId = chosen;
  }
  draw(latest);
});
back.addEventListener('click', () => post({ type: 'overview' }));
followButton.addEventListener('click', () => {
  const on = followButton.getAttribute('aria-pressed') !== 'true';
  followButton.setAttribute('aria-pressed', String(on));
  post({ type: 'follow', on });
});
// The list opened or closed changes the room the drawing has: it is fitted to it again.
asList?.addEventListener('toggle', fit);
search.addEventListener('input', () => highlightSearch());
search.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  goToFound();
});

window.addEventListener('message', (event: MessageEvent<{ type?: string; view?: MapView }>) => {
  if (event.data?.type === 'view' && event.data.view) draw(event.data.view);
});

const saved = vscode.getState() as { view?: typeof view; shownKey?: string } | undefined;
if (saved?.view && typeof saved.shownKey === 'string') {
  view = saved.view;
  shownKey = saved.shownKey;
}
post({ type: 'ready' });
