import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ValidationOutcome } from '../../src/roundtrip/botValidation';
import type { DownloadResult } from '../../src/ui/studio/botDownload';
import type { DeployResult } from '../../src/ui/studio/botDeploy';
import { sampleEmulatorOptions, sampleFlows } from '../emulator/fixtures';
import { StudioEmulator, StudioFlow } from '../emulator/studioEmulator';
import { activeExtension, INTEGRATION_CREDENTIALS, setSetting, waitFor, workspaceRoot } from './support';

function studioProblems(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'CSML Studio');
}

function flowNamed(name: string, content: string, commands: string[] = []): StudioFlow {
  const [template] = sampleFlows();
  return { ...template, id: `id-${Buffer.from(name).toString('hex')}`, name, content, commands };
}

describe('the Studio round trip: validate and download', function () {
  this.timeout(30_000);
  const emulator = new StudioEmulator({ ...INTEGRATION_CREDENTIALS, ...sampleEmulatorOptions() });
  const temporary: string[] = [];

  before(async () => {
    await emulator.start();
    await setSetting('apiBaseUrl', emulator.baseUrl);
    await activeExtension();
    assert.equal(await vscode.commands.executeCommand('csml.importDotEnvCredentials'), 'stored');
  });

  afterEach(() => emulator.setFlows(sampleFlows()));

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('apiBaseUrl', undefined);
    await emulator.stop();
    for (const folder of temporary) fs.rmSync(folder, { recursive: true, force: true });
  });

  it("shows the Studio engine's errors on the local flow after a save, once, and clears them when fixed", async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Extra.csml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('begin:\n  say "no start yet"\n'));
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      // The local checks say it already: the Studio's error on the same line is not shown twice.
      await waitFor('the local missing-start error', () =>
        vscode.languages.getDiagnostics(uri).some((diagnostic) => diagnostic.source === 'CSML' && diagnostic.code === 'missing-start'),
      );
      const outcome = await vscode.commands.executeCommand<ValidationOutcome>('csml.validateBot', uri);
      assert.deepEqual(
        outcome?.places.byFlow.get('Extra')?.map((error) => error.message),
        ['The flow has no start step'],
      );
      assert.deepEqual(studioProblems(uri), []);
      const sent = JSON.parse(emulator.requests.filter((request) => request.path === '/bot/validate').at(-1)?.body ?? '{}') as {
        flows: Array<{ name: string; content: string }>;
      };
      assert.equal(sent.flows.find((flow) => flow.name === 'Extra')?.content, 'begin:\n  say "no start yet"\n');

      // What only the Studio knows shows after the save, where the engine puts it.
      emulator.fault({
        path: '/bot/validate',
        afterAuth: true,
        times: 1,
        json: {
          valid: false,
          errors: [{ flow: 'Extra', line: 4, column: 7, message: 'at line 4,\n  say "no start yet"\n      ^\nUnknown component' }],
        },
      });
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'start:\n  goto begin\n'));
      await document.save();
      const [problem] = await waitFor(
        'the Studio error after the save',
        () => studioProblems(uri).length > 0 && studioProblems(uri),
        15_000,
      );
      assert.equal(problem.message, 'Unknown component');
      assert.deepEqual([problem.range.start.line, problem.range.start.character], [3, 6]);
      assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);

      await editor.edit((edit) => edit.insert(new vscode.Position(4, 0), '  // fixed\n'));
      await document.save();
      await waitFor('the error to clear after the next save', () => studioProblems(uri).length === 0, 15_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('never lets an answer about older contents replace a newer one', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Racing.csml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('start:\n  say "first version"\n  goto end\n'));
    try {
      const editor = await vscode.window.showTextDocument(uri);
      // The first validation's answer is slow and finds an error; the second, of newer contents, finds none.
      emulator.clearRequests();
      emulator.fault({
        path: '/bot/validate',
        afterAuth: true,
        times: 1,
        delayMs: 1500,
        json: { valid: false, errors: [{ flow: 'Racing', line: 2, column: 3, message: 'About the first version' }] },
      });
      const first = vscode.commands.executeCommand<ValidationOutcome | undefined>('csml.validateBot', uri);
      await waitFor('the first validation to be sent', () => emulator.requests.some((request) => request.path === '/bot/validate'));
      await editor.edit((edit) => edit.replace(new vscode.Range(1, 0, 1, 100), '  say "second version"'));
      const second = await vscode.commands.executeCommand<ValidationOutcome>('csml.validateBot', uri);
      assert.equal(second?.valid, true);
      assert.equal(await first, undefined, 'the older validation still reported an outcome');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.deepEqual(studioProblems(uri), []);
      const sent = emulator.requests.filter((request) => request.path === '/bot/validate').map((request) => request.body);
      assert.ok(sent[0].includes('first version') && sent.at(-1)?.includes('second version'), 'the two validations sent the same text');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('tells of an error in a flow that has no local file instead of dropping it', async () => {
    emulator.setFlows([...sampleFlows(), flowNamed('Remote', 'hello:\n  goto end\n')]);
    const outcome = await vscode.commands.executeCommand<ValidationOutcome>(
      'csml.validateBot',
      vscode.Uri.joinPath(workspaceRoot(), 'bot.json'),
    );
    assert.deepEqual(
      outcome?.places.elsewhere.map((error) => error.flow),
      ['Remote'],
    );
  });

  it('downloads the bot in the Studio CLI layout, refusing hostile names and keeping dots', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-download-'));
    temporary.push(folder);
    emulator.setFlows([
      ...sampleFlows(),
      flowNamed('Billing.Legacy', 'start:\n  goto end\n', ['/bill', '/legacy']),
      flowNamed('../escape', 'start:\n  say "outside"\n'),
      flowNamed('X', 'start:\n  goto end\n'),
      flowNamed('X.cmds', 'start:\n  goto end\n'),
    ]);
    const result = await vscode.commands.executeCommand<DownloadResult>('csml.downloadBot', vscode.Uri.file(folder));
    assert.ok(result);
    const read = (file: string) => fs.readFileSync(path.join(folder, file), 'utf8');
    assert.equal((JSON.parse(read('bot.json')) as { default_flow?: string }).default_flow, 'Default');
    for (const flow of sampleFlows()) assert.equal(read(`flows/${flow.name}.csml`), flow.content);
    assert.equal(read('flows/Billing.Legacy.csml'), 'start:\n  goto end\n');
    assert.equal(read('flows/Billing.Legacy.cmds.csml'), '/bill\n/legacy\n');
    assert.equal(read('flows/X.csml'), 'start:\n  goto end\n');
    assert.ok(!fs.existsSync(path.join(folder, 'escape.csml')) && !fs.existsSync(path.join(path.dirname(folder), 'escape.csml')));
    assert.ok(!fs.existsSync(path.join(folder, '.env')), 'a .env was written');
    assert.deepEqual(result.refused.map((flow) => flow.name).sort(), ['../escape', 'X.cmds']);
    const kept = (await activeExtension()).testHooks?.globalState.get<{ base: { botId: string; flows: Record<string, { id: string }> } }>(
      `csml.deployedBase:${vscode.Uri.file(folder).toString()}`,
    );
    assert.equal(kept?.base.flows['Billing.Legacy']?.id, flowNamed('Billing.Legacy', '').id);
    assert.ok(kept?.base.botId);
    assert.deepEqual(fs.readdirSync(folder).sort(), ['bot.json', 'flows'], 'nothing but the layout is written');
  });

  it('never overwrites a changed file or an unsaved editor without being asked', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-download-'));
    temporary.push(folder);
    const first = await vscode.commands.executeCommand<DownloadResult>('csml.downloadBot', vscode.Uri.file(folder));
    assert.ok(first && first.written.length > 0);
    const changed = path.join(folder, 'flows', 'Default.csml');
    fs.writeFileSync(changed, 'start:\n  say "my own work"\n');
    const unsavedFile = vscode.Uri.file(path.join(folder, 'flows', 'Onboarding.csml'));
    const editor = await vscode.window.showTextDocument(unsavedFile);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// typing, not saved\n'));
    emulator.setFlows(
      sampleFlows().map((flow) =>
        flow.name === 'Onboarding' ? { ...flow, content: `${flow.content}\n// changed in the Studio\n` } : flow,
      ),
    );

    const downloading = vscode.commands.executeCommand<DownloadResult>('csml.downloadBot', vscode.Uri.file(folder));
    let settled: DownloadResult | undefined;
    void downloading.then((result) => (settled = result));
    // Enter with nothing checked: every file that differs stays as it is.
    await waitFor('the choice of files to replace', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    });
    const result = await downloading;
    assert.deepEqual([...result.kept].sort(), ['flows/Default.csml', 'flows/Onboarding.csml']);
    assert.deepEqual(result.written, []);
    assert.equal(fs.readFileSync(changed, 'utf8'), 'start:\n  say "my own work"\n');
    assert.ok(editor.document.isDirty && editor.document.getText().startsWith('// typing, not saved'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('deploys from the plan, with a conflict settled by choice, and builds a version', async () => {
    const root = workspaceRoot();
    // A download into the workspace itself records the base the plan compares against.
    await vscode.commands.executeCommand<DownloadResult>('csml.downloadBot', root);
    const onboarding = vscode.Uri.joinPath(root, 'flows', 'Onboarding.csml');
    const defaultFlow = vscode.Uri.joinPath(root, 'flows', 'Default.csml');
    const originals = await Promise.all([onboarding, defaultFlow].map((uri) => vscode.workspace.fs.readFile(uri)));
    try {
      const changed = (bytes: Uint8Array, line: string) => Buffer.concat([Buffer.from(bytes), Buffer.from(`\n${line}\n`)]);
      await vscode.workspace.fs.writeFile(onboarding, changed(originals[0], '// changed here'));
      await vscode.workspace.fs.writeFile(defaultFlow, changed(originals[1], '// changed here too'));
      emulator.editFlowAsColleague('Default', 'start:\n  say "a colleague\'s change"\n  goto end\n');
      emulator.clearRequests();

      const opened: string[] = [];
      const watching = vscode.window.tabGroups.onDidChangeTabs(({ opened: tabs }) => opened.push(...tabs.map((tab) => tab.label)));
      const deploying = vscode.commands.executeCommand<DeployResult>('csml.deploy', onboarding);
      let settled: DeployResult | undefined;
      void deploying.then((result) => (settled = result));
      // Enter on the plan (what is sent comes checked), then on the conflict's first choice: overwrite.
      await waitFor(
        'the plan and the conflict to be accepted',
        async () => {
          await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          return settled;
        },
        20_000,
      );
      const result = await deploying;
      assert.equal(result.outcome?.failed, undefined);
      assert.deepEqual(result.outcome?.sent.map(({ operation }) => `${operation.kind} ${operation.name}`).sort(), [
        'update Default',
        'update Onboarding',
      ]);
      watching.dispose();
      assert.ok(
        opened.some((label) => label.startsWith('Default.csml (Deployed ↔ Local)')),
        'the conflict was not shown as a diff',
      );
      const left = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label.includes('(Deployed ↔ Local)'));
      assert.deepEqual(left, [], 'the diff of a settled conflict was left open');
      const flows = emulator.getFlows();
      assert.match(flows.find((flow) => flow.name === 'Default')?.content ?? '', /changed here too/);
      assert.match(flows.find((flow) => flow.name === 'Onboarding')?.content ?? '', /changed here/);
      assert.ok(!emulator.requests.some((request) => request.method === 'DELETE'));

      const build = await vscode.commands.executeCommand<{ versionId: string; engineVersion?: string }>('csml.buildVersion');
      assert.ok(build?.versionId);
      assert.equal(emulator.getBuilds().at(-1)?.version_id, build.versionId);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.writeFile(onboarding, originals[0]);
      await vscode.workspace.fs.writeFile(defaultFlow, originals[1]);
    }
  });
});
