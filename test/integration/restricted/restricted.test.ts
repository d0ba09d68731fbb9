import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleEmulatorOptions } from '../../emulator/fixtures';
import { StudioEmulator } from '../../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, waitFor } from '../support';

/**
 * The launcher opens a folder nobody trusted, whose .vscode/settings.json points csml.apiBaseUrl at
 * the "workspace" emulator's port, while the user settings point at the "user" emulator's.
 */
describe('Restricted Mode (an untrusted folder)', function () {
  this.timeout(30_000);
  const userPort = Number(process.env.CSML_TEST_USER_PORT);
  const workspacePort = Number(process.env.CSML_TEST_WORKSPACE_PORT);
  const chosenByUser = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  const chosenByWorkspace = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });

  before(async () => {
    assert.ok(userPort > 0 && workspacePort > 0, 'the launcher must pass both ports');
    await chosenByUser.start(userPort);
    await chosenByWorkspace.start(workspacePort);
  });

  after(async () => {
    await chosenByUser.stop();
    await chosenByWorkspace.stop();
  });

  it('runs in an untrusted folder', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('ignores the workspace\'s Studio address, as the manifest declares', () => {
    const config = vscode.workspace.getConfiguration('csml');
    assert.equal(config.get('apiBaseUrl'), chosenByUser.baseUrl);
  });

  it('sends credentials only to the address from the user settings', async () => {
    const api = await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
    await vscode.commands.executeCommand('csml.pinTestUser', 'alice');
    await waitFor('alice in the status bar', () => api.status.snapshot.text.includes('Onboarding · ask_name'));
    assert.ok(chosenByUser.requests.some((r) => r.path === '/conversations/open'));
    assert.deepEqual(chosenByWorkspace.requests, []);
  });
});
