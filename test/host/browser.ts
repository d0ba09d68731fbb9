// Debian's Chromium, driven by playwright-core or started directly. Playwright never downloads a
// browser here: playwright-core has no download step, and the executable is always given explicitly.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, BrowserContext, chromium } from 'playwright-core';
import { forEachLine, signalGroup } from './processes';

/** Where the Debian package `chromium` puts the browser (scripts/setup-vscode-host.sh installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine without internet and let it run as root in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A headless Chromium with a fresh profile: plain `launch` gives each browser its own new
 * user-data folder in the temp folder. Chromium's crash-report database follows XDG_CONFIG_HOME,
 * not the profile, so that points into a temp folder too (else it lands in the home folder).
 * `browser.close()` removes both.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  const home = newChromiumHome();
  try {
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, env: home.env });
    browser.on('disconnected', () => home.remove());
    return browser;
  } catch (err) {
    home.remove();
    throw err;
  }
}

function chromiumExecutable(): string {
  const executablePath = process.env.CHROMIUM_PATH || CHROMIUM_PATH;
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: run scripts/setup-vscode-host.sh (it installs Debian's chromium)`);
  }
  return executablePath;
}

/** A temp folder for one browser: its environment points the XDG folders there; remove() deletes it. */
function newChromiumHome(): { folder: string; env: NodeJS.ProcessEnv; remove(): void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-home-'));
  return {
    folder,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(folder, 'config'), XDG_CACHE_HOME: path.join(folder, 'cache') },
    remove: () => fs.rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * A new context for a workbench page. It asks for uncompressed responses: over loopback that is
 * faster than the server compressing its ~19 MB of scripts for every fresh page.
 */
export async function newWorkbenchContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    extraHTTPHeaders: { 'Accept-Encoding': 'identity' },
  });
}

export interface HeadlessPage {
  /** Resolves with the exit code (or signal name) when Chromium ends. */
  readonly exited: Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens one URL in a headless Chromium started directly, with no automation protocol attached: for
 * a page that only has to run (an extension host's tests), where that protocol's traffic would cost
 * more CPU than the page. A fresh profile in a temp folder, removed by close().
 * `onConsole` receives Chromium's own log lines, which include the page's console messages.
 */
export function openHeadlessPage(url: string, opts: { width: number; height: number; onConsole?: (line: string) => void }): HeadlessPage {
  const executablePath = chromiumExecutable();
  const home = newChromiumHome();
  const args = [
    '--headless',
    ...CHROMIUM_ARGS,
    `--user-data-dir=${path.join(home.folder, 'profile')}`,
    `--window-size=${opts.width},${opts.height}`,
    ...(opts.onConsole ? ['--enable-logging=stderr', '--v=0'] : []),
    url,
  ];
  const child = spawn(executablePath, args, {
    detached: true, // its own process group, so close() ends the renderers and helpers too
    stdio: ['ignore', 'ignore', opts.onConsole ? 'pipe' : 'ignore'],
    env: home.env,
  });
  if (opts.onConsole && child.stderr) forEachLine(child.stderr, opts.onConsole);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      signalGroup(child.pid, 'SIGKILL');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      home.remove();
    })());
  return { exited, close };
}
