import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { botOverview, flowDetail, MapGraph } from '../../src/flowmap/botGraph';
import {
  aroundFlow,
  LAYOUT_BUDGET,
  layoutCost,
  NEIGHBOUR_LIMIT,
  OVERVIEW_LIMIT,
  partAround,
  startingFlow,
  tooLargeToDraw,
} from '../../src/flowmap/mapFocus';
import { layoutMap } from '../../src/flowmap/mapLayout';
import { nextNode } from '../../src/flowmap/mapNavigation';
import { mapPageHtml } from '../../src/flowmap/mapPageHtml';
import { leftOutNote, readMapRequest, userOnMap } from '../../src/flowmap/mapProtocol';

function botOf(flows: Record<string, string>): BotModel {
  const bot = new BotModel();
  for (const [name, source] of Object.entries(flows)) bot.set(`file:///bot/flows/${name}.csml`, name, parseFlow(source));
  return bot;
}

const edgesOf = (graph: MapGraph | undefined) =>
  (graph?.edges ?? [])
    .map(
      (edge) =>
        `${edge.from} -> ${edge.to}${edge.kind === 'insert' ? ' (insert)' : ''}${edge.count > 1 ? ` x${edge.count}` : ''}${edge.missing ? ' (missing)' : ''}`,
    )
    .sort();

