/**
 * The flow map's layouts, as the map computes them: the overview of a bot of 40 flows and 1,000 steps (the graph
 * from the language service's model, then dagre), chained and densely linked; a bot of 1,000 flows, too large to
 * draw whole, shown around one flow (a menu that goes to 400 flows too); and one flow of 100 steps, first and again
 * after an edit.
 */
import { performance } from 'node:perf_hooks';
import { BotModel } from '../src/csml/botModel';
import { parseFlow } from '../src/csml/flowParser';
import { botOverview, flowDetail } from '../src/flowmap/botGraph';
import { partAround, startingFlow, tooLargeToDraw } from '../src/flowmap/mapFocus';
import { layoutMap } from '../src/flowmap/mapLayout';
import { atMost, Report } from './report';
import { median } from './stats';

const GROUP = 'flow-map';
const FLOWS = 40;
const STEPS_PER_FLOW = 25;
const RUNS = 5;

/** A flow of `steps` steps, each going on to the next, some asking a question, some leaving to another flow. */
function flowSource(index: number, steps: number, flows: number, extra = ''): string {
  const lines: string[] = [];
  for (let s = 0; s < steps; s++) {
    const name = s === 0 ? 'start' : `step_${s}`;
    const next = s + 1 < steps ? `step_${s + 1}` : 'end';
    lines.push(`${name}:`, `  say "Flow ${index}, step ${s}"`);
    if (s % 5 === 2) lines.push('  hold', `  if (event.match("other")) { goto step_${Math.max(1, s - 2)}@Flow${(index + 1) % flows} }`);
    if (s % 7 === 3 && s + 2 < steps) lines.push(`  if (event.match("skip")) { goto step_${s + 2} }`);
    lines.push(`  goto ${next}`, '');
  }
  return lines.join('\n') + extra;
}

/** A bot whose every flow also goes to three flows picked at random (the same ones each run). */
function denseBot(flows: number): BotModel {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const bot = new BotModel();
  for (let i = 0; i < flows; i++) {
    const far = Array.from({ length: 3 }, (_, k) => `  if (event.match("far${k}")) { goto @Flow${Math.floor(random() * flows)} }`);
    bot.set(
      `file:///bench/flows/Flow${i}.csml`,
      `Flow${i}`,
      parseFlow(flowSource(i, STEPS_PER_FLOW, flows, `\nfar:\n${far.join('\n')}\n  goto end\n`)),
    );
  }
  return bot;
}

/** The overview as the map draws it: the whole bot's graph, then the layout of all of it or of the part shown. */
function overviewAsDrawn(bot: BotModel): void {
  const graph = botOverview(bot);
  const start = tooLargeToDraw(graph) ? startingFlow(graph, []) : undefined;
  layoutMap(start !== undefined ? partAround(graph, start).graph : graph);
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

export function runFlowMap(report: Report): void {
  const bot = new BotModel();
  for (let i = 0; i < FLOWS; i++) bot.set(`file:///bench/flows/Flow${i}.csml`, `Flow${i}`, parseFlow(flowSource(i, STEPS_PER_FLOW, FLOWS)));
  const overviewMs = median(Array.from({ length: RUNS }, () => timed(() => layoutMap(botOverview(bot)))));
  report.metric(GROUP, 'flow_map_overview_40_flows_ms', Math.round(overviewMs), 'ms', atMost(1000));
  const dense = denseBot(FLOWS);
  const denseMs = median(Array.from({ length: RUNS }, () => timed(() => layoutMap(botOverview(dense)))));
  report.metric(GROUP, 'flow_map_overview_40_flows_dense_ms', Math.round(denseMs), 'ms', atMost(1000));
  // Past the limit, the overview is the graph of the whole bot and the layout of one flow with its neighbours.
  const huge = denseBot(1000);
  const hugeMs = median(Array.from({ length: RUNS }, () => timed(() => overviewAsDrawn(huge))));
  report.metric(GROUP, 'flow_map_overview_1000_flows_ms', Math.round(hugeMs), 'ms', atMost(1000));
  // A menu flow that goes to each of 400 flows, each going back to it: shown around the menu, its most linked flow.
  const menu = new BotModel();
  const choices = Array.from({ length: 400 }, (_, i) => `  if (event.match("${i}")) { goto @Flow${i} }`).join('\n');
  menu.set('file:///bench/flows/Menu.csml', 'Menu', parseFlow(`start:\n${choices}\n  goto end\n`));
  for (let i = 0; i < 400; i++)
    menu.set(`file:///bench/flows/Flow${i}.csml`, `Flow${i}`, parseFlow(flowSource(i, STEPS_PER_FLOW, 400, '\nback:\n  goto @Menu\n')));
  const menuMs = median(Array.from({ length: RUNS }, () => timed(() => overviewAsDrawn(menu))));
  report.metric(GROUP, 'flow_map_overview_menu_400_flows_ms', Math.round(menuMs), 'ms', atMost(1000));

  const single = new BotModel();
  const key = 'file:///bench/flows/Big.csml';
  single.set(key, 'Big', parseFlow(flowSource(0, 100, 1)));
  const firstMs = median(
    Array.from({ length: RUNS }, () =>
      timed(() => layoutMap(flowDetail(single, key) ?? { nodes: [], edges: [], leftOut: { dynamic: 0, otherBot: 0 } })),
    ),
  );
  report.metric(GROUP, 'flow_map_flow_100_steps_ms', Math.round(firstMs), 'ms', atMost(200));
  // An edit: a step added and a goto to it, the flow parsed again, then the map of it.
  let edits = 0;
  const editedMs = median(
    Array.from({ length: RUNS }, () =>
      timed(() => {
        edits++;
        single.set(key, 'Big', parseFlow(flowSource(0, 100, 1, `\nadded_${edits}:\n  goto step_${edits}\n`)));
        layoutMap(flowDetail(single, key) ?? { nodes: [], edges: [], leftOut: { dynamic: 0, otherBot: 0 } });
      }),
    ),
  );
  report.metric(GROUP, 'flow_map_flow_after_edit_ms', Math.round(editedMs), 'ms', atMost(200));
  report.note(
    GROUP,
    `medians of ${RUNS}: the overview of ${FLOWS} flows of ${STEPS_PER_FLOW} steps (graph and dagre layout), each going on to the next, then each also going to 3 flows at random; 1,000 such flows, drawn around the most linked one; a menu flow going to 400 flows, drawn around it; one flow of 100 steps laid out, and again after an edit (parse, graph, layout).`,
  );
}
