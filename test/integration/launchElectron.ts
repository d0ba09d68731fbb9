// The same integration suite in desktop VS Code, for machines with internet access:
// @vscode/test-electron downloads a VS Code build and runs the suite in its extension host.
// `npm run test:electron` (after `npm run compile-tests && npm run build`). Not used where VS Code cannot be downloaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { INTEGRATION_CREDENTIALS } from './credentials';
import { makeSampleWorkspace } from './launch';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const workspace = makeSampleWorkspace(INTEGRATION_CREDENTIALS);
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
