import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceRoot } from './support';

function flowFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), 'flows', `${name}.csml`);
}

/** The position just inside the first `text` on the line that holds `lineText`. */
async function positionOf(uri: vscode.Uri, lineText: string, text: string): Promise<vscode.Position> {
  const document = await vscode.workspace.openTextDocument(uri);
  const lines = document.getText().split(/\r?\n/);
  const line = lines.findIndex((candidate) => candidate.includes(lineText));
  assert.ok(line >= 0, `no line with ${lineText} in ${uri.path}`);
  return new vscode.Position(line, lines[line].indexOf(text) + 1);
}

const where = (location: vscode.Location) => `${location.uri.path.split('/').pop()}:${location.range.start.line + 1}`;

describe('CSML as a language', function () {
  this.timeout(20_000);

  it('opens flows in the CSML language and their command lists apart', async () => {
    const flow = await vscode.workspace.openTextDocument(flowFile('Default'));
    assert.equal(flow.languageId, 'csml');
    const commands = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Default.cmds.csml'));
    assert.equal(commands.languageId, 'csml-commands');
  });

  it('lists the steps of a flow in the Outline', async () => {
    const uri = flowFile('OrderPizza');
    await vscode.window.showTextDocument(uri);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['start', 'choose_size', 'choose_toppings', 'summary', 'checkout', 'thanks'],
    );
    assert.equal(symbols[1].selectionRange.start.line, 11);
  });

  it('goes from goto s@F to the step in the other flow', async () => {
    const uri = flowFile('Onboarding');
    const position = await positionOf(uri, 'goto menu@Default', 'menu');
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      uri,
      position,
    );
    const locations = found.map((item) => ('targetUri' in item ? new vscode.Location(item.targetUri, item.targetRange) : item));
    assert.deepEqual(locations.map(where), ['Default.csml:9']);
  });

  it('goes from a flow name to its file', async () => {
    const uri = flowFile('Default');
    const position = await positionOf(uri, 'goto flow OrderPizza', 'OrderPizza');
    const found = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', uri, position);
    assert.deepEqual(found.map(where), ['OrderPizza.csml:1']);
  });

  it('finds the references of a step in two flows', async () => {
    const uri = flowFile('Default');
    const position = await positionOf(uri, 'menu:', 'menu');
    const found = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri, position);
    assert.deepEqual(found.map(where).sort(), ['Default.csml:32', 'Default.csml:7', 'Default.csml:9', 'Onboarding.csml:38']);
  });

  it('finds every step and function of the bot in Go to Symbol in Workspace', async () => {
    const found = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'ask');
    assert.deepEqual(found.map((symbol) => `${symbol.containerName}.${symbol.name}`).sort(), [
      'Onboarding.ask_name',
      'Onboarding.ask_topping',
    ]);
  });

  it("completion after `goto ` lists the flow's steps", async () => {
    const uri = flowFile('OrderPizza');
    await vscode.window.showTextDocument(uri);
    // Right after `goto ` in `goto choose_toppings`: nothing typed yet, every step is offered.
    const position = (await positionOf(uri, 'goto choose_toppings', 'goto')).translate(0, 'goto'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const label = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);
    const steps = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Method);
    assert.deepEqual(steps.map(label).sort(), ['checkout', 'choose_size', 'choose_toppings', 'start', 'summary', 'thanks']);
    const [summary] = steps.filter((item) => label(item) === 'summary');
    assert.equal(typeof summary.label === 'string' ? undefined : summary.label.description, 'OrderPizza');
    assert.ok(
      list.items.some((item) => label(item) === 'end' && item.kind === vscode.CompletionItemKind.Keyword),
      'end is offered',
    );
  });

  it('reads a flow created on disk, closed, at the right lines, and forgets it once deleted', async () => {
    const extra = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Extra.csml');
    const referencesOfMenu = async () => {
      const position = await positionOf(flowFile('Default'), 'menu:', 'menu');
      const found = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeReferenceProvider',
        flowFile('Default'),
        position,
      );
      return found.map(where);
    };
    await vscode.workspace.fs.writeFile(extra, Buffer.from('// added on disk\r\n\r\nstart:\r\n  goto menu@Default\r\n'));
    try {
      await waitFor('Extra.csml among the references', async () => (await referencesOfMenu()).includes('Extra.csml:4'));
    } finally {
      await vscode.workspace.fs.delete(extra);
    }
    await waitFor('Extra.csml gone from the references', async () => !(await referencesOfMenu()).some((at) => at.startsWith('Extra')));
  });

  it('warns about a goto to a missing step as it is typed, and clears the warning once it is fixed', async () => {
    const uri = flowFile('OrderPizza');
    const editor = await vscode.window.showTextDocument(uri);
    const csmlProblems = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'CSML');
    const line = editor.document
      .getText()
      .split(/\r?\n/)
      .findIndex((text) => text.includes('goto summary'));
    const at = editor.document.lineAt(line).range;
    try {
      await editor.edit((edit) => edit.replace(at, '  goto sumary'));
      const [warning] = await waitFor('the missing step in the Problems panel', () => {
        const found = csmlProblems().filter((d) => d.code === 'missing-step');
        return found.length > 0 && found;
      });
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(warning.range.start.line, line);
      assert.match(warning.message, /No step "sumary" in this flow: the conversation would end here/);
      await editor.edit((edit) => edit.replace(editor.document.lineAt(line).range, '  goto summary'));
      await waitFor('the warning to clear', () => csmlProblems().every((d) => d.code !== 'missing-step'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('offers to create a missing step, and the quick fix creates it under the step that goes to it', async () => {
    const uri = flowFile('OrderPizza');
    const editor = await vscode.window.showTextDocument(uri);
    const line = editor.document
      .getText()
      .split(/\r?\n/)
      .findIndex((text) => text.includes('goto summary'));
    try {
      await editor.edit((edit) => edit.replace(editor.document.lineAt(line).range, '  goto recap'));
      const [warning] = await waitFor('the missing step in the Problems panel', () => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'missing-step');
        return found.length > 0 && found;
      });
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, warning.range);
      const create = actions.find((action) => action.title === "Create step 'recap'");
      assert.ok(create?.edit, actions.map((action) => action.title).join(', '));
      assert.ok(await vscode.workspace.applyEdit(create.edit));
      assert.match(editor.document.getText(), /\n\s*goto recap\n(?:.*\n)*?\nrecap:\n\s+goto end\n/);
      await waitFor('the warning to clear', () => vscode.languages.getDiagnostics(uri).every((d) => d.code !== 'missing-step'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('reads bot.json again when it changes: only the default flow may lack a start step', async () => {
    const extra = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Extra.csml');
    const other = vscode.Uri.joinPath(workspaceRoot(), 'flows', 'Other.csml');
    const botJson = vscode.Uri.joinPath(workspaceRoot(), 'bot.json');
    const original = await vscode.workspace.fs.readFile(botJson);
    const missingStart = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).some((d) => d.code === 'missing-start');
    for (const uri of [extra, other]) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('extra:\n  goto end@Default\n'));
    try {
      await vscode.window.showTextDocument(flowFile('Default'));
      await waitFor('both flows refused without a start step', () => missingStart(extra) && missingStart(other));
      const settings = JSON.parse(new TextDecoder().decode(original)) as Record<string, unknown>;
      await vscode.workspace.fs.writeFile(botJson, new TextEncoder().encode(JSON.stringify({ ...settings, default_flow: 'Extra' })));
      await waitFor('Extra accepted as the default flow, Other still refused', () => !missingStart(extra) && missingStart(other));
    } finally {
      await vscode.workspace.fs.writeFile(botJson, original);
      for (const uri of [extra, other]) await vscode.workspace.fs.delete(uri);
    }
    await waitFor(
      'both gone from the Problems panel',
      () => vscode.languages.getDiagnostics(extra).length + vscode.languages.getDiagnostics(other).length === 0,
    );
  });

  it('follows an edit that is not saved yet', async () => {
    const uri = flowFile('OrderPizza');
    const editor = await vscode.window.showTextDocument(uri);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n\nextra:\n  goto menu@Default\n'));
    try {
      const position = await positionOf(flowFile('Default'), 'menu:', 'menu');
      const found = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeReferenceProvider',
        flowFile('Default'),
        position,
      );
      assert.ok(found.map(where).includes(`OrderPizza.csml:${editor.document.lineCount - 1}`), found.map(where).join(' '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('renames a step in two files, leaving a string that mentions it alone', async () => {
    const files = [flowFile('Default'), flowFile('Onboarding')];
    const before = await Promise.all(files.map(async (uri) => (await vscode.workspace.openTextDocument(uri)).getText()));
    const position = await positionOf(flowFile('Default'), 'menu:', 'menu');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      flowFile('Default'),
      position,
      'main_menu',
    );
    const changes = edit
      .entries()
      .flatMap(([uri, edits]) => edits.map((change) => `${uri.path.split('/').pop()}:${change.range.start.line + 1}`));
    assert.deepEqual(changes.sort(), ['Default.csml:32', 'Default.csml:7', 'Default.csml:9', 'Onboarding.csml:38']);
    try {
      assert.ok(await vscode.workspace.applyEdit(edit));
      const [defaultFlow, onboarding] = await Promise.all(files.map((uri) => vscode.workspace.openTextDocument(uri)));
      assert.match(onboarding.getText(), /goto main_menu@Default/);
      assert.equal(defaultFlow.getText().match(/\bmain_menu\b/g)?.length, 3);
      assert.match(defaultFlow.getText(), /Hint: menu: order/);
    } finally {
      for (const uri of files) {
        await vscode.window.showTextDocument(uri);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
    for (const [i, uri] of files.entries()) assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), before[i]);
  });

  it('refuses to rename the start step, and says why', async () => {
    const position = await positionOf(flowFile('Default'), 'start:', 'start');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', flowFile('Default'), position, 'begin')),
      /The start step is where every conversation of flow Default begins/,
    );
  });

  it('shows the first lines of a step when the pointer rests on a goto to it', async () => {
    const uri = flowFile('Onboarding');
    const position = await positionOf(uri, 'goto menu@Default', 'menu');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const texts = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)));
    assert.ok(
      texts.some((text) => text.startsWith('Step in flow Default') && text.includes('```csml\nmenu:\n  say Question(')),
      texts.join('\n---\n'),
    );
  });
});
