import { Command, MarkdownString, ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';

/** A row of the Conversations view; each kind of row owns its item and its children. */
export abstract class TreeNode {
  constructor(
    /** Stable across refreshes, so VS Code keeps each row's expanded state. */
    readonly id: string,
    readonly parent: TreeNode | undefined,
  ) {}

  /** What "Copy Value" puts on the clipboard. */
  abstract readonly copyText: string;

  abstract getTreeItem(): TreeItem;

  getChildren(): TreeNode[] {
    return [];
  }
}

/** contextValue words that the manifest's `viewItem =~ /\bword\b/` clauses match. */
export function contextValue(...words: (string | false | undefined)[]): string {
  return words.filter(Boolean).join(' ');
}

/** What a row without children shows. */
export interface LeafRow {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string | MarkdownString;
  readonly icon: ThemeIcon;
  readonly contextValue: string;
  readonly command?: Command;
}

/** The item of a row without children. */
export function leafItem(id: string, row: LeafRow): TreeItem {
  const item = new TreeItem(row.label, TreeItemCollapsibleState.None);
  item.id = id;
  item.description = row.description;
  item.tooltip = row.tooltip;
  item.iconPath = row.icon;
  item.contextValue = row.contextValue;
  item.command = row.command;
  return item;
}
