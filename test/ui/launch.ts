// The UI suite's session: a local Studio emulator in this process, a fresh copy of the sample bot whose
// `.env` holds the emulator's key and secret, and one workbench (code-server in headless Chromium) with
// the packaged extension installed. The extension host reaches the emulator over loopback.
// The folder opens in Restricted Mode, and its `.vscode/settings.json` points the Studio address at a
// second emulator: the one a repository's author would choose, not the user.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { sampleEmulatorOptions } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { repoRoot } from '../host/codeServer';
import { openWorkbench, Workbench } from './workbench';

export const EXTENSION_ID = 'csml-conversations.csml-conversations';
/** The id the extension gives its status bar item (src/ui/statusBar.ts). */
export const STATUS_ITEM_ID = 'csml.pinnedUser';
/** What the UI suite's `.env` holds; its emulator accepts exactly these. */
export const UI_CREDENTIALS = { apiKey: 'ui-suite-key', apiSecret: 'ui-suite-secret-9QZ' };
/** A second API channel of the same bot, for a second credentials profile. */
export const UI_SECOND_CHANNEL = { apiKey: 'ui-suite-second-key', apiSecret: 'ui-suite-second-secret-4TW' };

/** Where the suite saves its screenshots (git-ignored). */
export const RESULTS_DIR = path.join(repoRoot(), 'test-results', 'ui');
/**
 * Where the README's screenshots are written: test-results/ on an ordinary run, so tests leave the tracked
 * tree alone; media/ itself with UPDATE_SCREENSHOTS=1 (`UPDATE_SCREENSHOTS=1 npm run test:ui`).
 */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot(), 'media') : RESULTS_DIR;

export interface UiSession {
  readonly workbench: Workbench;
  readonly page: Page;
  /** The Studio the user settings name. */
  readonly emulator: StudioEmulator;
  /** The Studio the workspace's `.vscode/settings.json` names when the session starts. */
  readonly workspaceEmulator: StudioEmulator;
  /** The workspace folder the workbench opened. */
  readonly folder: string;
  close(): Promise<void>;
}

/** The packaged extension; `npm run vsix` makes it. */
export function packagedExtension(): string {
  const vsix = path.join(repoRoot(), 'csml-conversations.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run vsix" first`);
  return vsix;
}

/**
 * The sample bot as the Studio CLI lays it out, with a `.env`, in a folder named like a real project
 * (the name shows in the window title and so in the screenshots).
 */
export function makeWorkspace(
  credentials: { apiKey: string; apiSecret: string },
  settings: object = {},
): { folder: string; remove(): void } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-ui-'));
  const folder = path.join(parent, 'pizza-helper');
  fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'sample-bot'), folder, { recursive: true });
  fs.writeFileSync(path.join(folder, '.env'), `API_KEY=${credentials.apiKey}\nAPI_SECRET=${credentials.apiSecret}\n`, { mode: 0o600 });
  if (Object.keys(settings).length) {
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(workspaceSettingsFile(folder), JSON.stringify(settings, null, 2));
  }
  return { folder, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

export function workspaceSettingsFile(folder: string): string {
  return path.join(folder, '.vscode', 'settings.json');
}

/** Starts everything the suite drives; close() stops it all, whatever failed on the way. */
export async function startUiSession(): Promise<UiSession> {
  const vsix = packagedExtension();
  const emulator = new StudioEmulator({ ...UI_CREDENTIALS, otherChannels: [UI_SECOND_CHANNEL], ...sampleEmulatorOptions() });
  const workspaceEmulator = new StudioEmulator({ ...UI_CREDENTIALS, ...sampleEmulatorOptions() });
  await Promise.all([emulator.start(), workspaceEmulator.start()]);
  const stopEmulators = () => Promise.all([emulator.stop(), workspaceEmulator.stop()]).catch(() => undefined);
  const workspace = makeWorkspace(UI_CREDENTIALS, { 'csml.apiBaseUrl': workspaceEmulator.baseUrl });
  let workbench: Workbench;
  try {
    workbench = await openWorkbench({
      folder: workspace.folder,
      extensions: [vsix],
      restrictedMode: true,
      // User settings: a Studio address set by the workspace would first ask for confirmation.
      userSettings: {
        'csml.apiBaseUrl': emulator.baseUrl,
        'csml.pollIntervalSeconds': 1,
        // Keeps the screenshots free of things that have nothing to do with the extension.
        'workbench.colorTheme': 'Default Light Modern',
        'editor.minimap.enabled': false,
        'window.commandCenter': true,
        'breadcrumbs.enabled': false,
        'workbench.editor.enablePreview': false,
        'editor.occurrencesHighlight': 'off',
        'remote.autoForwardPorts': false,
        'editor.mouseWheelZoom': true,
      },
    });
  } catch (err) {
    workspace.remove();
    await stopEmulators();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    workbench,
    page: workbench.page,
    emulator,
    workspaceEmulator,
    folder: workspace.folder,
    close: () =>
      (closed ??= (async () => {
        await workbench.close().catch(() => undefined);
        await stopEmulators();
        workspace.remove();
      })()),
  };
}

/** The 1-based line of a step's label in a flow of the sample bot, as the editor's "Ln" shows it. */
export function stepLineInFixture(flow: string, step: string): number {
  const file = path.join(repoRoot(), 'test', 'fixtures', 'sample-bot', 'flows', `${flow}.csml`);
  const index = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .findIndex((line) => line.startsWith(`${step}:`));
  if (index < 0) throw new Error(`no label "${step}:" at the start of a line in ${file}`);
  return index + 1;
}
