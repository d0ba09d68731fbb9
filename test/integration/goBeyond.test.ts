import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CsmlExtensionApi } from '../../src/extension';
import { sampleConversation, sampleEmulatorOptions, sampleFlowId, sampleFlows } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor, workspaceRoot, row } from './support';

async function lensTitles(uri: vscode.Uri): Promise<[number, string][]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((lens) => lens.command?.title).map((lens) => [lens.range.start.line, lens.command?.title ?? ''] as [number, string]);
}

function flowFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), 'flows', `${name}.csml`);
}

async function lineOf(uri: vscode.Uri, label: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  return document
    .getText()
    .split(/\r?\n/)
    .findIndex((line) => line.startsWith(`${label}:`));
}

describe('seeing and driving the test user from the flow source', function () {
  this.timeout(30_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  let api: CsmlExtensionApi;

  before(async () => {
    await emulator.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    await setSetting('pollIntervalSeconds', 1);
    api = await activeExtension();
    const outcome = await vscode.commands.executeCommand('csml.importDotEnvCredentials');
    assert.equal(outcome, 'stored');
  });

  after(async () => {
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await setSetting('apiBaseUrl', undefined);
    await setSetting('pollIntervalSeconds', undefined);
    await emulator.stop();
  });

  it("marks the pinned user's step in the flow source, follows it, and removes it on unpin", async () => {
    emulator.setConversation('mia', sampleConversation('mia', { flow_id: sampleFlowId('OrderPizza'), step_id: 'choose_size' }));
    await vscode.commands.executeCommand('csml.pinTestUser', 'mia');
    await waitFor('mia in the status bar', () => api.status.snapshot.text.includes('choose_size'));
    const uri = flowFile('OrderPizza');
    await vscode.window.showTextDocument(uri);
    const sizeLine = await lineOf(uri, 'choose_size');
    let titles = await waitFor('the marker', async () => {
      const found = await lensTitles(uri);
      return found.some(([, t]) => t.startsWith('● mia is here')) && found;
    });
    assert.ok(
      titles.some(([line, t]) => line === sizeLine && /^● mia is here( · .+)?$/.test(t)),
      JSON.stringify(titles),
    );
    assert.ok(
      titles.some(([line, t]) => line === 0 && t === '▶ Start this flow for mia'),
      JSON.stringify(titles),
    );

    emulator.setConversation('mia', sampleConversation('mia', { flow_id: sampleFlowId('OrderPizza'), step_id: 'summary' }));
    const summaryLine = await lineOf(uri, 'summary');
    titles = await waitFor(
      'the marker to move',
      async () => {
        const found = await lensTitles(uri);
        return found.some(([line, t]) => line === summaryLine && t.startsWith('● mia')) && found;
      },
      15_000,
    );
    assert.ok(!titles.some(([line, t]) => line === sizeLine && t.startsWith('● mia')));

    const pinned = api.tree.getChildren()[0];
    const trail = pinned.getChildren().find((node) => row(node).startsWith('Trail'));
    assert.ok(trail, 'no Trail row under the pinned user');
    assert.deepEqual(
      trail.getChildren().map((node) => labelOf(node.getTreeItem().label)),
      ['OrderPizza · summary', 'OrderPizza · choose_size'],
    );

    await vscode.commands.executeCommand('csml.unpinTestUser');
    await waitFor('the marker to go', async () => !(await lensTitles(uri)).some(([, t]) => t.includes('mia')));
  });

  it('marks users looked up by hand too, and drops the marker when their conversation closes', async () => {
    emulator.setConversation('noah', sampleConversation('noah', { flow_id: sampleFlowId('Onboarding'), step_id: 'confirm' }));
    await vscode.commands.executeCommand('csml.lookUpConversation', 'noah');
    const uri = flowFile('Onboarding');
    const confirmLine = await lineOf(uri, 'confirm');
    await waitFor("noah's marker", async () =>
      (await lensTitles(uri)).some(([line, t]) => line === confirmLine && t.startsWith('● noah is here')),
    );
    emulator.setConversation('noah', null);
    await vscode.commands.executeCommand('csml.refresh');
    await waitFor("noah's marker to go", async () => !(await lensTitles(uri)).some(([, t]) => t.includes('noah')));
  });

  it('sends a message as the pinned user, shows the replies and refreshes at once', async () => {
    emulator.setConversation('olga', sampleConversation('olga', { flow_id: sampleFlowId('OrderPizza'), step_id: 'choose_size' }));
    await vscode.commands.executeCommand('csml.pinTestUser', 'olga');
    await waitFor('olga in the status bar', () => api.status.snapshot.text.includes('choose_size'));
    emulator.clearRequests();
    const replies = await vscode.commands.executeCommand<string[]>('csml.sendTestMessage', 'large please');
    assert.ok(replies && replies.length > 0);
    const chat = emulator.requests.find((r) => r.path === '/chat');
    assert.ok(chat);
    assert.deepEqual((JSON.parse(chat.body) as { payload: unknown }).payload, { content_type: 'text', content: { text: 'large please' } });
    assert.equal(chat.headers['x-api-signature'], undefined);
    assert.match(api.status.snapshot.text, /OrderPizza · choose_toppings/);
  });

  it('starts a flow for the pinned user with a flow_trigger', async () => {
    const replies = await vscode.commands.executeCommand<string[]>('csml.triggerFlow', { flowName: 'Onboarding' });
    assert.ok(replies);
    const trigger = emulator.requests.filter((r) => r.path === '/chat').at(-1);
    assert.deepEqual((JSON.parse(trigger?.body ?? '{}') as { payload: unknown }).payload, {
      content_type: 'flow_trigger',
      content: { flow_id: sampleFlowId('Onboarding'), close_flows: true },
    });
    assert.match(api.status.snapshot.text, /Onboarding · start/);
    await vscode.commands.executeCommand('csml.unpinTestUser');
  });

  it('says when the local flow differs from the deployed one and shows the difference', async () => {
    const uri = flowFile('Default');
    const original = await vscode.workspace.fs.readFile(uri);
    try {
      await vscode.workspace.fs.writeFile(
        uri,
        Buffer.concat([Buffer.from(original), Buffer.from('\nlocal_only:\n  say "not deployed yet"\n')]),
      );
      emulator.setConversation('pia', sampleConversation('pia', { flow_id: sampleFlowId('Default'), step_id: 'start' }));
      await vscode.commands.executeCommand('csml.lookUpConversation', 'pia');
      const pia = await waitFor('the differs note', () => {
        const node = api.tree.getChildren().find((n) => row(n).startsWith('pia'));
        return node?.getChildren().some((n) => row(n) === 'Flow: Default · local file differs from deployed') && node;
      });
      const opened = await vscode.commands.executeCommand<boolean>('csml.compareWithDeployed', pia);
      assert.equal(opened, true);
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'no diff editor opened');
      assert.equal(tab.input.original.scheme, 'csml-deployed');
      assert.equal(tab.input.modified.fsPath, uri.fsPath);
    } finally {
      await vscode.workspace.fs.writeFile(uri, original);
    }
  });

  it('compares the flow with the deployed one when the user is looked up, not when the row is drawn', async () => {
    const uri = flowFile('Default');
    const original = await vscode.workspace.fs.readFile(uri);
    try {
      await vscode.workspace.fs.writeFile(uri, Buffer.concat([Buffer.from(original), Buffer.from('\nlocal_too:\n  say "local"\n')]));
      // The view is closed and nothing draws it: its rows are built only below, once.
      await vscode.commands.executeCommand('workbench.view.explorer');
      emulator.setConversation('ruth', sampleConversation('ruth', { flow_id: sampleFlowId('Default'), step_id: 'start' }));
      await api.watch.add('ruth');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const ruth = api.tree.getChildren().find((n) => row(n).startsWith('ruth'));
      assert.ok(ruth);
      const flowRow = ruth.getChildren().find((n) => row(n).startsWith('Flow'));
      assert.equal(flowRow && row(flowRow), 'Flow: Default · local file differs from deployed');
      await api.watch.remove('ruth');
    } finally {
      await vscode.workspace.fs.writeFile(uri, original);
    }
  });

  it('opens the deployed copy at a step that only the deployed flow has', async () => {
    const flows = sampleFlows().map((flow) =>
      flow.name === 'Default' ? { ...flow, content: `${flow.content}\n\nnew_in_studio:\n  say "only deployed"\n` } : flow,
    );
    emulator.setFlows(flows);
    emulator.setConversation('quinn', sampleConversation('quinn', { flow_id: sampleFlowId('Default'), step_id: 'new_in_studio' }));
    await vscode.commands.executeCommand('csml.refresh');
    await vscode.commands.executeCommand('csml.lookUpConversation', 'quinn');
    const quinn = api.tree.getChildren().find((n) => row(n).startsWith('quinn'));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('csml.openFlow', quinn);
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'csml-deployed');
    const expected = editor.document
      .getText()
      .split(/\r?\n/)
      .findIndex((line) => line.startsWith('new_in_studio:'));
    assert.equal(editor.selection.active.line, expected);
  });
});

function labelOf(label: string | { label: string } | undefined): string | undefined {
  return typeof label === 'string' ? label : label?.label;
}
