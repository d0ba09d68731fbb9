// Runs the integration suite inside a real VS Code extension host (code-server), in a fresh copy of
// the sample bot whose `.env` holds the credentials the tests' emulator accepts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { runExtensionTests } from '../host/runExtensionTests';
import { INTEGRATION_CREDENTIALS } from './credentials';

export function makeSampleWorkspace(credentials: { apiKey: string; apiSecret: string }): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-workspace-'));
  fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'sample-bot'), folder, { recursive: true });
  fs.writeFileSync(path.join(folder, '.env'), `API_KEY=${credentials.apiKey}\nAPI_SECRET=${credentials.apiSecret}\n`, { mode: 0o600 });
  return folder;
}

async function main(): Promise<number> {
  const root = repoRoot();
  const tests = path.join(root, 'out', 'test', 'integration');
  return inFreshWorkspace((workspaceFolder) =>
    runExtensionTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(tests, 'index.js'),
      workspaceFolder,
      timeoutMs: 5 * 60_000,
    }),
  );
}

async function inFreshWorkspace(run: (folder: string) => Promise<number>): Promise<number> {
  const folder = makeSampleWorkspace(INTEGRATION_CREDENTIALS);
  try {
    return await run(folder);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
