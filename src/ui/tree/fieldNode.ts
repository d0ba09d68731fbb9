import { Command, MarkdownString, ThemeIcon, TreeItem } from 'vscode';
import { contextValue, leafItem, TreeNode } from './treeNode';

export interface FieldOptions {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
  readonly tooltip?: string | MarkdownString;
  readonly icon: string;
  /** Extra contextValue words, e.g. `openFlow` for rows that lead to the source. */
  readonly context?: string[];
  readonly command?: Command;
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

  getTreeItem(): TreeItem {
    const { label, value, description, tooltip, icon, context, command } = this.options;
    return leafItem(this.id, {
      label,
      description: description ?? value,
      tooltip: tooltip ?? value,
      icon: new ThemeIcon(icon),
      contextValue: contextValue('field', key(this.key), 'copyable', ...(context ?? [])),
      command,
    });
  }
}

function key(name: string): string {
  return `field-${name}`;
}
