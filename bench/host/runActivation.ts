/**
 * Starts a real VS Code (code-server + Chromium, test/host) on a workspace without .csml files and
 * runs the activation probe in its extension host; returns what the probe measured.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerInstall, freePort, repoRoot } from '../../test/host/codeServer';
import { runExtensionTests } from '../../test/host/runExtensionTests';
import { ENV, ProbeResult } from './probeProtocol';

const CREDENTIALS = { apiKey: 'bench-activation-key', apiSecret: 'bench-activation-secret-0123' };

export interface ActivationRun {
  readonly result: ProbeResult;
  /** Whole run: server and browser start, workbench load, probe. */
  readonly wallSeconds: number;
}

export async function measureActivationInHost(): Promise<ActivationRun> {
  const root = repoRoot();
  codeServerInstall(); // throws with the setup command when the host is not installed
  const bundle = path.join(root, 'dist', 'extension.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node esbuild.js\` first`);
  const probe = path.join(root, 'out', 'bench', 'host', 'activationProbe.js');
  if (!fs.existsSync(probe)) throw new Error(`${probe} is missing: run \`npx tsc -p .\` first`);

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
    const port = await freePort();
    const code = await runExtensionTests({
      extensionDevelopmentPath: root,
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
    return { result, wallSeconds: Math.round((Date.now() - started) / 100) / 10 };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
