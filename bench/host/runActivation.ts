/**
 * Starts a real VS Code (code-server + Chromium, test/host) on a workspace without .csml files and
 * runs the activation probe in its extension host; returns what the probe measured.
 *
 * The extension is copied once to a temp folder (package.json, media/, the compiled out/ with the probe,
 * the sample bot fixtures) and the project's esbuild.js writes its dist/ there, so the figures never
 * depend on whatever the repository's dist/ holds at the moment. Several starts share that copy, as
 * every window of a user's VS Code starts the one installed extension; each start is checked to leave
 * dist/ as it found it, so every start loads the same files the same way. 'production' (the default)
 * is the minified bundle the .vsix ships (`node esbuild.js --production`), 'development' the
 * `node esbuild.js` build.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerInstall, freePort, repoRoot } from '../../test/host/codeServer';
import { runExtensionTests } from '../../test/host/runExtensionTests';
import { buildProductionBundle } from '../productionBuild';
import { ENV, ProbeResult } from './probeProtocol';

const CREDENTIALS = { apiKey: 'bench-activation-key', apiSecret: 'bench-activation-secret-0123' };

export type BundleKind = 'production' | 'development';

/** Optional: the path of a bundle to measure instead of building one (for trying a change to the build). */
export const CANDIDATE_BUNDLE = 'CSML_BENCH_BUNDLE';

export interface ActivationRun {
  readonly result: ProbeResult;
  readonly bundle: BundleKind;
  /** What activation loads: package.json "main", dist/extension.js. */
  readonly bundleBytes: number;
  /** Whole run: server and browser start, workbench load, probe. */
  readonly wallSeconds: number;
}

/** The extension installed once, as the .vsix holds it, for several host starts. */
export interface InstalledExtension {
  readonly folder: string;
  readonly kind: BundleKind;
  remove(): void;
}

export function installExtensionCopy(kind: BundleKind = 'production'): InstalledExtension {
  const root = repoRoot();
  codeServerInstall(); // throws with the setup command when the host is not installed
  for (const compiled of ['out/bench/host/activationProbe.js', 'out/test/emulator/studioEmulator.js']) {
    if (!fs.existsSync(path.join(root, compiled))) throw new Error(`${compiled} is missing: run \`npx tsc -p .\` first`);
  }
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-bench-extension-'));
  try {
    return {
      folder: extensionCopy(root, path.join(temp, 'extension'), kind),
      kind,
      remove: () => fs.rmSync(temp, { recursive: true, force: true }),
    };
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}

/** One start of a fresh VS Code (new server, browser, workspace) with `extension` installed. */
export async function measureActivationInHost(installed: InstalledExtension): Promise<ActivationRun> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-bench-host-'));
  const workspace = path.join(temp, 'workspace');
  const outFile = path.join(temp, 'probe.json');
  // A bot project before its first flow: a Studio CLI .env, no .csml file, so workspaceContains does not fire.
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, '.env'), `API_KEY=${CREDENTIALS.apiKey}\nAPI_SECRET=${CREDENTIALS.apiSecret}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# A bot without flows yet\n');
  const log: string[] = [];
  const started = Date.now();
  try {
    const extension = installed.folder;
    const dist = path.join(extension, 'dist');
    const loadedAtActivation = mainFile(extension);
    const distBefore = listing(dist);
    const probe = path.join(extension, 'out', 'bench', 'host', 'activationProbe.js');
    const port = await freePort();
    const code = await runExtensionTests({
      extensionDevelopmentPath: extension,
      extensionTestsPath: probe,
      workspaceFolder: workspace,
      env: {
        [ENV.outFile]: outFile,
        [ENV.emulatorPort]: String(port),
        [ENV.apiKey]: CREDENTIALS.apiKey,
        [ENV.apiSecret]: CREDENTIALS.apiSecret,
      },
      userSettings: { 'csml.apiBaseUrl': `http://127.0.0.1:${port}/v1/api` },
      timeoutMs: 3 * 60_000,
      onLog: (line) => {
        log.push(line);
        if (log.length > 60) log.shift();
      },
    });
    if (!fs.existsSync(outFile)) throw new Error(`the probe wrote no result (exit code ${code}); host output:\n${log.join('\n')}`);
    const result = JSON.parse(fs.readFileSync(outFile, 'utf8')) as ProbeResult;
    if (result.error) throw new Error(`the probe failed: ${result.error}`);
    if (code !== 0) throw new Error(`the probe ended with exit code ${code}; host output:\n${log.join('\n')}`);
    // Later starts must find what this one found: nothing written beside the bundle, nothing changed.
    const distAfter = listing(dist);
    if (distAfter !== distBefore) throw new Error(`the start changed the installed dist/:\nbefore ${distBefore}\nafter  ${distAfter}`);
    return {
      result,
      bundle: installed.kind,
      bundleBytes: fs.statSync(loadedAtActivation).size,
      wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** The file package.json "main" names: what the extension host requires at activation. */
export function mainFile(extension: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8')) as { main?: string };
  if (!manifest.main) throw new Error(`${extension}/package.json has no "main"`);
  const main = path.join(extension, manifest.main);
  return main.endsWith('.js') ? main : `${main}.js`;
}

/** Every file in `folder` with its size and modification time, one string to compare. */
function listing(folder: string): string {
  return fs
    .readdirSync(folder)
    .sort()
    .map((name) => {
      const stat = fs.statSync(path.join(folder, name));
      return `${name} ${stat.size} ${stat.mtimeMs}`;
    })
    .join(', ');
}

/** The extension as the .vsix holds it, plus the compiled probe and what it loads. */
function extensionCopy(root: string, folder: string, kind: BundleKind): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(folder, 'package.json'));
  for (const part of ['media', 'out', path.join('test', 'fixtures')]) {
    if (fs.existsSync(path.join(root, part))) fs.cpSync(path.join(root, part), path.join(folder, part), { recursive: true });
  }
  buildProductionBundle(folder, kind === 'production');
  const candidate = process.env[CANDIDATE_BUNDLE];
  // To try a change before making it: measure a bundle built elsewhere (the report says so).
  if (candidate) fs.copyFileSync(candidate, path.join(folder, 'dist', 'extension.js'));
  return folder;
}
