import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CsmlExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/treeNode';
import { sampleEmulatorOptions } from '../emulator/fixtures';
import { Fault, StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, workspaceRoot } from './support';

type Shown = { kind: string; text: string };

/** Records everything the extension says in pop-ups and progress; answers every question with "dismissed". */
function captureMessages(shown: Shown[]): () => void {
  const window = vscode.window as unknown as Record<string, unknown>;
  const patched = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'setStatusBarMessage', 'withProgress'] as const;
  const originals = patched.map((name) => [name, window[name]] as const);
  for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'setStatusBarMessage']) {
    window[name] = (message: string, ...rest: unknown[]) => {
      shown.push({ kind: name, text: `${message} ${JSON.stringify(rest)}` });
      return name === 'setStatusBarMessage' ? { dispose() {} } : Promise.resolve(undefined);
    };
  }
  const withProgress = window.withProgress as (options: { title?: string }, task: unknown) => unknown;
  window.withProgress = (options: { title?: string }, task: unknown) => {
    shown.push({ kind: 'progress', text: options.title ?? '' });
    return withProgress(options, task);
  };
  return () => {
    for (const [name, original] of originals) window[name] = original;
  };
}

function treeTexts(nodes: TreeNode[], depth = 0): string[] {
  const texts: string[] = [];
  for (const node of nodes) {
    const item = node.getTreeItem();
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
    texts.push(`${JSON.stringify(item.label)} ${String(item.description ?? '')} ${tooltip} ${node.copyText}`);
    // Metadata can nest deeply; the conversation rows that matter are near the top.
    if (depth < 4) texts.push(...treeTexts(node.getChildren(), depth + 1));
  }
  return texts;
}

async function filesUnder(folder: vscode.Uri): Promise<[string, string][]> {
  const found: [string, string][] = [];
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return found;
  }
  for (const [name, type] of entries) {
    const uri = vscode.Uri.joinPath(folder, name);
    if (type === vscode.FileType.Directory) found.push(...(await filesUnder(uri)));
    else found.push([uri.fsPath, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))]);
  }
  return found;
}

describe('secrets never leak, whatever goes wrong', function () {
  this.timeout(120_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  const elsewhere = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  const shown: Shown[] = [];
  const errors: string[] = [];
  let restore: () => void = () => undefined;
  let api: CsmlExtensionApi;

  before(async () => {
    await emulator.start();
    await elsewhere.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    await setSetting('requestTimeoutSeconds', 1);
    api = await activeExtension();
    restore = captureMessages(shown);
  });

  after(async () => {
    restore();
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await setSetting('apiBaseUrl', undefined);
    await setSetting('requestTimeoutSeconds', undefined);
    await emulator.stop();
    await elsewhere.stop();
  });

  it('drives every error path and finds neither the secret nor a signature anywhere', async () => {
    const secret = INTEGRATION_CREDENTIALS.apiSecret;
    // Rejected while checking: nothing stored, an error shown.
    emulator.fault({ path: '/bot', status: 401, json: { error: 'unauthorized' } });
    await vscode.commands.executeCommand('csml.importDotEnvCredentials');
    emulator.clearFaults();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
    await vscode.commands.executeCommand('csml.pinTestUser', 'alice');

    const faults: Fault[] = [
      { status: 401, json: { error: 'bad signature', message: `expected a signature for ${secret}` } },
      { status: 403, body: '<html>Forbidden</html>', headers: { 'content-type': 'text/html' } },
      { status: 400, json: { message: `secret ${secret} rejected` } },
      { status: 404, json: { error: 'not found' } },
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 500, json: { error: secret } },
      { status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } },
      { status: 503 },
      { status: 200, body: '{"has_open": tr' },
      { status: 200, body: '' },
      { status: 200, json: [secret] },
      { status: 200, json: { has_open: 'yes' } },
      { status: 307, redirectTo: `${elsewhere.baseUrl}/conversations/open` },
      { hang: true },
      { status: 200, json: { has_open: false, pad: 'x'.repeat(4000) }, reset: true },
    ];
    for (const [index, fault] of faults.entries()) {
      emulator.fault({ path: '/conversations/open', ...fault });
      // All at once: a fault that hangs costs one request timeout, not three.
      await Promise.all([
        vscode.commands.executeCommand('csml.refresh'),
        vscode.commands.executeCommand('csml.lookUpConversation', `leak-${index}`),
        vscode.commands.executeCommand('csml.sendTestMessage', 'hello'),
      ]);
      collect();
      emulator.clearFaults();
    }
    // The flows request failing while the conversation works.
    emulator.fault({ path: '/bot/flows', status: 500, json: { error: secret } });
    await vscode.commands.executeCommand('csml.refresh');
    collect();
    emulator.clearFaults();
    assert.deepEqual(elsewhere.requests, [], 'a redirect carried the credentials to another origin');

    const signatures = emulator.requests.map((r) => String(r.headers['x-api-signature'] ?? '')).filter((s) => s.startsWith('sha256='));
    const signedKeys = emulator.requests.map((r) => String(r.headers['x-api-key'] ?? '')).filter((k) => k.includes('|'));
    assert.ok(signatures.length > faults.length, 'the error paths were not reached');
    const needles = [secret, ...signatures, ...signatures.map((s) => s.slice('sha256='.length)), ...signedKeys];

    const config = vscode.workspace.getConfiguration();
    const hooks = api.testHooks;
    assert.ok(hooks, 'the extension gives test hooks in test mode');
    const logs = await filesUnder(hooks.logFolder);
    assert.ok(
      logs.some(([, text]) => text.includes('POST /v1/api/conversations/open')),
      'the CSML log was not found, so it was not searched',
    );
    const settingsFile = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
    const workspaceSettings = await vscode.workspace.fs.readFile(settingsFile).then(
      (b) => new TextDecoder().decode(b),
      () => '',
    );
    const places: [string, string][] = [
      ...shown.map((s, i) => [`message ${i} (${s.kind})`, s.text] as [string, string]),
      ...errors.map((text, i) => [`error or tree text ${i}`, text] as [string, string]),
      ['every setting', JSON.stringify(config)],
      [
        'csml settings in every scope',
        JSON.stringify(
          ['apiBaseUrl', 'pinnedUserId', 'pollIntervalSeconds', 'requestTimeoutSeconds'].map((k) => config.inspect(`csml.${k}`)),
        ),
      ],
      ['workspace settings file', workspaceSettings],
      ['globalState', JSON.stringify(hooks.globalState.keys().map((k) => [k, hooks.globalState.get(k)]))],
      ['workspaceState', JSON.stringify(hooks.workspaceState.keys().map((k) => [k, hooks.workspaceState.get(k)]))],
      ...logs,
    ];
    const leaks = places.flatMap(([where, text]) =>
      needles.filter((needle) => text.includes(needle)).map((needle) => `${where}: ${needle.slice(0, 12)}…`),
    );
    assert.deepEqual(leaks, []);
    assert.ok(
      shown.some((s) => s.kind === 'showErrorMessage'),
      'no error message was shown, so none was searched',
    );
  });

  function collect(): void {
    errors.push(...treeTexts(api.tree.getChildren()));
    errors.push(`${api.status.snapshot.text} ${api.status.snapshot.tooltip}`);
    for (const user of api.watch.users) {
      if (user.state.kind === 'error') errors.push(`${user.state.error.message}\n${user.state.error.stack ?? ''}`);
      if (user.state.kind === 'open' && user.state.flowError)
        errors.push(`${user.state.flowError.message}\n${user.state.flowError.stack ?? ''}`);
    }
  }
});
