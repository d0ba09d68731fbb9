// Starts a real VS Code (code-server: web workbench + Node extension host) for tests.
// Everything it writes goes to one temp folder, removed by stop(); it never touches the home folder.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { forEachLine, signalGroup, Tail } from './processes';

export interface CodeServerOptions {
  /** Folder the workbench opens (also given as the server's default folder). */
  workspaceFolder: string;
  /** Extra environment for the server and so for the extension host (and the tests it runs). */
  env?: Record<string, string>;
  /** Written to `<user-data-dir>/User/settings.json`, over a few quiet defaults. */
  userSettings?: object;
  /** Paths of packaged extensions (.vsix) installed before the server starts. */
  extensionsToInstall?: string[];
  /** Lets the workbench take a test payload from the URL (extension tests in the host). */
  smokeTestDriver?: boolean;
  /**
   * Keep workspace trust on, so the folder opens in Restricted Mode (nobody is asked, nobody
   * trusts it). Off by default: most tests want a trusted folder.
   */
  restrictedMode?: boolean;
  /** Ids of built-in extensions the server leaves out. */
  disableExtensions?: string[];
  /** Loopback port; a free one is picked when absent. */
  port?: number;
  /** Receives each line the server prints (otherwise they only go to its log file). */
  onOutput?: (line: string) => void;
}

export interface CodeServer {
  url: string;
  port: number;
  /** Folder holding user data, extensions, config and log; removed by stop(). */
  tempDir: string;
  stop(): Promise<void>;
}

/** Settings that keep a test workbench free of pop-ups and network calls. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  // Nothing that repaints on its own: a headless browser renders in software, on the same cores as the tests.
  'workbench.reduceMotion': 'on',
  'editor.cursorBlinking': 'solid',
  'editor.smoothScrolling': false,
  'workbench.list.smoothScrolling': false,
};

/** Workspace trust on, with no prompt: a folder nobody trusted stays in Restricted Mode. */
const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/**
 * Built-in extensions a test workbench never needs. Several start on their own (`*` or
 * onStartupFinished) or when a settings file opens, and on two cores their work slows every test.
 */
export const UNNEEDED_BUILTIN_EXTENSIONS = [
  'GitHub.copilot-chat',
  'vscode.git',
  'vscode.git-base',
  'vscode.github',
  'vscode.github-authentication',
  'vscode.microsoft-authentication',
  'vscode.emmet',
  'vscode.debug-auto-launch',
  'vscode.merge-conflict',
  'vscode.configuration-editing',
  'vscode.json-language-features',
  'vscode.typescript-language-features',
  'vscode.npm',
  'vscode.extension-editing',
  'vscode.markdown-language-features',
  'ms-vscode.js-debug',
  'ms-vscode.js-debug-companion',
  'vscode.terminal-suggest',
];

/** Variables that would make code-server act on another instance or on another port. */
const INHERITED_ENV_TO_DROP = /^(VSCODE_|ELECTRON_RUN_AS_NODE$|PORT$|PASSWORD$|HASHED_PASSWORD$|CODE_SERVER_)/;

const HEALTH_TIMEOUT_MS = 60_000;

/** The repository root: the nearest folder above this file holding scripts/setup-vscode-host.sh. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'scripts', 'setup-vscode-host.sh'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = parent;
  }
}

/** Node 24 and code-server's entry point, as installed by scripts/setup-vscode-host.sh. */
export function codeServerInstall(): { node: string; entry: string } {
  const cache = path.join(repoRoot(), '.vscode-test');
  const entry = path.join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const nodeModules = path.join(cache, 'node24', 'node_modules');
  const nodePkg = fs.existsSync(nodeModules) ? fs.readdirSync(nodeModules).find((name) => name.startsWith('node-linux-')) : undefined;
  const node = nodePkg ? path.join(nodeModules, nodePkg, 'bin', 'node') : '';
  if (!fs.existsSync(path.join(cache, 'host-ready')) || !fs.existsSync(entry) || !node || !fs.existsSync(node)) {
    throw new Error(`code-server is not installed under ${cache}: run scripts/setup-vscode-host.sh (from the repository root) first`);
  }
  return { node, entry };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function serverEnv(tempDir: string, extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_ENV_TO_DROP.test(key)) env[key] = value;
  }
  env.XDG_CONFIG_HOME = path.join(tempDir, 'xdg-config');
  env.XDG_DATA_HOME = path.join(tempDir, 'xdg-data');
  env.XDG_CACHE_HOME = path.join(tempDir, 'xdg-cache');
  return { ...env, ...extra };
}

