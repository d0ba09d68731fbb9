// Helpers for UI tests: a real VS Code workbench (code-server) in headless Chromium, driven the way
// a person uses it: the command palette, quick inputs, notifications, the status bar, tree views.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, newWorkbenchContext } from '../host/browser';
import { CodeServer, startCodeServer, UNNEEDED_BUILTIN_EXTENSIONS } from '../host/codeServer';

export interface OpenWorkbenchOptions {
  /** Folder the workbench opens. */
  folder: string;
  /** Packaged extensions (.vsix) installed before the server starts. */
  extensions?: string[];
  userSettings?: object;
  /** Environment of the server and so of the extension host. */
  env?: Record<string, string>;
  /** Open the folder in Restricted Mode: workspace trust on, nobody asked, nobody trusted it yet. */
  restrictedMode?: boolean;
  /** How long to wait for the workbench to be ready. Default 90 s. */
  timeoutMs?: number;
}

export interface Workbench {
  page: Page;
  server: CodeServer;
  browser: Browser;
  /** Closes the browser, stops the server and removes their temp folders. */
  close(): Promise<void>;
}

export interface Notification {
  message: string;
  severity: 'info' | 'warning' | 'error' | 'unknown';
  /** Texts of the buttons the notification offers. */
  actions: string[];
}

export interface StatusBarEntry {
  /** The DOM id: `<publisher>.<extension name>.<item id>` for an item an extension created with an id. */
  id: string;
  text: string;
  /** Accessibility label (the item's text when it sets none). */
  ariaLabel: string;
}

const DEFAULT_TIMEOUT_MS = 90_000;

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .monaco-list-row`;
const TOAST = '.notifications-toasts .notification-toast';

/** Opens `folder` in a fresh code-server (with `extensions` installed) in a fresh headless Chromium. */
export async function openWorkbench(opts: OpenWorkbenchOptions): Promise<Workbench> {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const folder = path.resolve(opts.folder);
  const [server, browser] = await Promise.allSettled([
    startCodeServer({
      workspaceFolder: folder,
      extensionsToInstall: opts.extensions,
      userSettings: opts.userSettings,
      env: opts.env,
      restrictedMode: opts.restrictedMode,
      disableExtensions: UNNEEDED_BUILTIN_EXTENSIONS,
    }),
    launchChromium(),
  ]);
  if (server.status === 'rejected' || browser.status === 'rejected') {
    if (server.status === 'fulfilled') await server.value.stop();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw server.status === 'rejected' ? server.reason : (browser as PromiseRejectedResult).reason;
  }
  const close = async () => {
    await browser.value.close().catch(() => undefined);
    await server.value.stop();
  };
  try {
    const page = await (await newWorkbenchContext(browser.value)).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${server.value.url}/?folder=${encodeURIComponent(folder.split(path.sep).join('/'))}`, {
      waitUntil: 'domcontentloaded',
      timeout,
    });
    await waitForWorkbench(page, timeout);
    return { page, server: server.value, browser: browser.value, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Waits until the workbench shows its status bar and its extension host is up. */
export async function waitForWorkbench(page: Page, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  // The remote indicator is the first status bar entry; it is rendered once the host connection is made.
  await page.locator('#status\\.host').waitFor({ state: 'attached', timeout: timeoutMs });
}

/**
 * Runs a command from the palette the way a person does: F1, type the title as the palette shows it
 * (`Category: Title`), Enter. Fails when no palette row carries exactly that label.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openQuickInput(page, 'F1');
  // One input event for the whole title, as when pasting it: each typed key would filter and redraw
  // the list of every command again, which costs seconds on a small machine and checks nothing more.
  await page.keyboard.insertText(title);
  const row = quickInputRow(page, title);
  try {
    await row.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    const shown = await quickInputItems(page).catch(() => []);
    const typed = await page
      .locator(QUICK_INPUT_BOX)
      .inputValue()
      .catch(() => '?');
    await page.keyboard.press('Escape');
    throw new Error(`no command titled "${title}" in the palette (input ${JSON.stringify(typed)}); it lists: ${JSON.stringify(shown)}`);
  }
  if (await row.evaluate((el) => el.classList.contains('focused'))) {
    await page.keyboard.press('Enter');
  } else {
    await row.click(); // another command ranks first: pick the one asked for
  }
  // The palette is done once it closes, or once the command opened a quick input of its own.
  await page.waitForFunction((selector) => {
    const input = document.querySelector<HTMLInputElement>(selector);
    return !input || input.offsetParent === null || !input.value.startsWith('>');
  }, QUICK_INPUT_BOX);
}

/**
 * The command palette's rows for `text` (typed as one input event), read once the palette has
 * filtered for it (its first row then shows the characters it matched highlighted, or, when no
 * title matches, is one of the "similar commands" it offers instead), then the palette is closed:
 * what a person would see offered.
 */
export async function paletteCommands(page: Page, text: string): Promise<string[]> {
  await openQuickInput(page, 'F1');
  await page.keyboard.insertText(text);
  const filtered = () =>
    page
      .locator(QUICK_INPUT_ROW)
      .evaluateAll(
        (rows) =>
          rows.length === 0 ||
          rows[0].querySelector('.label-name .highlight') !== null ||
          /similar commands$/.test(rows[0].getAttribute('aria-label') ?? ''),
      );
  const deadline = Date.now() + 10_000;
  while (!(await filtered())) {
    if (Date.now() > deadline) {
      const rows = await quickInputItems(page);
      await page.keyboard.press('Escape');
      throw new Error(`the palette did not filter for ${JSON.stringify(text)}; it lists: ${JSON.stringify(rows.slice(0, 5))}`);
    }
    await page.waitForTimeout(100);
  }
  const rows = await quickInputItems(page);
  await page.keyboard.press('Escape');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
  return rows;
}

/**
 * Types into the quick input that is open (an input box or a quick pick), then presses Enter
 * unless `submit` is false.
 */
export async function typeInQuickInput(page: Page, text: string, opts: { submit?: boolean } = {}): Promise<void> {
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  if (opts.submit !== false) await input.press('Enter');
}

/** Picks the row labelled `label` in the open quick pick. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const row = quickInputRow(page, label);
  await row.waitFor({ state: 'visible' });
  await row.click();
}

/** Labels of the rows the open quick input lists. */
export async function quickInputItems(page: Page): Promise<string[]> {
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible' });
  return page
    .locator(QUICK_INPUT_ROW)
    .evaluateAll((rows) => rows.map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim()));
}

