import { MarkdownString, ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';
import { containerSummary, scalarText, truncate } from '../../conversations/format';
import { contextValue, TreeNode } from './treeNode';

/** A key and its JSON value: objects and arrays expand into their members, lazily, however deep. */
export class JsonNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly key: string,
    private readonly value: unknown,
    private readonly icon?: string,
  ) {
    super(`${parent.id}/${encodeURIComponent(key)}`, parent);
  }

  get copyText(): string {
    return typeof this.value === 'string' ? this.value : (JSON.stringify(this.value, null, 2) ?? String(this.value));
  }

  private get isContainer(): boolean {
    return typeof this.value === 'object' && this.value !== null;
  }

  getTreeItem(): TreeItem {
    const item = new TreeItem(this.key, this.isContainer ? TreeItemCollapsibleState.Collapsed : TreeItemCollapsibleState.None);
    item.id = this.id;
    const text = this.isContainer ? containerSummary(this.value as object) : scalarText(this.value);
    item.description = truncate(text, 120);
    item.tooltip = new MarkdownString().appendCodeblock(truncate(this.isContainer ? this.copyText : text, 2000), 'json');
    item.iconPath = new ThemeIcon(this.icon ?? iconFor(this.value));
    item.contextValue = contextValue('field', 'copyable');
    return item;
  }

  getChildren(): TreeNode[] {
    if (!this.isContainer) return [];
    const entries = Array.isArray(this.value) ? this.value.map((v, i) => [String(i), v] as const) : Object.entries(this.value as object);
    return entries.map(([key, value]) => new JsonNode(this, key, value));
  }
}

function iconFor(value: unknown): string {
  if (Array.isArray(value)) return 'symbol-array';
  if (value === null) return 'symbol-null';
  switch (typeof value) {
    case 'object':
      return 'symbol-object';
    case 'string':
      return 'symbol-string';
    case 'number':
      return 'symbol-number';
    case 'boolean':
      return 'symbol-boolean';
    default:
      return 'symbol-field';
  }
}
