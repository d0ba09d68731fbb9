// Checks that the tests really run inside a VS Code extension host with the workspace folder open.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';

describe('extension host', () => {
  it('is a real VS Code', () => {
    assert.ok(vscode.env.appName.length > 0, 'vscode.env.appName is empty');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('has the workspace folder open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, `expected one workspace folder, got ${folders.length}`);
    assert.strictEqual(folders[0].uri.scheme, 'file');
    assert.ok(fs.statSync(folders[0].uri.fsPath).isDirectory(), `${folders[0].uri.fsPath} is not a folder here`);
  });
});