/** The prompt or validation message the open quick input shows. */
export async function quickInputMessage(page: Page): Promise<string> {
  const message = page.locator(`${QUICK_INPUT} .quick-input-message`);
  return (await message.count()) ? (await message.innerText()).trim() : '';
}

function quickInputRow(page: Page, label: string): Locator {
  return page
    .locator(QUICK_INPUT_ROW)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

async function openQuickInput(page: Page, key: string): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  }
  await page.keyboard.press(key);
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible' });
  await page.waitForFunction((selector) => document.activeElement === document.querySelector(selector), QUICK_INPUT_BOX);
}

/**
 * The notifications shown as toasts right now (newest first). Toasts hide themselves after a while;
 * `notificationCenter` lists every notification not yet dismissed.
 */
export async function notifications(page: Page): Promise<Notification[]> {
  return readNotifications(page.locator(TOAST));
}

/** Every notification not yet dismissed, read from the notification center (opened, then closed). */
export async function notificationCenter(page: Page): Promise<Notification[]> {
  const center = page.locator('.notifications-center');
  const wasVisible = await center.isVisible();
  if (!wasVisible) await runCommand(page, 'Notifications: Show Notifications');
  await center.waitFor({ state: 'visible' });
  const list = await readNotifications(center.locator('.notifications-list-container .monaco-list-row'));
  if (!wasVisible) await runCommand(page, 'Notifications: Hide Notifications');
  return list;
}

function readNotifications(items: Locator): Promise<Notification[]> {
  return items.evaluateAll((toasts) =>
    toasts.map((toast) => {
      const icon = toast.querySelector('.notification-list-item-icon')?.className ?? '';
      const severity = /codicon-error/.test(icon)
        ? 'error'
        : /codicon-warning/.test(icon)
          ? 'warning'
          : /codicon-info/.test(icon)
            ? 'info'
            : 'unknown';
      return {
        message: (toast.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
        severity: severity,
        actions: Array.from(toast.querySelectorAll('.notification-list-item-buttons-container .monaco-button')).map((b) =>
          (b.textContent ?? '').trim(),
        ),
      };
    }),
  );
}

/** Waits for a toast whose message contains `match` (or matches it) and returns it. */
export async function waitForNotification(page: Page, match: string | RegExp, timeoutMs = 20_000): Promise<Notification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await notifications(page);
    const found = shown.find((n) => (typeof match === 'string' ? n.message.includes(match) : match.test(n.message)));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = shown.map((n) => `  [${n.severity}] ${n.message}`).join('\n') || '  (none)';
      throw new Error(`no notification matching ${String(match)} within ${timeoutMs} ms; shown:\n${seen}`);
    }
    await page.waitForTimeout(100);
  }
}

