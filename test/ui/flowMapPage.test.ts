// The flow map's page on its own in headless Chromium, as VS Code would show it: its own HTML, bundle and styles
// under its Content Security Policy, sent the views the extension sends. What the workbench suite cannot set up
// cheaply is tried here: a bot too large to draw whole, and moving through a map by keyboard.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { BotModel } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { botOverview, flowDetail } from '../../src/flowmap/botGraph';
import { mapPageHtml } from '../../src/flowmap/mapPageHtml';
import type { MapRequest, MapView } from '../../src/flowmap/mapProtocol';
import { launchChromium } from '../host/browser';
import { repoRoot } from '../host/codeServer';

function botOf(flows: Record<string, string>): BotModel {
  const bot = new BotModel();
  for (const [name, source] of Object.entries(flows)) bot.set(`file:///bot/flows/${name}.csml`, name, parseFlow(source));
  return bot;
}

/** 130 flows, each going on to the next and to one far away: too costly to lay out at once. */
function largeBot(): BotModel {
  const flows = 130;
  return botOf(
    Object.fromEntries(
      Array.from({ length: flows }, (_, i) => [
        `F${i}`,
        `start:\n  goto @F${(i + 1) % flows}\n  goto @F${(i * 7 + 3) % flows}\nstep_${i}:\n  goto end\n`,
      ]),
    ),
  );
}

const THEME = {
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  focusBorder: '#0078d4',
  'editor-background': '#1f1f1f',
  'editor-foreground': '#cccccc',
  'editorWidget-background': '#202020',
  'editorWidget-border': '#313131',
  'charts-blue': '#3794ff',
  'charts-orange': '#d18616',
  'editorError-foreground': '#f85149',
};

