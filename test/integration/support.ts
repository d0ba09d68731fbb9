import * as vscode from 'vscode';
import type { CsmlExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/treeNode';

export const EXTENSION_ID = 'csml-conversations.csml-conversations';

export { INTEGRATION_CREDENTIALS } from './credentials';

export async function activeExtension(): Promise<CsmlExtensionApi> {
  const extension = vscode.extensions.getExtension<CsmlExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

/** Polls until `probe` returns something truthy; fails with what it last saw. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need a workspace folder');
  return folder.uri;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('csml').update(key, value, vscode.ConfigurationTarget.Global);
}

/** A tree row as a person reads it: `label: description`. */
export function row(node: TreeNode): string {
  const item = node.getTreeItem();
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return item.description ? `${label}: ${String(item.description)}` : label;
}
