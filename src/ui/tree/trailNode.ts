import { ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';
import { Command } from '../commandIds';
import { relativeTime } from '../../conversations/format';
import { TrailEntry } from '../../conversations/stepTrail';
import { contextValue, TreeNode } from './treeNode';

/** The steps the pinned user went through while polling, newest first. */
export class TrailNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly entries: readonly TrailEntry[],
    private readonly now: () => number,
  ) {
    super(`${parent.id}/trail`, parent);
  }

  get copyText(): string {
    return this.entries.map((e) => `${new Date(e.at).toISOString()} ${e.flowName ?? e.flowId} · ${e.stepId}`).join('\n');
  }

  getTreeItem(): TreeItem {
    const item = new TreeItem('Trail', TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${this.entries.length} step${this.entries.length === 1 ? '' : 's'} seen`;
    item.tooltip = 'The flows and steps seen while polling the pinned user, newest first (at most 50). Click one to open it.';
    item.iconPath = new ThemeIcon('debug-stackframe');
    item.contextValue = contextValue('trail', 'copyable');
    return item;
  }

  getChildren(): TreeNode[] {
    return this.entries.map((entry, index) => new TrailEntryNode(this, entry, index, this.now));
  }
}

class TrailEntryNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly entry: TrailEntry,
    index: number,
    private readonly now: () => number,
  ) {
    super(`${parent.id}/${entry.at}-${index}`, parent);
  }

  get copyText(): string {
    return `${this.entry.flowName ?? this.entry.flowId} · ${this.entry.stepId}`;
  }

  getTreeItem(): TreeItem {
    const item = new TreeItem(this.copyText, TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = relativeTime(new Date(this.entry.at).toISOString(), this.now());
    item.tooltip = `${new Date(this.entry.at).toLocaleString()}: flow ${this.entry.flowName ?? this.entry.flowId}, step ${this.entry.stepId}`;
    item.iconPath = new ThemeIcon('circle-small-filled');
    item.contextValue = contextValue('trailEntry', 'copyable');
    item.command = {
      command: Command.openFlowAt,
      title: 'Open Flow at Step',
      arguments: [{ flowId: this.entry.flowId, flowName: this.entry.flowName, stepId: this.entry.stepId }],
    };
    return item;
  }
}
