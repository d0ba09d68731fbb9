import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TranscriptEntry } from '../../src/chat/chatTranscript';
import type { CsmlExtensionApi } from '../../src/extension';
import { sampleConversation, sampleEmulatorOptions, sampleFlowId } from '../emulator/fixtures';
import { StudioEmulator } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor } from './support';

describe('the Test Chat, as the commands drive it', function () {
  this.timeout(30_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  let api: CsmlExtensionApi;
  /** The history as the workspace keeps it, which a reloaded window reads back. */
  const kept = () =>
    (api.testHooks?.workspaceState.get<{ entries?: TranscriptEntry[] }>('csml.testChat.transcript')?.entries ?? []).map((entry) =>
      entry.from === 'user' ? `${entry.text} ${entry.status}` : entry.from === 'bot' ? `bot ${entry.messages.length}` : entry.text,
    );
  const chats = () => emulator.requests.filter((request) => request.path === '/chat');

  before(async () => {
    await emulator.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    api = await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
    emulator.setConversation('tess', sampleConversation('tess', { flow_id: sampleFlowId('OrderPizza'), step_id: 'choose_size' }));
    await vscode.commands.executeCommand('csml.pinTestUser', 'tess');
    await vscode.commands.executeCommand('csml.clearTestChat');
  });

  after(async () => {
    await vscode.commands.executeCommand('csml.clearTestChat');
    await vscode.commands.executeCommand('csml.unpinTestUser');
    await setSetting('apiBaseUrl', undefined);
    await emulator.stop();
  });

  beforeEach(() => emulator.clearRequests());

  it('keeps what was said in the workspace, a message the Studio failed to take marked as not delivered', async () => {
    const replies = await vscode.commands.executeCommand<string[]>('csml.sendTestMessage', 'hello');
    assert.deepEqual(replies, [
      'You said: hello',
      '[debug] flow OrderPizza, step choose_toppings',
      'Now in flow OrderPizza, step choose_toppings. Go on? [Next] [Stop]',
    ]);
    emulator.fault({ path: '/chat', status: 503, times: 1 });
    assert.equal(await vscode.commands.executeCommand('csml.sendTestMessage', 'still there?'), undefined);
    await waitFor('the history kept', () => kept().at(-1) === 'still there? failed');
    assert.deepEqual(kept(), ['hello sent', 'bot 4', 'still there? failed']);
  });

  it('shows a reply of an unknown kind as its JSON, and a reply of 1 MB cut', async () => {
    const huge = 'x'.repeat(1_000_000);
    emulator.fault({
      path: '/chat',
      times: 1,
      status: 200,
      json: {
        messages: [
          { payload: { content_type: 'carousel', content: { cards: [{ title: '<script>alert(1)</script>' }] } } },
          { payload: { content_type: 'text', content: { text: huge } } },
        ],
        conversation_end: false,
      },
    });
    const replies = (await vscode.commands.executeCommand<string[]>('csml.sendTestMessage', 'show me')) ?? [];
    assert.match(replies[0] ?? '', /^\[carousel\] .*<script>alert\(1\)<\/script>/s);
    assert.match(replies[1] ?? '', /… \(980,000 more characters\)$/);
  });

  it('starts a flow that exists, and sends nothing for one that does not', async () => {
    const replies = await vscode.commands.executeCommand<string[]>('csml.triggerFlow', 'Onboarding');
    assert.equal(replies?.[0], 'Starting flow Onboarding.');
    emulator.clearRequests();
    assert.equal(await vscode.commands.executeCommand('csml.triggerFlow', 'NoSuchFlow'), undefined);
    assert.deepEqual(chats(), []);
  });

  it('restarts the default flow, closing what is open', async () => {
    const replies = await vscode.commands.executeCommand<string[]>('csml.restartConversation');
    assert.equal(replies?.[0], 'Starting flow Default.');
    assert.deepEqual((JSON.parse(chats().at(-1)?.body ?? '{}') as { payload: unknown }).payload, {
      content_type: 'flow_trigger',
      content: { flow_id: sampleFlowId('Default'), close_flows: true },
    });
    await waitFor('tess in the Default flow', () => api.status.snapshot.text.includes('Default · start'));
  });

  it('pins a new test user, never seen before, and talks as that user', async () => {
    const userId = await vscode.commands.executeCommand<string>('csml.newTestUser');
    assert.match(userId, /^test-[0-9a-f]{8}$/);
    assert.equal(vscode.workspace.getConfiguration('csml').get('pinnedUserId'), userId);
    await waitFor('the new user pinned', () => api.watch.pinned === userId);
    await vscode.commands.executeCommand('csml.sendTestMessage', 'hi');
    const sent = JSON.parse(chats().at(-1)?.body ?? '{}') as { client?: { user_id?: string } };
    assert.equal(sent.client?.user_id, userId);
    await waitFor('the change of user noted', () => kept().includes(`Now talking as ${userId}`));
    await vscode.commands.executeCommand('csml.pinTestUser', 'tess');
  });
});