/** Clicks a button of the toast whose message contains `match`. */
export async function clickNotificationAction(page: Page, match: string | RegExp, action: string): Promise<void> {
  const toast = page.locator(TOAST).filter({ hasText: match }).first();
  await toast.getByRole('button', { name: action, exact: true }).click();
}

/** A modal dialog as it reads: message, detail, and its buttons left to right. */
export interface Dialog {
  message: string;
  detail: string;
  buttons: string[];
}

const DIALOG = '.monaco-dialog-box';

/** Waits for a modal dialog and reads it. */
export async function waitForDialog(page: Page, timeoutMs = 20_000): Promise<Dialog> {
  const dialog = page.locator(DIALOG).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  return dialog.evaluate((box) => ({
    message: (box.querySelector('.dialog-message-text')?.textContent ?? '').trim(),
    detail: (box.querySelector('.dialog-message-detail')?.textContent ?? '').trim(),
    buttons: Array.from(box.querySelectorAll('.dialog-buttons .monaco-button')).map((b) => (b.textContent ?? '').trim()),
  }));
}

/** Clicks a button of the open modal dialog and waits until the dialog is gone. */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  const dialog = page.locator(DIALOG).first();
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Every status bar entry, left to right. */
export async function statusBarItems(page: Page): Promise<StatusBarEntry[]> {
  return page.locator('.statusbar-item').evaluateAll((items) =>
    items.map((item) => ({
      id: item.id,
      text: (item as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
      ariaLabel: item.getAttribute('aria-label') ?? '',
    })),
  );
}

/**
 * The status bar entry an extension created with `createStatusBarItem(itemId, ...)`: its element id
 * is `<extension id>.<item id>`, e.g. `publisher.name.itemId`.
 */
export function statusBarItem(page: Page, extensionId: string, itemId: string): Locator {
  return page.locator(`.statusbar-item[id="${cssString(`${extensionId}.${itemId}`)}"]`);
}

/** Waits until that entry is shown and its text matches, and returns the text. */
export async function waitForStatusBarText(
  page: Page,
  extensionId: string,
  itemId: string,
  match: string | RegExp = /./,
  timeoutMs = 20_000,
): Promise<string> {
  const item = statusBarItem(page, extensionId, itemId);
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    if (await item.isVisible()) {
      text = (await item.innerText()).replace(/\s+/g, ' ').trim();
      if (typeof match === 'string' ? text.includes(match) : match.test(text)) return text;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `status bar item ${extensionId}.${itemId} did not show ${String(match)} within ${timeoutMs} ms ` +
          `(last text: ${JSON.stringify(text)})`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/** The tooltip of a status bar entry, read by hovering it (extensions' tooltips are not in the DOM before). */
export async function statusBarTooltip(page: Page, extensionId: string, itemId: string): Promise<string> {
  await statusBarItem(page, extensionId, itemId).hover();
  const hover = page.locator('.monaco-hover, .workbench-hover').last();
  await hover.waitFor({ state: 'visible' });
  return (await hover.innerText()).trim();
}

/**
 * A tree row by its accessible name (role `treeitem`). The name is the row's label, or the
 * `accessibilityInformation.label` the extension gave; pass a RegExp to match part of it.
 * Give `view` (the view's title) to look in that view only.
 */
export function treeItem(page: Page, name: string | RegExp, opts: { view?: string } = {}): Locator {
  const scope = opts.view ? viewPane(page, opts.view) : page;
  return scope.getByRole('treeitem', { name, exact: typeof name === 'string' }).first();
}

/** Accessible names of the rows a view shows (only rendered rows: a long tree is virtualised). */
export async function treeItemNames(page: Page, view: string): Promise<string[]> {
  return viewPane(page, view)
    .getByRole('treeitem')
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-label') ?? (r as HTMLElement).innerText).trim()));
}

/** The pane of a view, found by the title its header shows. */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.pane').filter({
    has: page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i') }) }),
  });
}

/** Saves a screenshot of the page, creating the folder when needed. */
export async function screenshot(page: Page, file: string): Promise<string> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await page.screenshot({ path: target });
  return target;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
