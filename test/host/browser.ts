// Debian's Chromium, driven by playwright-core. Playwright never downloads a browser here:
// playwright-core has no download step, and the executable is always given explicitly.
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
 * faster than the server compressing its ~19 MB of scripts for every fresh page. Chromium renders
 * in software here, so a page nobody looks at gets a small viewport.
 */
export async function newWorkbenchContext(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    extraHTTPHeaders: { 'Accept-Encoding': 'identity' },
  });
}
