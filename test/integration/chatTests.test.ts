import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CsmlExtensionApi } from '../../src/extension';
import { sampleEmulatorOptions } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor, workspaceRoot } from './support';

describe('chat tests in the Testing view', function () {
  this.timeout(30_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  let api: CsmlExtensionApi;
  const folder = () => vscode.Uri.joinPath(workspaceRoot(), 'chat-tests-it');
  const file = (name: string) => vscode.Uri.joinPath(folder(), `${name}.chat.json`);
  const write = (name: string, value: unknown) =>
    vscode.workspace.fs.writeFile(file(name), Buffer.from(typeof value === 'string' ? value : JSON.stringify(value, null, 2)));

  before(async () => {
    await emulator.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    api = await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
    await write('passes', {
      name: 'Greets',
      turns: [{ send: 'hi', expect: ['You said: hi', { any: true }, { buttons: ['Next', 'Stop'] }], flow: 'Default', step: 'start' }],
    });
    await write('fails', {
      turns: [{ send: 'hi' }, { send: 'again', expect: ['Hello there', { matches: '^\\[debug\\]' }, { any: true }] }, { send: 'never' }],
    });
    await write('broken', '{"turns": [{"send": "hi", "sned": 1}]}');
  });

  after(async () => {
    await vscode.workspace.fs.delete(folder(), { recursive: true });
    await setSetting('apiBaseUrl', undefined);
    await emulator.stop();
  });

  it("lists each test file with its turns, and shows a malformed file's problems in the file", async () => {
    await api.chatTests.discover();
    const broken = await waitFor('the problems of broken.chat.json', () => {
      const found = vscode.languages.getDiagnostics(file('broken'));
      return found.length > 0 && found;
    });
    assert.deepEqual(
      broken.map((diagnostic) => [diagnostic.message, diagnostic.range.start.character]),
      [['Unknown field "sned": a turn has one of "send", "click", "payload", "startFlow", and "expect", "flow", "step" or "ended".', 26]],
    );
  });

  it('runs them as new users against the deployed bot: one passes, one fails with a diff on its turn, the broken one errors', async () => {
    emulator.clearRequests();
    // A local flow that differs from the deployed one is named in the run's output.
    const flow = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Onboarding.csml');
    const original = await vscode.workspace.fs.readFile(flow);
    await vscode.workspace.fs.writeFile(flow, Buffer.concat([Buffer.from(original), Buffer.from('\n// not deployed\n')]));
    try {
      await vscode.commands.executeCommand('testing.runAll');
      await waitFor('the run to end', () => api.chatTests.latestRun);
    } finally {
      await vscode.workspace.fs.writeFile(flow, original);
    }
    const run = await waitFor('the run to end', () => api.chatTests.latestRun);
    assert.deepEqual(run.differing, ['Onboarding.csml']);
    const byName = new Map(run.files.map((outcome) => [outcome.uri.slice(outcome.uri.lastIndexOf('/') + 1), outcome]));
    assert.equal(byName.get('passes.chat.json')?.status, 'passed');
    const failed = byName.get('fails.chat.json');
    assert.equal(failed?.status, 'failed');
    assert.deepEqual(
      failed?.turns.map((turn) => turn.status),
      ['passed', 'failed', 'skipped'],
    );
    assert.equal(
      failed?.turns[1]?.expected,
      'Hello there\n[debug] flow Default, step menu\nNow in flow Default, step menu. Go on? [Next] [Stop]',
    );
    assert.equal(
      failed?.turns[1]?.actual,
      'You said: again\n[debug] flow Default, step menu\nNow in flow Default, step menu. Go on? [Next] [Stop]',
    );
    assert.deepEqual(byName.get('broken.chat.json'), { uri: byName.get('broken.chat.json')?.uri, status: 'errored', turns: [] });
    const users = new Set(
      emulator.requests
        .filter((r) => r.path === '/chat')
        .map((r) => (JSON.parse(r.body) as { client: { user_id: string } }).client.user_id),
    );
    assert.equal(users.size, 2);
    for (const user of users) assert.match(user, /^chat-test-[0-9a-f]{12}$/);
  });
});
