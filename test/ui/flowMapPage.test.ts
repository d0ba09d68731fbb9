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

describe('The flow map page', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let folder: string;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-map-page-'));
    const url = (relative: string) => pathToFileURL(path.join(repoRoot(), relative)).toString();
    const html = mapPageHtml({
      cspSource: 'file:',
      nonce: 'page-test-nonce',
      scriptUri: url('dist/webview/flowMap.js'),
      styleUris: [url('media/webview.css'), url('media/flowMap.css')],
    });
    fs.writeFileSync(path.join(folder, 'map.html'), html);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
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
    assert.deepEqual(refused, [], 'the page broke its own policy');
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const show = (view: MapView) => page.evaluate((sent) => window.postMessage({ type: 'view', view: sent }, '*'), view);
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
    assert.match((await page.locator('#note').textContent()) ?? '', /130 flows are too many to draw at once/);
    // F10 with the flows it goes to (F11, F73) and comes from (F9, F1).
    assert.deepEqual(
      (await page.locator('g.node.flow').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label')))).sort(),
      ['Flow F1', 'Flow F10', 'Flow F11', 'Flow F73', 'Flow F9'],
    );
    assert.equal(await page.locator('#list > li').count(), 130);

    // A flow not drawn, found by one of its steps: Enter shows it with its neighbours, the keyboard on it.
    await page.getByRole('searchbox', { name: 'Find a step or flow' }).fill('step_77');
    assert.equal(await page.locator('#found').textContent(), '1 found (1 not drawn: Enter shows the first)');
    await page.getByRole('searchbox', { name: 'Find a step or flow' }).press('Enter');
    await page.locator('g.node.flow.found[aria-label="Flow F77"]').waitFor();
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'flow:file:///bot/flows/F77.csml');
    assert.equal(await page.locator('g.node.flow[aria-label="Flow F10"]').count(), 0);
    // Enter on a flow asks the extension to open it up.
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted()).at(-1), { type: 'open', nodeId: 'flow:file:///bot/flows/F77.csml' });
  });

  it('is one Tab stop, whose arrow keys go from node to node and Home to the test user', async () => {
    const bot = botOf({
      Main: 'start:\n  goto ask\nask:\n  if (event.match("a")) { goto left }\n  goto right\nleft:\n  goto end\nright:\n  goto end\n',
    });
    const graph = flowDetail(bot, 'file:///bot/flows/Main.csml');
    assert.ok(graph);
    await show({
      level: 'flow',
      mapKey: 'flow Main',
      title: 'Flow Main',
      graph,
      here: 'step:right',
      userId: 'bob',
      trail: ['step:right', 'step:ask'],
    });
    await page.locator('#title', { hasText: 'Flow Main' }).waitFor();
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
    await page.keyboard.press('ArrowDown');
    const below = await focused();
    assert.ok(below === 'step:left' || below === 'step:right', `ArrowDown from ask went to ${String(below)}`);
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
  });
});
