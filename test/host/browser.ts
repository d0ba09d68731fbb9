// Debian's Chromium, driven by playwright-core or started directly. Playwright never downloads a
// browser here: playwright-core has no download step, and the executable is always given explicitly.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, BrowserContext, chromium } from 'playwright-core';

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
  const executablePath = process.env.CHROMIUM_PATH || CHROMIUM_PATH;
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: run scripts/setup-vscode-host.sh (it installs Debian's chromium)`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-home-'));
  const removeHome = () => fs.rmSync(home, { recursive: true, force: true });
  try {
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
    });
    browser.on('disconnected', removeHome);
    return browser;
  } catch (err) {
    removeHome();
    throw err;
  }
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
  const executablePath = process.env.CHROMIUM_PATH || CHROMIUM_PATH;
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: run scripts/setup-vscode-host.sh (it installs Debian's chromium)`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-home-'));
  const args = [
    '--headless',
    ...CHROMIUM_ARGS,
    `--user-data-dir=${path.join(home, 'profile')}`,
    `--window-size=${opts.width},${opts.height}`,
    ...(opts.onConsole ? ['--enable-logging=stderr', '--v=0'] : []),
    url,
  ];
  const child = spawn(executablePath, args, {
    detached: true, // its own process group, so close() ends the renderers and helpers too
    stdio: ['ignore', 'ignore', opts.onConsole ? 'pipe' : 'ignore'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
  });
  if (opts.onConsole && child.stderr) {
    let rest = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (rest + chunk).split(/\r?\n/);
      rest = lines.pop() ?? '';
      lines.forEach((line) => opts.onConsole?.(line));
    });
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      fs.rmSync(home, { recursive: true, force: true });
    })());
  return { exited, close };
}