/** Runs code-server once as a command-line tool (e.g. --install-extension) and waits for it. */
async function runCli(node: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const tail = new Tail();
  const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  forEachLine(child.stdout, (l) => tail.push(l));
  forEachLine(child.stderr, (l) => tail.push(l));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new Error(`code-server ${args.slice(1).join(' ')} exited with ${code}:\n${tail.text}`);
  }
}

async function waitForHealth(url: string, child: ChildProcess, tail: Tail): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server ${exited} before it answered:\n${tail.text}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail.text}`);
}

/** Ends a process and everything it started (it leads its own process group). */
async function killTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    signalGroup(child.pid, 'SIGKILL'); // the leader is gone; stragglers in its group may not be
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
  // The extension host and other helpers share the group: make sure none outlives the server.
  signalGroup(child.pid, 'SIGKILL');
  if (timedOut) await exited;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const { node, entry } = codeServerInstall();
  const workspaceFolder = path.resolve(opts.workspaceFolder);
  if (!fs.statSync(workspaceFolder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`workspace folder ${workspaceFolder} does not exist`);
  }
  const port = opts.port ?? (await freePort());
  const tempDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'vscode-host-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const configFile = path.join(tempDir, 'config.yaml');
  const logFile = path.join(tempDir, 'server.log');
  const cleanupTemp = () => fs.promises.rm(tempDir, { recursive: true, force: true });

  try {
    await fs.promises.mkdir(path.join(userDataDir, 'User'), { recursive: true });
    await fs.promises.mkdir(extensionsDir, { recursive: true });
    await fs.promises.writeFile(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify(
        { ...QUIET_SETTINGS, ...(opts.restrictedMode ? RESTRICTED_MODE_SETTINGS : {}), ...(opts.userSettings ?? {}) },
        null,
        2,
      ),
    );
    await fs.promises.writeFile(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

    const env = serverEnv(tempDir, opts.env);
    // The server skips these when it scans its built-in extensions, so neither extension host sees them.
    if (opts.disableExtensions?.length) env.VSCODE_SKIP_BUILTIN_EXTENSIONS = opts.disableExtensions.join(',');
    const common = [entry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

    const vsixes = (opts.extensionsToInstall ?? []).map((p) => path.resolve(p));
    for (const vsix of vsixes) {
      if (!fs.existsSync(vsix)) throw new Error(`extension package ${vsix} does not exist`);
    }
    if (vsixes.length) {
      await runCli(node, [...common, '--force', ...vsixes.flatMap((v) => ['--install-extension', v])], env);
    }

    const args = [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(opts.restrictedMode ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // Over loopback, compressing every message between the workbench and the extension host only
      // costs CPU on both ends.
      '--vscode-option',
      'disable-websocket-compression',
    ];
    if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    args.push(workspaceFolder);

    const log = fs.createWriteStream(logFile);
    const tail = new Tail();
    const child = spawn(node, args, { env, cwd: tempDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const onLine = (line: string) => {
      log.write(line + '\n');
      tail.push(line);
      opts.onOutput?.(line);
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await killTree(child);
        await new Promise<void>((r) => log.end(r));
        await cleanupTemp();
      })());

    try {
      await spawned;
      const url = `http://127.0.0.1:${port}`;
      await waitForHealth(url, child, tail);
      return { url, port, tempDir, stop };
    } catch (err) {
      await stop();
      throw err;
    }
  } catch (err) {
    await cleanupTemp();
    throw err;
  }
}