describe('The flow map page', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let folder: string;
  const errors: string[] = [];

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-map-page-'));
    const url = (relative: string) => pathToFileURL(path.join(repoRoot(), relative)).toString();
    // The few colours of a dark theme the map reads, as VS Code sets them on a webview's root.
    fs.writeFileSync(
      path.join(folder, 'theme.css'),
      `:root { ${Object.entries(THEME)
        .map(([name, value]) => `--vscode-${name}: ${value};`)
        .join(' ')} }`,
    );
    const html = mapPageHtml({
      cspSource: 'file:',
      nonce: 'page-test-nonce',
      scriptUri: url('dist/webview/flowMap.js'),
      styleUris: [pathToFileURL(path.join(folder, 'theme.css')).toString(), url('media/webview.css'), url('media/flowMap.css')],
    });
    fs.writeFileSync(path.join(folder, 'map.html'), html);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    // What VS Code gives a webview: a way to post to the extension, here kept for the test to read.
    await page.addInitScript(() => {
      const posted: unknown[] = [];
      Object.assign(window, {
        posted,
        acquireVsCodeApi: () => ({
          postMessage: (message: unknown) => posted.push(message),
          getState: () => undefined,
          setState: () => undefined,
        }),
      });
    });
    await page.goto(pathToFileURL(path.join(folder, 'map.html')).toString());
    await page.waitForFunction(() => (window as unknown as { posted: MapRequest[] }).posted.some((request) => request.type === 'ready'));
  });

  // Whatever a test did, the page broke neither its own policy nor anything else.
  afterEach(() => assert.deepEqual(errors.splice(0), [], 'the page logged errors'));

  after(async () => {
    await browser?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const show = (view: MapView) => page.evaluate((sent) => window.postMessage({ type: 'view', view: sent }, '*'), view);
  /** Shows flow `name` of `source` as the extension would, with the test user as `user` says. */
  async function showFlow(
    name: string,
    source: string,
    user: Pick<MapView, 'here' | 'userId'> & { trail?: string[] } = {},
  ): Promise<MapView> {
    const graph = flowDetail(botOf({ [name]: source }), `file:///bot/flows/${name}.csml`);
    assert.ok(graph);
    const view: MapView = { level: 'flow', mapKey: `flow ${name}`, title: `Flow ${name}`, graph, trail: [], ...user };
    await show(view);
    await page.locator('#title', { hasText: `Flow ${name}` }).waitFor();
    return view;
  }
  const posted = () => page.evaluate(() => (window as unknown as { posted: MapRequest[] }).posted);

  it('shows a bot too costly to lay out whole around one flow, lists every flow, and shows a flow found with Enter', async () => {
    const graph = botOverview(largeBot());
    await show({
      level: 'bot',
      mapKey: 'bot large',
      title: 'Large: 130 flows',
      graph,
      trail: [],
      around: 'flow:file:///bot/flows/F10.csml',
    });
    await page.locator('g.node.flow[aria-label="Flow F10"]').waitFor();
    assert.match((await page.locator('#note').textContent()) ?? '', /The bot's 130 flows are too many, or too linked, to draw at once/);
    // F10 with the flows it goes to (F11, F73) and comes from (F9, F1).
    assert.deepEqual(
      (await page.locator('g.node.flow').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label')))).sort(),
      ['Flow F1', 'Flow F10', 'Flow F11', 'Flow F73', 'Flow F9'],
    );
    assert.equal(await page.locator('#list > li').count(), 130);

    // A flow not drawn, found by one of its steps: Enter shows it with its neighbours, the keyboard on it.
    const find = page.getByRole('searchbox', { name: 'Find a step or flow' });
    // Counted over the whole bot: F1, F10 to F19 and F100 to F129, drawn or not.
    await find.fill('F1');
    assert.equal(await page.locator('#found').textContent(), '41 found, 38 not drawn');
    await find.fill('step_77');
    assert.equal(await page.locator('#found').textContent(), '1 found, 1 not drawn');
    await page.getByRole('searchbox', { name: 'Find a step or flow' }).press('Enter');
    await page.locator('g.node.flow.found[aria-label="Flow F77"]').waitFor();
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'flow:file:///bot/flows/F77.csml');
    assert.equal(await page.locator('g.node.flow[aria-label="Flow F10"]').count(), 0);
    // Enter on a flow asks the extension to open it up.
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted()).at(-1), { type: 'open', nodeId: 'flow:file:///bot/flows/F77.csml' });
  });

  it('is one Tab stop, whose arrow keys go from node to node and Home to the test user', async () => {
    const view = await showFlow(
      'Main',
      'start:\n  goto ask\nask:\n  if (event.match("a")) { goto left }\n  goto right\nleft:\n  goto end\nright:\n  goto end\n',
      { here: 'step:right', userId: 'bob', trail: ['step:right', 'step:ask'] },
    );
    assert.deepEqual(await page.locator('g.node[tabindex="0"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id'))), [
      'step:right',
    ]);
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id);
    // The list comes before the drawing; past it, Tab reaches the drawing at the test user's step.
    await page.getByRole('button', { name: 'Export SVG…' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'The map as a list');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'step:right');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'step:ask');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'step:start');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'step:ask');
    // Below ask, left and right share a rank: the one nearer in line is next.
    const centreX = (id: string) =>
      page.locator(`g.node[data-id="${id}"]`).evaluate((group) => {
        const [, x] = /translate\(([-\d.]+)/.exec(group.getAttribute('transform') ?? '') ?? [];
        return Number(x) + Number(group.querySelector('rect')?.getAttribute('width')) / 2;
      });
    const ask = await centreX('step:ask');
    const nearer =
      Math.abs((await centreX('step:left')) - ask) <= Math.abs((await centreX('step:right')) - ask) ? 'step:left' : 'step:right';
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), nearer);
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'step:right');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('#canvas') ?? null), null, 'Tab stayed in the drawing');
    // The end of the conversation is a picture, not a button: Enter there asks nothing.
    const before = (await posted()).length;
    await page.locator('g.node.end').first().focus();
    await page.keyboard.press('Enter');
    assert.equal((await posted()).length, before);
    assert.equal(await page.locator('g.node.end').first().getAttribute('role'), 'img');
    // The list tells what the drawing shows.
    assert.match((await page.locator('#list').textContent()) ?? '', /ask \(bob came this way\) → left, right/);
    assert.match((await page.locator('#list').textContent()) ?? '', /right \(bob is here\) → end/);

    // bob moves on while the keyboard is elsewhere: Tab comes back in at his new step.
    await page.getByRole('button', { name: 'Export SVG…' }).focus();
    await show({ ...view, here: 'step:left', trail: ['step:left', 'step:ask'] });
    await page.locator('g.node.here[data-id="step:left"]').waitFor();
    await page.locator('.as-list summary').focus();
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'step:left');
    // His name is on a badge over every node, not under a neighbour.
    assert.equal(await page.locator('#scene > g.who').textContent(), '● bob');
    assert.equal(await page.evaluate(() => document.querySelector('#scene')?.lastElementChild?.getAttribute('class')), 'who');
    // The map goes with him into other flows until Follow is turned off.
    const follow = page.getByRole('button', { name: 'Follow bob' });
    assert.equal(await follow.getAttribute('aria-pressed'), 'true');
    await follow.click();
    assert.deepEqual((await posted()).at(-1), { type: 'follow', on: false });
    assert.equal(await follow.getAttribute('aria-pressed'), 'false');
    // The list, closed, leaves the drawing the page's width.
    const width = (await page.locator('#canvas').boundingBox())?.width ?? 0;
    assert.ok(width > 900, `the closed list leaves the drawing ${width} px of 1000`);
  });

  it('draws a flow that goes to every other one with its own links only, the rest of its neighbours in the list', async () => {
    const flows = 400;
    const menu = Array.from({ length: flows }, (_, i) => `  if (event.match("${i}")) { goto @F${i} }`).join('\n');
    const bot = botOf({
      Main: `start:\n${menu}\n  goto end\n`,
      ...Object.fromEntries(Array.from({ length: flows }, (_, i) => [`F${i}`, `start:\n  goto @F${(i + 1) % flows}\n  goto @Main\n`])),
    });
    const started = Date.now();
    await show({
      level: 'bot',
      mapKey: 'bot menu',
      title: 'Menu',
      graph: botOverview(bot),
      trail: [],
      around: 'flow:file:///bot/flows/Main.csml',
    });
    await page.locator('#title', { hasText: 'Menu' }).waitFor();
    // Laid out in a moment, not minutes: the flow itself, and the first 100 of the 400 it links with.
    assert.ok(Date.now() - started < 10_000, `the map took ${Date.now() - started} ms`);
    assert.equal(await page.locator('g.node.flow').count(), 101);
    assert.equal(await page.locator('path.edge').count(), 200);
    assert.match((await page.locator('#note').textContent()) ?? '', /300 more flows it links with are in the list, not drawn\./);
    assert.equal(await page.locator('#list > li').count(), flows + 1);
  });

  it('keeps the reader where they are when the same map is sent again: the view, and the keyboard in the list', async () => {
    const view = await showFlow('Kept', 'start:\n  goto ask\nask:\n  goto end\n');
    const transform = () => page.locator('#scene').getAttribute('transform');
    // Panned by keyboard, then the same map redrawn (a poll, an edit elsewhere): the view stays.
    await page.locator('g.node[data-id="step:ask"]').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
    const panned = await transform();
    await show({ ...view, trail: ['step:ask'] });
    await page.locator('g.node.trail[data-id="step:ask"]').waitFor();
    assert.equal(await transform(), panned);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'step:ask');
    // In the list: a redraw that changes what it says gives the keyboard back to the same entry.
    await page.locator('.as-list summary').click();
    await page.locator('#list button[data-id="step:start"]').focus();
    await show({ ...view, trail: [], here: 'step:start', userId: 'bob' });
    await page.locator('#list', { hasText: 'start (bob is here)' }).waitFor();
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'step:start');
    await page.locator('.as-list summary').click();
  });

  it('shows where the keyboard is over every other mark, and exports the drawing as it looks without breaking its policy', async () => {
    await showFlow('Marks', 'start:\n  goto ask\nask:\n  goto end\n', {
      here: 'step:ask',
      userId: 'bob',
      trail: ['step:ask', 'step:start'],
    });
    const stroke = (id: string) =>
      page.locator(`g.node[data-id="${id}"] rect`).evaluate((rect) => {
        const style = getComputedStyle(rect);
        return `${style.stroke} ${style.strokeWidth}`;
      });
    const unfocused = { here: await stroke('step:ask'), trail: await stroke('step:start') };
    await page.locator('g.node[data-id="step:ask"]').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    const focusRing = await stroke('step:ask');
    assert.notEqual(focusRing, unfocused.here, 'the focused node looks as it did unfocused');
    await page.keyboard.press('ArrowUp');
    assert.notEqual(await stroke('step:start'), unfocused.trail);
    assert.equal(await stroke('step:start'), focusRing, 'the focus looks different on different nodes');

    await page.getByRole('button', { name: 'Export SVG…' }).click();
    const exported = (await posted()).at(-1);
    assert.equal(exported?.type, 'exportSvg');
    const file = exported?.type === 'exportSvg' ? exported.svg : '';
    assert.match(file, /<rect [^>]*fill="rgb[^"]*" stroke="rgb/, 'the nodes lost their colours');
    assert.match(file, />ask</);
    assert.doesNotMatch(file, /style=|data-id|tabindex|aria-label|role=|class=|file:/);
  });
});
