import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/ui/tree/treeNode';
import { sampleConversation, sampleEmulatorOptions, sampleFlowId } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, row } from './support';

describe('odd but valid answers, shown as they are', function () {
  this.timeout(30_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });

  before(async () => {
    await emulator.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
  });

  after(async () => {
    await setSetting('apiBaseUrl', undefined);
    await emulator.stop();
  });

  async function rowsOf(userId: string, metadata: unknown, extra: object = {}): Promise<TreeNode[]> {
    emulator.setConversation(userId, {
      ...sampleConversation(userId, { flow_id: sampleFlowId('Default'), step_id: 'start' }),
      metadata,
      ...extra,
    });
    const state = await vscode.commands.executeCommand<{ kind: string }>('csml.lookUpConversation', userId);
    assert.equal(state?.kind, 'open');
    const api = await activeExtension();
    const user = api.tree.getChildren().find((node) => row(node).startsWith(userId));
    assert.ok(user);
    return user.getChildren();
  }

  it('shows metadata that is a string, an array or null', async () => {
    assert.ok((await rowsOf('meta-string', 'just text')).some((r) => row(r) === 'Metadata: "just text"'));
    assert.ok((await rowsOf('meta-array', [1, 'two'])).some((r) => row(r) === 'Metadata: [2 items]'));
    assert.ok((await rowsOf('meta-null', null)).some((r) => row(r) === 'Metadata: null'));
  });

  it('opens metadata nested 100 levels deep, level by level', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { level: deep };
    let node = (await rowsOf('meta-deep', deep)).find((r) => row(r).startsWith('Metadata'));
    for (let i = 0; i < 100; i++) node = node?.getChildren()[0];
    assert.equal(node && row(node), 'level: "bottom"');
  });

  it('shows dates that do not parse as the server sent them, and fields it does not know', async () => {
    const rows = (await rowsOf('odd-dates', {}, { created_at: 'last tuesday', expires_at: '2030-01-01T00:00:00Z' })).map(row);
    assert.ok(rows.includes('Created: last tuesday (not a date)'), rows.join(' | '));
    assert.ok(rows.includes('expires_at: "2030-01-01T00:00:00Z"'), rows.join(' | '));
  });
});
