import { Disposable, EventEmitter, TreeDataProvider, TreeItem } from 'vscode';
import { TreeNode } from './treeNode';
import { UserNode, UserNodeContext } from './userNode';

/** The Conversations view's data: one root per watched user, rebuilt from the watch list on change. */
export class ConversationsTree implements TreeDataProvider<TreeNode>, Disposable {
  private readonly changed = new EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private roots = new Map<string, UserNode>();
  private readonly rootsShown = new EventEmitter<void>();

  constructor(private readonly context: UserNodeContext) {
    // Every change rebuilds the roots; VS Code keeps expansion by node id, so nothing jumps.
    this.subscription = context.watch.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    const roots = new Map<string, UserNode>();
    for (const { userId } of this.context.watch.users) roots.set(userId, this.roots.get(userId) ?? new UserNode(userId, this.context));
    this.roots = roots;
    this.rootsShown.fire();
    return [...roots.values()];
  }

  /**
   * Resolves once VS Code has asked for the roots and got this user's row. VS Code batches change
   * events, so a reveal() straight after adding a user would look in the old list and fail.
   */
  whenShown(userId: string, timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (shown: boolean) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(shown);
      };
      const subscription = this.rootsShown.event(() => {
        if (this.roots.has(userId)) done(true);
      });
      const timer = setTimeout(() => done(false), timeoutMs);
    });
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** Redraws every row, e.g. when a comparison with the deployed flows finished. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The row of a user, the same object getChildren() returns, for reveal(). */
  userNode(userId: string): UserNode | undefined {
    if (!this.context.watch.get(userId)) return undefined;
    let node = this.roots.get(userId);
    if (!node) {
      node = new UserNode(userId, this.context);
      this.roots.set(userId, node);
    }
    return node;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.rootsShown.dispose();
  }
}
