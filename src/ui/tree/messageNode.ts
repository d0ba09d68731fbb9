import * as vscode from 'vscode';
import { contextValue, TreeNode } from './treeNode';

export interface MessageOptions {
  readonly key: string;
  readonly text: string;
  readonly tooltip?: string;
  readonly icon: vscode.ThemeIcon;
  readonly context?: string[];
  readonly command?: vscode.Command;
}

/** A sentence in place of a conversation: none open, an error with its remedy, or waiting. */
export class MessageNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly options: MessageOptions,
  ) {
    super(`${parent.id}/${options.key}`, parent);
  }

  get copyText(): string {
    return this.options.text;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.options.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.tooltip = this.options.tooltip ?? this.options.text;
    item.iconPath = this.options.icon;
    item.contextValue = contextValue('message', this.options.key, 'copyable', ...(this.options.context ?? []));
    item.command = this.options.command;
    return item;
  }
}
