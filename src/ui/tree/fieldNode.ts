import * as vscode from 'vscode';
import { contextValue, TreeNode } from './treeNode';

export interface FieldOptions {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
  readonly tooltip?: string | vscode.MarkdownString;
  readonly icon: string;
  /** Extra contextValue words, e.g. `openFlow` for rows that lead to the source. */
  readonly context?: string[];
  readonly command?: vscode.Command;
}

/** A labelled fact about a conversation (flow, step, status, a time, an id). */
export class FieldNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly key: string,
    private readonly options: FieldOptions,
  ) {
    super(`${parent.id}/${key}`, parent);
  }

  get copyText(): string {
    return this.options.value;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.options.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.options.description ?? this.options.value;
    item.tooltip = this.options.tooltip ?? this.options.value;
    item.iconPath = new vscode.ThemeIcon(this.options.icon);
    item.contextValue = contextValue('field', key(this.key), 'copyable', ...(this.options.context ?? []));
    item.command = this.options.command;
    return item;
  }
}

function key(name: string): string {
  return `field-${name}`;
}
