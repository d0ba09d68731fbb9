import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleConversation, sampleEmulatorOptions, sampleFlowId } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor } from './support';

describe('changes while requests are in flight', function () {
  this.timeout(40_000);
  const slow = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions(), latencyMs: 400 });
  const other = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });

  before(async () => {
    await slow.start();
    await other.start();
    slow.setConversation('rita', sampleConversation('rita', { flow_id: sampleFlowId('Onboarding'), step_id: 'ask_name' }));
    slow.setConversation('sam', sampleConversation('sam', { flow_id: sampleFlowId('OrderPizza'), step_id: 'choose_size' }));
    other.setConversation('tara', sampleConversation('tara', { flow_id: sampleFlowId('Default'), step_id: 'menu' }));
    await setSetting('apiBaseUrl', slow.baseUrl);
    await setSetting('pollIntervalSeconds', 1);
    await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
  });

  after(async () => {
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await setSetting('apiBaseUrl', undefined);
    await setSetting('pollIntervalSeconds', undefined);
    await slow.stop();
    await other.stop();
  });

  it('ends consistent after pinning, refreshing, unpinning and switching servers mid-request', async () => {
    const api = await activeExtension();
    await vscode.commands.executeCommand('csml.pinTestUser', 'rita');
    void vscode.commands.executeCommand('csml.refresh');
    await vscode.commands.executeCommand('csml.pinTestUser', 'sam');
    void vscode.commands.executeCommand('csml.lookUpConversation', 'dave');
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await vscode.commands.executeCommand('csml.pinTestUser', 'tara');
    await setSetting('apiBaseUrl', other.baseUrl);
    void vscode.commands.executeCommand('csml.refresh');

    // On the slow server tara has no conversation; on the other she is in Default · menu.
    await waitFor('tara as the other server sees her', () => api.status.snapshot.text.includes('Default · menu'), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.match(api.status.snapshot.text, /Default · menu/, 'a late answer from the slow server overwrote the newer one');
    const pinned = api.watch.users.filter((user) => user.pinned);
    assert.deepEqual(
      pinned.map((user) => user.userId),
      ['tara'],
    );
    assert.ok(!api.watch.users.some((user) => user.userId === 'rita' || user.userId === 'sam'), 'an unpinned user stayed in the view');
    const dave = api.watch.get('dave')?.state;
    assert.equal(dave?.kind, 'open', 'the look-up started on the old server did not settle on the new one');
  });
});