describe('The flow map', () => {
  const bot = botOf({
    Main: [
      'start:',
      '  say "hi"',
      '  goto ask',
      'ask:',
      '  if (event.match("pay")) { goto flow Billing }',
      '  if (event.match("help")) { goto help@Support }',
      '  if (event.match("x")) { goto $somewhere }',
      '  if (event.match("y")) { goto nowhere }',
      '  goto end',
      'forgotten:',
      '  say "nothing comes here"',
      '  goto ask',
    ].join('\n'),
    Billing: [
      'insert receipt from Shared',
      'start:',
      '  goto pay',
      'pay:',
      '  goto receipt',
      'receipt_done:',
      '  goto @Main',
      '  goto @Ghost',
    ].join('\n'),
    Shared: ['start:', '  goto end', 'receipt:', '  say "receipt"', '  goto end'].join('\n'),
  });

  it('draws the bot as its flows, with the gotos and inserts between them and a missing flow as a problem', () => {
    const overview = botOverview(bot);
    assert.deepEqual(overview.nodes.map((node) => `${node.kind} ${node.label}`).sort(), [
      'flow Billing',
      'flow Main',
      'flow Shared',
      'missing Ghost',
      'missing Support',
    ]);
    assert.deepEqual(edgesOf(overview), [
      'flow:file:///bot/flows/Billing.csml -> flow:file:///bot/flows/Main.csml',
      // `goto receipt` stays in Billing, which runs the step it inserts from Shared: only the insert links them.
      'flow:file:///bot/flows/Billing.csml -> flow:file:///bot/flows/Shared.csml (insert)',
      'flow:file:///bot/flows/Billing.csml -> missing:Ghost (missing)',
      'flow:file:///bot/flows/Main.csml -> flow:file:///bot/flows/Billing.csml',
      'flow:file:///bot/flows/Main.csml -> missing:Support (missing)',
    ]);
    assert.deepEqual(overview.leftOut, { dynamic: 1, otherBot: 0 });
  });

  it('opens a flow into its steps and gotos, with the flows it leaves to at the border and what it cannot draw counted', () => {
    const main = flowDetail(bot, 'file:///bot/flows/Main.csml');
    assert.deepEqual(
      main?.nodes.map((node) => `${node.kind} ${node.label}${node.unreachable ? ' (unreachable)' : ''}`),
      ['step start', 'step ask', 'step forgotten', 'exit Billing · start', 'missing Support', 'missing nowhere', 'end end'],
    );
    assert.deepEqual(edgesOf(main), [
      'step:ask -> end<step:ask',
      'step:ask -> exit:file:///bot/flows/Billing.csml:start<step:ask',
      'step:ask -> missing:Support<step:ask (missing)',
      'step:ask -> missing:nowhere<step:ask (missing)',
      'step:forgotten -> step:ask',
      'step:start -> step:ask',
    ]);
    // A dynamic goto hides every unreachable hint, as in the editor.
    assert.equal(main?.nodes.find((node) => node.label === 'forgotten')?.unreachable, undefined);
    assert.deepEqual(main?.leftOut, { dynamic: 1, otherBot: 0 });
  });

  it('draws an inserted step in the flow that runs it, its gotos leading from there, where the engine finds it', () => {
    const quiet = botOf({
      Billing: [
        'insert receipt from Shared',
        'insert card as c from Shared',
        'start:',
        '  goto pay',
        'pay:',
        '  if (event.match("card")) { goto c }',
        '  goto receipt',
        'thanks:',
        '  goto end',
        'unused:',
        '  goto end',
      ].join('\n'),
      Shared: [
        'start:',
        '  goto end',
        'receipt:',
        '  if (event.match("pay again")) { goto @Payments }',
        '  goto thanks',
        'thanks:',
        '  goto end',
        'card:',
        '  goto end',
      ].join('\n'),
      Payments: 'start:\n  goto end\n',
      Main: ['start:', '  goto receipt@Billing'].join('\n'),
    });
    const billing = flowDetail(quiet, 'file:///bot/flows/Billing.csml');
    assert.deepEqual(
      billing?.nodes
        .filter((node) => node.kind === 'step')
        .map(
          (node) => `${node.label}${node.unreachable ? ' (unreachable)' : ''}${node.insertedFrom ? ` (from ${node.insertedFrom})` : ''}`,
        ),
      ['start', 'pay', 'thanks', 'unused (unreachable)', 'receipt (from Shared · receipt)'],
    );
    // `goto thanks` in Shared's receipt leads to Billing's thanks when Billing runs it (the engine runs the code
    // in the flow the conversation is in); `goto c` ends the conversation: the engine looks for `c` in Shared.
    assert.deepEqual(edgesOf(billing), [
      'step:pay -> missing:c<step:pay (missing)',
      'step:pay -> step:receipt',
      'step:receipt -> exit:file:///bot/flows/Payments.csml:start<step:receipt',
      'step:receipt -> step:thanks',
      'step:start -> step:pay',
      'step:thanks -> end<step:thanks',
      'step:unused -> end<step:unused',
    ]);
    assert.equal(billing?.nodes[1]?.offset, 'insert receipt from Shared\ninsert card as c from Shared\nstart:\n  goto pay\n'.length);
    // A click on the inserted step opens the code it runs, in Shared.
    const inserted = billing?.nodes.find((node) => node.id === 'step:receipt');
    assert.equal(inserted?.flowKey, 'file:///bot/flows/Shared.csml');
    assert.equal(inserted?.offset, 'start:\n  goto end\n'.length);
    // From another flow, the engine does not find the step Billing inserts: the conversation would end.
    assert.deepEqual(edgesOf(flowDetail(quiet, 'file:///bot/flows/Main.csml')), [
      'step:start -> missing:receipt@Billing<step:start (missing)',
    ]);
    const overview = botOverview(quiet);
    assert.deepEqual(edgesOf(overview), [
      'flow:file:///bot/flows/Billing.csml -> flow:file:///bot/flows/Payments.csml',
      'flow:file:///bot/flows/Billing.csml -> flow:file:///bot/flows/Shared.csml (insert) x2',
      'flow:file:///bot/flows/Main.csml -> missing:receipt@Billing (missing)',
      'flow:file:///bot/flows/Shared.csml -> flow:file:///bot/flows/Payments.csml',
    ]);
    // On the overview, a flow is found by the steps it runs, its inserted ones too.
    assert.deepEqual(overview.nodes.find((node) => node.label === 'Billing')?.steps, ['start', 'pay', 'thanks', 'unused', 'receipt']);
  });

  it('marks a step declared twice or inserted under a name the flow declares, and sends a flow left to by its file', () => {
    const twice = botOf({
      Main: 'insert start from Other\nstart:\n  goto ask\nask:\n  goto @Other\nask:\n  goto end\n',
      Other: 'start:\n  goto end\n',
    });
    const main = flowDetail(twice, 'file:///bot/flows/Main.csml');
    assert.deepEqual(
      main?.nodes.filter((node) => node.kind === 'step').map((node) => `${node.label}${node.duplicate ? ' (twice)' : ''}`),
      ['start (twice)', 'ask (twice)'],
    );
    // Both declarations' gotos are drawn.
    assert.deepEqual(edgesOf(main), [
      'step:ask -> end<step:ask',
      'step:ask -> exit:file:///bot/flows/Other.csml:start<step:ask',
      'step:start -> step:ask',
    ]);
    assert.equal(main?.nodes.find((node) => node.kind === 'exit')?.flowKey, 'file:///bot/flows/Other.csml');
  });

  it('lays a map out with every node placed apart and every edge drawn between its ends', () => {
    const graph = flowDetail(bot, 'file:///bot/flows/Main.csml');
    assert.ok(graph);
    const layout = layoutMap(graph);
    assert.equal(layout.nodes.length, graph.nodes.length);
    for (const node of layout.nodes) assert.ok(Number.isFinite(node.x) && Number.isFinite(node.y) && node.width > 0, node.id);
    const start = layout.nodes.find((node) => node.id === 'step:start');
    const ask = layout.nodes.find((node) => node.id === 'step:ask');
    assert.ok(start && ask && start.y < ask.y, 'a goto leads downwards');
    for (const edge of layout.edges) assert.ok(edge.points.length >= 2, `${edge.from} -> ${edge.to}`);
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        const overlap = Math.abs(a.x - b.x) < (a.width + b.width) / 2 && Math.abs(a.y - b.y) < (a.height + b.height) / 2;
        assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
      }
    assert.ok(layout.width > 0 && layout.height > 0);
  });
});

