// `npm run demo`: the packaged extension in a real VS Code (code-server, in the browser) against a local Studio
// emulator whose demo users move through the sample bot's flows. Ctrl-C stops everything it started.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleEmulatorOptions } from '../test/emulator/fixtures';
import { StudioEmulator } from '../test/emulator/studioEmulator';
import { repoRoot, startCodeServer } from '../test/host/codeServer';

/** The emulator's demo credentials: they open nothing but this local emulator. */
const DEMO_CREDENTIALS = { apiKey: 'demo-api-key', apiSecret: 'demo-api-secret' };

async function main(): Promise<void> {
  const root = repoRoot();
  const vsix = path.join(root, 'csml-conversations.vsix');
  const port = Number(process.env.DEMO_PORT ?? 8080);

  const emulator = new StudioEmulator({ ...DEMO_CREDENTIALS, ...sampleEmulatorOptions(), demo: { stepIntervalMs: 8000 } });
  await emulator.start();

  // The bot as the Studio CLI lays it out, with the .env the extension offers to import.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-demo-'));
  fs.cpSync(path.join(root, 'test', 'fixtures', 'sample-bot'), workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, '.env'), `API_KEY=${DEMO_CREDENTIALS.apiKey}\nAPI_SECRET=${DEMO_CREDENTIALS.apiSecret}\n`, {
    mode: 0o600,
  });
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'csml.pinnedUserId': 'alice' }, null, 2));

  const server = await startCodeServer({
    workspaceFolder: workspace,
    extensionsToInstall: [vsix],
    port,
    // The Studio address is a user setting: one set by the workspace would first ask for confirmation.
    userSettings: { 'csml.apiBaseUrl': emulator.baseUrl, 'csml.pollIntervalSeconds': 3 },
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo…');
    await server.stop();
    await emulator.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  console.log(`
CSML Conversations demo is running.

  Open ${server.url}/?folder=${encodeURIComponent(workspace)}

  1. Click "Import" when the extension offers the workspace's .env credentials.
  2. The status bar shows the pinned test user alice; her step changes every few seconds. Click it to open the flow.
  3. Open the CSML view in the activity bar and run "CSML: Look Up Open Conversation…" with bob, carol or dave.
  4. The Studio round trip: "CSML: Download Bot from Studio…" (into this folder, or a new one), edit a flow and save
     it (the Studio validates it on save), "CSML: Deploy to Studio…", then "Build Version" in the closing message.
     To see a conflict, change a flow as a colleague would before deploying:
       curl -X PUT ${emulator.origin}/__emulator/flows/Default/content -d '{"content": "start:\\n  say \\"edited in the Studio\\"\\n  goto end\\n"}'
  5. "CSML: Open Test Chat" and talk to the bot as alice: type a message and press Enter, click Next or Stop, click
     the step under an answer to open it, and "Restart Test Conversation" or "New Test User" in the view's title bar.

  Local Studio emulator: ${emulator.baseUrl} (demo key ${DEMO_CREDENTIALS.apiKey})
  Press Ctrl-C to stop.
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
