import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleEmulatorOptions } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor } from './support';

describe('a Studio address chosen by the workspace (trusted folder)', function () {
  this.timeout(30_000);
  const usersChoice = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  const workspaceChoice = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });

  before(async () => {
    await usersChoice.start();
    await workspaceChoice.start();
    await setSetting('apiBaseUrl', usersChoice.baseUrl);
    await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('csml').update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await setSetting('apiBaseUrl', undefined);
    await usersChoice.stop();
    await workspaceChoice.stop();
  });

  it('sends nothing there until the user confirms it, and says which origin waits', async () => {
    const api = await activeExtension();
    await vscode.workspace.getConfiguration('csml').update('apiBaseUrl', workspaceChoice.baseUrl, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('csml.pinTestUser', 'alice');
    await waitFor('the status bar to ask for confirmation', () => api.status.snapshot.text.includes('confirm Studio address'));
    assert.equal(api.status.snapshot.command, 'csml.confirmApiOrigin');
    assert.ok(api.status.snapshot.tooltip.includes(workspaceChoice.origin), api.status.snapshot.tooltip);
    const state = api.watch.get('alice')?.state;
    assert.equal(state?.kind === 'error' && state.error.kind, 'untrustedOrigin');
    await vscode.commands.executeCommand('csml.lookUpConversation', 'bob');
    assert.deepEqual(workspaceChoice.requests, []);
  });

  it("goes back to the user's address once the workspace value is removed", async () => {
    const api = await activeExtension();
    await vscode.workspace.getConfiguration('csml').update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('alice again', () => api.status.snapshot.text.includes('Onboarding · ask_name'));
    assert.deepEqual(workspaceChoice.requests, []);
  });
});