describe('The flow map page and the extension', () => {
  const graph = flowDetail(
    botOf({ Main: 'start:\n  goto ask\nask:\n  goto done\ndone:\n  goto $next\n', Other: 'start:\n  goto end\n' }),
    'file:///bot/flows/Main.csml',
  );

  it('puts the user on the flow shown, with the way they came as far as it stays on this map', () => {
    assert.ok(graph);
    const trail = [
      { flowName: 'Main', stepId: 'done' },
      { flowName: 'Main', stepId: 'ask' },
      { flowName: 'Main', stepId: 'ask' },
      { flowName: 'Main', stepId: 'start' },
      { flowName: 'Other', stepId: 'start' },
      { flowName: 'Main', stepId: 'done' },
    ];
    assert.deepEqual(userOnMap({ level: 'flow', graph, flow: 'Main' }, trail), {
      here: 'step:done',
      trail: ['step:done', 'step:ask', 'step:start'],
    });
    assert.deepEqual(userOnMap({ level: 'flow', graph, flow: 'Main' }, [{ flowName: 'Other', stepId: 'start' }]), { trail: [] });
    assert.deepEqual(userOnMap({ level: 'flow', graph, flow: 'Main' }, [{ flowName: 'Main', stepId: 'gone' }]), { trail: [] });
    // Flow names compare as the engine compares them, ASCII case aside.
    assert.deepEqual(userOnMap({ level: 'flow', graph, flow: 'Main' }, [{ flowName: 'main', stepId: 'ask' }]), {
      here: 'step:ask',
      trail: ['step:ask'],
    });
  });

  it('says what it leaves out', () => {
    assert.equal(graph && leftOutNote(graph), 'Not drawn: 1 goto known only at run time (goto $…).');
    assert.equal(
      leftOutNote({ nodes: [], edges: [], leftOut: { dynamic: 2, otherBot: 1 } }),
      'Not drawn: 2 gotos known only at run time (goto $…) and 1 goto to another bot.',
    );
    assert.equal(leftOutNote({ nodes: [], edges: [], leftOut: { dynamic: 0, otherBot: 0 } }), undefined);
  });

  it('reads only the requests it knows from the page', () => {
    assert.deepEqual(readMapRequest({ type: 'open', nodeId: 'step:ask' }), { type: 'open', nodeId: 'step:ask' });
    assert.deepEqual(readMapRequest({ type: 'exportSvg', svg: '<svg></svg>' }), { type: 'exportSvg', svg: '<svg></svg>' });
    assert.deepEqual(readMapRequest({ type: 'follow', on: false }), { type: 'follow', on: false });
    for (const refused of [
      null,
      { type: 'open' },
      { type: 'open', nodeId: 7 },
      { type: 'exportSvg', svg: 'rm -rf' },
      { type: 'follow', on: 'yes' },
      { type: 'eval' },
    ])
      assert.equal(readMapRequest(refused), undefined, JSON.stringify(refused));
  });

  it("runs only the extension's script, with its nonce, like every page of the extension", () => {
    const html = mapPageHtml({
      cspSource: 'https://x.example',
      nonce: 'n0nce',
      scriptUri: 'https://x.example/map.js',
      styleUris: ['https://x.example/map.css'],
    });
    assert.match(
      html,
      // It draws its own pictures: no image is let in, from anywhere.
      /content="default-src 'none'; style-src https:\/\/x\.example; script-src 'nonce-n0nce'; base-uri 'none'; form-action 'none'"/,
    );
    assert.deepEqual(
      [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]),
      [' nonce="n0nce" src="https://x.example/map.js"'],
    );
  });
});

