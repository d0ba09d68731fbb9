import { Disposable, EventEmitter, FileSystemWatcher, Uri, workspace } from 'vscode';
import { retryingOnce } from '../common/retryingOnce';
import { FlowFileIndex } from '../csml/flowFileIndex';
import { Logger } from './log';

/** Folders that hold installed packages or build output, never a bot's own flows. */
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**,**/dist/**,**/out/**}';
const IGNORED_FOLDER = /[\\/](node_modules|\.git|\.vscode-test|dist|out)[\\/]/;

/**
 * Every `.csml` file in the workspace, indexed by flow name and kept fresh by a file watcher, so
 * finding a flow's file is a map lookup instead of a workspace search per click. The first scan
 * happens on first use, never at start-up.
 */
export class FlowFiles implements Disposable {
  private readonly index = new FlowFileIndex();
  private readonly indexed = retryingOnce(() => this.scan());
  private watcher: FileSystemWatcher | undefined;
  private readonly fileChanged = new EventEmitter<Uri>();
  /** A flow file was created, changed or deleted on disk (once the index exists). */
  readonly onDidChangeFile = this.fileChanged.event;

  constructor(private readonly logger: Logger) {}

  /** The file paths (fsPath) whose name makes them the flow's source, best match first. */
  async lookup(flowName: string): Promise<string[]> {
    await this.ensureIndexed();
    return this.index.lookup(flowName);
  }

  /** Files just written by the extension: found at once, before the watcher tells of them. */
  noteWritten(uris: readonly Uri[]): void {
    for (const uri of uris) {
      // A folder outside the workspace is none of its flows: nothing would keep its files in the index fresh.
      if (!uri.path.toLowerCase().endsWith('.csml') || !workspace.getWorkspaceFolder(uri)) continue;
      this.index.add(uri.fsPath);
      this.fileChanged.fire(uri);
    }
  }

  private ensureIndexed(): Promise<void> {
    return this.indexed.run();
  }

  private async scan(): Promise<void> {
    // The watcher starts before the search so a file created during the search is not missed.
    this.watcher = workspace.createFileSystemWatcher('**/*.csml');
    this.watcher.onDidCreate((uri) => {
      // Only folders inside the workspace count: a bot kept under, say, ~/out/ is still a bot.
      if (!IGNORED_FOLDER.test(`/${workspace.asRelativePath(uri, false)}`)) this.index.add(uri.fsPath);
      this.fileChanged.fire(uri);
    });
    this.watcher.onDidDelete((uri) => {
      this.index.remove(uri.fsPath);
      this.fileChanged.fire(uri);
    });
    this.watcher.onDidChange((uri) => this.fileChanged.fire(uri));
    const started = Date.now();
    const files = await workspace.findFiles('**/*.csml', EXCLUDE);
    for (const uri of files) this.index.add(uri.fsPath);
    this.logger.info(`indexed ${this.index.size} flow files in ${Date.now() - started} ms`);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.fileChanged.dispose();
  }
}
