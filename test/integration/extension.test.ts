import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CsmlExtensionApi } from '../../src/extension';
import { sampleConversation, sampleConversations, sampleEmulatorOptions, sampleFlowId } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, EXTENSION_ID, INTEGRATION_CREDENTIALS, setSetting, waitFor, row, workspaceRoot } from './support';

function emulatorWith(conversations = sampleConversations()): StudioEmulator {
  return new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions(), conversations });
}

describe('CSML Conversations in a real extension host', function () {
  this.timeout(30_000);
  const emulator = emulatorWith();
  let api: CsmlExtensionApi;

  before(async () => {
    await emulator.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    await setSetting('pollIntervalSeconds', 1);
    api = await activeExtension();
  });

  after(async () => {
    await setSetting('pinnedUserId', undefined);
    await setSetting('apiBaseUrl', undefined);
    await setSetting('pollIntervalSeconds', undefined);
    await emulator.stop();
  });

  it('activates in a workspace with .csml files and registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension?.isActive);
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
    // And the reverse: nothing registered under the extension's prefix is missing from the manifest
    // (VS Code itself adds commands for each view, such as csml.conversations.focus).
    const manifestIds = new Set(contributed.map((c) => c.command));
    const unlisted = [...registered].filter(
      (id) => id.startsWith('csml.') && !id.startsWith('csml.conversations.') && !id.startsWith('csml.testChat.') && !manifestIds.has(id),
    );
    assert.deepEqual(unlisted, []);
    for (const id of [
      'csml.setCredentials',
      'csml.clearCredentials',
      'csml.lookUpConversation',
      'csml.pinTestUser',
      'csml.unpinTestUser',
      'csml.refresh',
      'csml.openFlow',
    ]) {
      assert.ok(registered.has(id), id);
    }
  });

  it('imports the credentials of the workspace .env into SecretStorage after one signed check, which also names the bot', async () => {
    await vscode.commands.executeCommand('csml.conversations.focus');
    emulator.clearRequests();
    const outcome = await vscode.commands.executeCommand('csml.importDotEnvCredentials');
    assert.equal(outcome, 'stored');
    const check = emulator.requests.find((r) => r.path === '/bot');
    assert.ok(check, 'no GET /bot was sent to check the credentials');
    assert.match(String(check.headers['x-api-key']), /^integration-key\|\d+$/);
    // Storing them starts everything over; the view, on screen, names the bot from the check's answer.
    await waitFor('the view to name the bot', () => api.view.description === 'Pizza Helper');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(emulator.requests.filter((r) => r.path === '/bot').length, 1);
  });

  it('keeps the credentials out of every settings scope', () => {
    const config = vscode.workspace.getConfiguration('csml');
    const scopes = ['apiBaseUrl', 'pinnedUserId', 'pollIntervalSeconds', 'requestTimeoutSeconds'].map((key) =>
      JSON.stringify(config.inspect(key)),
    );
    const all = JSON.stringify(scopes) + JSON.stringify(vscode.workspace.getConfiguration());
    assert.ok(!all.includes(INTEGRATION_CREDENTIALS.apiSecret));
    assert.ok(!all.includes(INTEGRATION_CREDENTIALS.apiKey));
  });

  it('looks up a user and shows flow, step and metadata in the Conversations view', async () => {
    const state = await vscode.commands.executeCommand<{ kind: string }>('csml.lookUpConversation', 'alice');
    assert.equal(state?.kind, 'open');
    const alice = api.tree.getChildren().find((node) => row(node).startsWith('alice'));
    assert.ok(alice, 'no row for alice');
    assert.equal(row(alice), 'alice: Onboarding · ask_name');
    assert.equal(alice.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const rows = alice.getChildren().map(row);
    assert.ok(rows.includes('Flow: Onboarding'), rows.join(' | '));
    assert.ok(rows.includes('Step: ask_name'), rows.join(' | '));
    assert.ok(rows.includes('Status: OPEN'), rows.join(' | '));
    const metadata = alice.getChildren().find((node) => row(node).startsWith('Metadata'));
    assert.ok(metadata);
    assert.deepEqual(metadata.getChildren().map(row), ['firstname: "Alice"', 'preferences: {2 keys}']);
  });

  it('says when a user has no open conversation', async () => {
    await vscode.commands.executeCommand('csml.lookUpConversation', 'carol');
    const carol = api.tree.getChildren().find((node) => row(node).startsWith('carol'));
    assert.ok(carol);
    assert.deepEqual(carol.getChildren().map(row), ['No open conversation']);
  });

  it('opens the flow file with the cursor on the current step', async () => {
    const alice = api.tree.getChildren().find((node) => row(node).startsWith('alice'));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('csml.openFlow', alice);
    assert.ok(editor);
    assert.ok(editor.document.uri.fsPath.endsWith('Onboarding.csml'), editor.document.uri.fsPath);
    const expectedLine = editor.document
      .getText()
      .split(/\r?\n/)
      .findIndex((line) => line.startsWith('ask_name:'));
    assert.ok(expectedLine > 0);
    assert.equal(editor.selection.active.line, expectedLine);
    assert.equal(editor.selection.active.character, 0);
  });

  it("opens the flow map at the flow of a user's Flow row", async () => {
    await vscode.commands.executeCommand('csml.lookUpConversation', 'alice');
    const alice = api.tree.getChildren().find((node) => row(node).startsWith('alice'));
    const flowRow = alice?.getChildren().find((node) => row(node) === 'Flow: Onboarding');
    assert.ok(flowRow, 'no Flow row for alice');
    await vscode.commands.executeCommand('csml.showFlowMap', flowRow);
    try {
      const view = await api.testHooks?.flowMap.currentView();
      assert.equal(view?.title, 'Flow Onboarding');
      assert.ok(view.graph.nodes.some((node) => node.id === 'step:ask_name'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('shows the pinned user in the status bar and follows a new pin without a reload', async () => {
    await vscode.commands.executeCommand('csml.pinTestUser', 'bob');
    assert.equal(vscode.workspace.getConfiguration('csml').inspect('pinnedUserId')?.workspaceValue, 'bob');
    await waitFor('bob in the status bar', () => api.status.snapshot.text.includes('OrderPizza · choose_size') && api.status.snapshot);
    assert.equal(api.status.snapshot.visible, true);
    assert.equal(api.status.snapshot.command, 'csml.openFlow');
    assert.match(api.status.snapshot.tooltip, /bob/);
    assert.equal(row(api.tree.getChildren()[0]), 'bob: OrderPizza · choose_size');

    await setSetting('pinnedUserId', 'alice');
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await waitFor('the status bar to hide', () => !api.status.snapshot.visible);
  });

  it('follows the pinned user as the conversation moves, by polling', async () => {
    await vscode.commands.executeCommand('csml.pinTestUser', 'bob');
    await waitFor('bob in the status bar', () => api.status.snapshot.text.includes('choose_size'));
    emulator.setConversation('bob', sampleConversation('bob', { flow_id: sampleFlowId('OrderPizza'), step_id: 'summary' }));
    await waitFor('the new step in the status bar', () => api.status.snapshot.text.includes('OrderPizza · summary'), 15_000);
  });

  it('takes the flow map with the pinned user into the flow they go to, but not away from unsaved edits', async () => {
    const orderPizza = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'OrderPizza.csml');
    const title = async () => (await api.testHooks?.flowMap.currentView())?.title;
    const moveBob = async (flow: string, step: string) => {
      emulator.setConversation('bob', sampleConversation('bob', { flow_id: sampleFlowId(flow), step_id: step }));
      await waitFor(`bob at ${flow} · ${step}`, () => api.status.snapshot.text.includes(`${flow} · ${step}`), 15_000);
    };
    await vscode.commands.executeCommand('csml.pinTestUser', 'bob');
    try {
      await moveBob('OrderPizza', 'summary');
      const editor = await vscode.window.showTextDocument(orderPizza, { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('csml.showFlowMap', orderPizza);
      assert.equal(await title(), 'Flow OrderPizza');
      await moveBob('Default', 'start');
      assert.equal(await title(), 'Flow Default', 'the map did not follow bob');

      // With OrderPizza changed and not saved, the map stays on it when bob leaves it.
      await moveBob('OrderPizza', 'summary');
      await vscode.commands.executeCommand('csml.showFlowMap', orderPizza);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// a change\n'));
      await moveBob('Default', 'start');
      assert.equal(await title(), 'Flow OrderPizza', 'the map left a flow with unsaved edits');
    } finally {
      // The change taken out again, and the file as it was, so no test after this one meets it.
      const document = await vscode.workspace.openTextDocument(orderPizza);
      if (document.getText().startsWith('// a change\n')) {
        const undo = new vscode.WorkspaceEdit();
        undo.delete(orderPizza, new vscode.Range(0, 0, 1, 0));
        await vscode.workspace.applyEdit(undo);
      }
      if (document.isDirty) await document.save();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await moveBob('OrderPizza', 'summary');
    }
  });

  it('switches to another Studio address without a reload', async () => {
    const other = emulatorWith({ bob: sampleConversation('bob', { flow_id: sampleFlowId('Default'), step_id: 'start' }) });
    await other.start();
    try {
      await setSetting('apiBaseUrl', other.baseUrl);
      await waitFor('the other server answer in the status bar', () => api.status.snapshot.text.includes('Default · start'));
      assert.ok(other.requests.some((r) => r.path === '/conversations/open'));
    } finally {
      await setSetting('apiBaseUrl', emulator.baseUrl);
      await other.stop();
    }
  });

  it('shows a refused request in the status bar and recovers', async () => {
    emulator.fault({ path: '/conversations/open', status: 500, json: { error: 'down' } });
    await vscode.commands.executeCommand('csml.refresh');
    await waitFor('the failure in the status bar', () => api.status.snapshot.text.includes('refresh failed'));
    emulator.clearFaults();
    await vscode.commands.executeCommand('csml.refresh');
    await waitFor('recovery', () => api.status.snapshot.text.includes('OrderPizza'));
    await vscode.commands.executeCommand('csml.unpinTestUser');
  });

  it('asks which file to open when several hold the flow, and remembers the choice', async () => {
    const copy = vscode.Uri.joinPath(workspaceRoot(), 'backup', 'Onboarding.csml');
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Onboarding.csml'), copy);
    try {
      const alice = api.tree.getChildren().find((node) => row(node).startsWith('alice'));
      await waitFor('the second file in the index', async () => {
        const opening = vscode.commands.executeCommand<vscode.TextEditor>('csml.openFlow', alice);
        // The quick pick is open when the command has not finished a moment later.
        const early = await Promise.race([opening, new Promise((resolve) => setTimeout(() => resolve('asked'), 700))]);
        if (early !== 'asked') return false;
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return (await opening) !== undefined;
      });
      const chosen = vscode.window.activeTextEditor?.document.uri.fsPath;
      assert.ok(chosen?.endsWith('Onboarding.csml'));
      const again = await Promise.race([
        vscode.commands.executeCommand<vscode.TextEditor>('csml.openFlow', alice),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000)),
      ]);
      assert.ok(again, 'asked again instead of remembering the choice');
      assert.equal(again.document.uri.fsPath, chosen);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), 'backup'), { recursive: true });
    }
  });

  it('opens the flow with Open Flow File when a step is only in the Studio, at the top', async () => {
    emulator.setConversation('frank', sampleConversation('frank', { flow_id: sampleFlowId('Default'), step_id: 'inserted_elsewhere' }));
    await vscode.commands.executeCommand('csml.lookUpConversation', 'frank');
    const frank = api.tree.getChildren().find((node) => row(node).startsWith('frank'));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('csml.openFlow', frank);
    assert.ok(editor?.document.uri.fsPath.endsWith('Default.csml'));
    assert.equal(editor.selection.active.line, 0);
  });
});