describe("Finding one's way on the flow map", () => {
  /** A bot of `flows` flows, each going on to the next and to one far away. */
  const ring = (flows: number) =>
    botOf(
      Object.fromEntries(
        Array.from({ length: flows }, (_, i) => [`F${i}`, `start:\n  goto @F${(i + 1) % flows}\n  goto @F${(i * 7 + 3) % flows}\n`]),
      ),
    );

  it('draws a bot whole within a budget, and past it one flow with the flows it links with', () => {
    const chain = (flows: number) =>
      botOf(Object.fromEntries(Array.from({ length: flows }, (_, i) => [`F${i}`, `start:\n  goto @F${(i + 1) % flows}\n`])));
    assert.equal(tooLargeToDraw(botOverview(chain(150))), false, 'a long chain of flows lays out quickly');
    const unlinked = botOf(Object.fromEntries(Array.from({ length: OVERVIEW_LIMIT + 1 }, (_, i) => [`F${i}`, 'start:\n'])));
    assert.equal(tooLargeToDraw(botOverview(unlinked)), true);
    const large = botOverview(ring(121));
    assert.ok(layoutCost(large) > LAYOUT_BUDGET, `a ring with far links costs ${layoutCost(large)}`);
    assert.equal(tooLargeToDraw(large), true);
    const part = aroundFlow(large, 'flow:file:///bot/flows/F10.csml');
    assert.deepEqual(part.nodes.map((node) => node.label).sort(), ['F11', 'F10', 'F73', 'F9', 'F1'].sort());
    assert.ok(
      part.edges.every((edge) => part.nodes.some((node) => node.id === edge.from) && part.nodes.some((node) => node.id === edge.to)),
    );
    assert.ok(part.edges.some((edge) => edge.from.endsWith('F9.csml') && edge.to.endsWith('F10.csml')));
  });

  it('costs a layout by its nodes and the ranks its edges cross, cycles broken', () => {
    const graph = (edges: [string, string][]): MapGraph => ({
      nodes: ['A', 'B', 'C'].map((id) => ({ id, kind: 'flow', label: id })),
      edges: edges.map(([from, to]) => ({ from, to, kind: 'goto', count: 1 })),
      leftOut: { dynamic: 0, otherBot: 0 },
    });
    assert.equal(
      layoutCost(
        graph([
          ['A', 'B'],
          ['B', 'C'],
        ]),
      ),
      3,
    );
    assert.equal(
      layoutCost(
        graph([
          ['A', 'B'],
          ['B', 'C'],
          ['A', 'C'],
        ]),
      ),
      4,
      'A to C crosses the rank of B',
    );
    assert.equal(
      layoutCost(
        graph([
          ['A', 'B'],
          ['B', 'C'],
          ['C', 'A'],
        ]),
      ),
      4,
      'the cycle is broken at C to A, which crosses B',
    );
    assert.equal(layoutCost(graph([['A', 'A']])), 3);
    // A and B, which nothing goes to, sit just above C, where they lead: no bend.
    assert.equal(
      layoutCost(
        graph([
          ['A', 'C'],
          ['B', 'C'],
        ]),
      ),
      3,
    );
  });

  it('draws a flow linked with too many, costly to lay out together, with its own links and a hundred neighbours at most', () => {
    const flows = 300;
    const menu = Array.from({ length: flows }, (_, i) => `  goto @F${i}`).join('\n');
    const bot = botOf({
      Main: `start:\n${menu}\n`,
      ...Object.fromEntries(Array.from({ length: flows }, (_, i) => [`F${i}`, `start:\n  goto @F${(i + 1) % flows}\n  goto @Main\n`])),
    });
    const main = 'flow:file:///bot/flows/Main.csml';
    const part = partAround(botOverview(bot), main);
    assert.equal(part.graph.nodes.length, NEIGHBOUR_LIMIT + 1);
    assert.equal(part.notDrawn, flows - NEIGHBOUR_LIMIT);
    assert.ok(part.graph.edges.every((edge) => edge.from === main || edge.to === main));
    assert.ok(layoutCost(part.graph) <= LAYOUT_BUDGET);
    // A flow with few neighbours keeps the links among them.
    const small = partAround(botOverview(bot), 'flow:file:///bot/flows/F5.csml');
    assert.deepEqual(small.notDrawn, 0);
    assert.deepEqual(small.graph.nodes.map((node) => node.label).sort(), ['F4', 'F5', 'F6', 'Main']);
    assert.ok(small.graph.edges.some((edge) => edge.from.endsWith('F4.csml') && edge.to === main));
  });

  it("shows first the flow asked for, else the test user's, else the most linked one", () => {
    const graph = botOverview(
      botOf({ A: 'start:\n  goto @B\n', B: 'start:\n  goto @C\n  goto @A\n', C: 'start:\n  goto end\n', D: 'start:\n  goto @B\n' }),
    );
    const id = (name: string) => `flow:file:///bot/flows/${name}.csml`;
    assert.equal(startingFlow(graph, [id('C'), id('A')]), id('C'));
    assert.equal(startingFlow(graph, [undefined, id('A')]), id('A'));
    assert.equal(startingFlow(graph, ['flow:file:///gone.csml', undefined]), id('B'));
    assert.equal(startingFlow({ nodes: [], edges: [], leftOut: { dynamic: 0, otherBot: 0 } }, []), undefined);
  });

  it('moves by arrow key to the nearest node that way, in line before off to the side', () => {
    //        a
    //   b    c    d
    //        e         f
    const nodes = [
      { id: 'a', x: 100, y: 0 },
      { id: 'b', x: 0, y: 80 },
      { id: 'c', x: 100, y: 80 },
      { id: 'd', x: 200, y: 80 },
      { id: 'e', x: 100, y: 160 },
      { id: 'f', x: 300, y: 160 },
    ];
    const at = (id: string) => nodes.find((node) => node.id === id) ?? nodes[0];
    assert.equal(nextNode(nodes, at('a'), 'down')?.id, 'c');
    assert.equal(nextNode(nodes, at('c'), 'down')?.id, 'e');
    assert.equal(nextNode(nodes, at('c'), 'left')?.id, 'b');
    assert.equal(nextNode(nodes, at('c'), 'right')?.id, 'd');
    assert.equal(nextNode(nodes, at('e'), 'right')?.id, 'f');
    assert.equal(nextNode(nodes, at('c'), 'up')?.id, 'a');
    assert.equal(nextNode(nodes, at('a'), 'up'), undefined);
    assert.equal(nextNode(nodes, at('f'), 'right'), undefined);
  });
});
