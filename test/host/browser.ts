// Debian's Chromium, driven by playwright-core. Playwright never downloads a browser here:
// playwright-core has no download step, and the executable is always given explicitly.
import * as fs from 'fs';
import { Browser, chromium } from 'playwright-core';

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
 * user-data folder in the temp folder, removed again by `browser.close()`.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || CHROMIUM_PATH;
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: run scripts/setup-vscode-host.sh (it installs Debian's chromium)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
