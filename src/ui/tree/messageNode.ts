import { Command, ThemeIcon, TreeItem } from 'vscode';
import { contextValue, leafItem, TreeNode } from './treeNode';

export interface MessageOptions {
  readonly key: string;
  readonly text: string;
  readonly tooltip?: string;
  readonly icon: ThemeIcon;
  readonly context?: string[];
  readonly command?: Command;
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

  getTreeItem(): TreeItem {
    const { key, text, tooltip, icon, context, command } = this.options;
    return leafItem(this.id, {
      label: text,
      tooltip: tooltip ?? text,
      icon,
      contextValue: contextValue('message', key, 'copyable', ...(context ?? [])),
      command,
    });
  }
}
