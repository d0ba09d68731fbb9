import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { botOverview, flowDetail, MapGraph } from '../../src/flowmap/botGraph';
import { layoutMap } from '../../src/flowmap/mapLayout';
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
      // `goto receipt`: a step Billing inserts from Shared, where the conversation goes.
      'flow:file:///bot/flows/Billing.csml -> flow:file:///bot/flows/Shared.csml',
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
      'step:ask -> exit:Billing:start<step:ask',
      'step:ask -> missing:Support<step:ask (missing)',
      'step:ask -> missing:nowhere<step:ask (missing)',
      'step:forgotten -> step:ask',
      'step:start -> step:ask',
    ]);
    // A dynamic goto hides every unreachable hint, as in the editor.
    assert.equal(main?.nodes.find((node) => node.label === 'forgotten')?.unreachable, undefined);
    assert.deepEqual(main?.leftOut, { dynamic: 1, otherBot: 0 });
  });

  it('marks the steps nothing goes to, and follows an inserted step to the flow it comes from', () => {
    const quiet = botOf({
      Billing: ['insert receipt from Shared', 'start:', '  goto pay', 'pay:', '  goto receipt', 'unused:', '  goto end'].join('\n'),
      Shared: ['start:', '  goto end', 'receipt:', '  goto end'].join('\n'),
    });
    const billing = flowDetail(quiet, 'file:///bot/flows/Billing.csml');
    assert.deepEqual(
      billing?.nodes.map((node) => `${node.kind} ${node.label}${node.unreachable ? ' (unreachable)' : ''}`),
      ['step start', 'step pay', 'step unused (unreachable)', 'exit Shared · receipt', 'end end'],
    );
    assert.equal(billing?.nodes[1]?.offset, 'insert receipt from Shared\nstart:\n  goto pay\n'.length);
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
    for (const refused of [null, { type: 'open' }, { type: 'open', nodeId: 7 }, { type: 'exportSvg', svg: 'rm -rf' }, { type: 'eval' }])
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
      /content="default-src 'none'; img-src https:\/\/x\.example https:; style-src https:\/\/x\.example; script-src 'nonce-n0nce'; base-uri 'none'; form-action 'none'"/,
    );
    assert.deepEqual(
      [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]),
      [' nonce="n0nce" src="https://x.example/map.js"'],
    );
  });
});
