import * as vscode from 'vscode';
import { WatchList } from '../../conversations/watchList';
import { TreeNode } from './treeNode';
import { UserNode } from './userNode';

/** The Conversations view's data: one root per watched user, rebuilt from the watch list on change. */
export class ConversationsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private roots = new Map<string, UserNode>();

  constructor(
    private readonly watch: WatchList,
    private readonly now: () => number = Date.now,
  ) {
    // Every change rebuilds the roots; VS Code keeps expansion by node id, so nothing jumps.
    this.subscription = watch.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    this.roots = new Map(this.watch.users.map((user) => [user.userId, new UserNode(user, this.now)]));
    return [...this.roots.values()];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** The current row of a user, for reveal(). */
  userNode(userId: string): UserNode | undefined {
    const user = this.watch.get(userId);
    if (!user) return undefined;
    const node = new UserNode(user, this.now);
    this.roots.set(userId, node);
    return node;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
