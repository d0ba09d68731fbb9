import { createHash } from 'node:crypto';
import { commands, Disposable, EventEmitter, TextDocument, TextDocumentContentProvider, Uri, window, workspace } from 'vscode';
import { sameFlowText } from '../csml/sameFlowText';
import { Flow } from '../studio/schema';
import { FlowFiles } from './flowFiles';
import { WatchList } from '../conversations/watchList';

export const DEPLOYED_SCHEME = 'csml-deployed';
const EDITS_SETTLE_MS = 300;

function isLocalFlow(document: TextDocument): boolean {
  return document.uri.scheme === 'file' && document.uri.fsPath.toLowerCase().endsWith('.csml');
}

function differenceKey(flow: Flow): string {
  return `${flow.id}\n${flow.content ?? ''}`;
}

/**
 * The flows as deployed in the Studio (`GET /bot/flows` returns each flow's content), shown as
 * read-only documents and compared with the local files.
 */
export class DeployedFlows implements TextDocumentContentProvider, Disposable {
  private readonly contents = new Map<string, string>();
  /**
   * Flow id + deployed content -> whether the local file differs, for the watched users' flows. `running`
   * names the comparison whose answer counts: one started earlier, for older text, is ignored.
   */
  private readonly differences = new Map<string, { result?: boolean; running?: object }>();
  private readonly changed = new EventEmitter<void>();
  /** Fires when a comparison finished, so rows that say "differs" can be redrawn. */
  readonly onDidCompare = this.changed.event;
  private readonly disposables: Disposable[];
  private editsSettling: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly files: FlowFiles,
    private readonly watch: WatchList,
  ) {
    this.disposables = [
      workspace.registerTextDocumentContentProvider(DEPLOYED_SCHEME, this),
      watch.onDidChange(() => this.compareWatchedFlows(false)),
      files.onDidChangeFile(() => this.filesChanged()),
      // Edits count before they are saved (the comparison reads open documents), as does a document
      // reloaded from disk; a burst of keystrokes is one change.
      workspace.onDidChangeTextDocument(({ document }) => {
        if (!isLocalFlow(document)) return;
        clearTimeout(this.editsSettling);
        this.editsSettling = setTimeout(() => this.filesChanged(), EDITS_SETTLE_MS);
      }),
      { dispose: () => clearTimeout(this.editsSettling) },
    ];
  }

  /** A read-only document holding the deployed flow. */
  uriFor(flow: Flow): Uri | undefined {
    if (flow.content === undefined) return undefined;
    // The content's hash is part of the address: VS Code keeps an open document's text, so a newer
    // deployment must get a new document rather than show the old one.
    const version = createHash('sha1').update(flow.content).digest('hex').slice(0, 12);
    const uri = Uri.from({
      scheme: DEPLOYED_SCHEME,
      path: `/${flow.name}.csml`,
      query: `id=${encodeURIComponent(flow.id)}&v=${version}`,
    });
    this.contents.set(uri.toString(), flow.content);
    return uri;
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.contents.get(uri.toString()) ?? '// The deployed flow is no longer cached: open it again from the Conversations view.';
  }

  /** Whether the local file differs from the deployed flow, as last worked out (undefined while unknown). Reads nothing. */
  differs(flow: Flow): boolean | undefined {
    return flow.content === undefined ? undefined : this.differences.get(differenceKey(flow))?.result;
  }

  /**
   * Works out in the background whether the watched users' flows differ from their local files: flows not
   * compared yet, or all of them again when `again` (a file changed). Answers already known stay shown
   * meanwhile, so rows do not flicker while someone types.
   */
  private compareWatchedFlows(again: boolean): void {
    const flows = new Map<string, Flow>();
    for (const { state } of this.watch.users) {
      if (state.kind === 'open' && state.flow?.content !== undefined) flows.set(differenceKey(state.flow), state.flow);
    }
    for (const key of this.differences.keys()) if (!flows.has(key)) this.differences.delete(key);
    for (const [key, flow] of flows) {
      const known = this.differences.get(key);
      if (known && !again) continue;
      const running = {};
      this.differences.set(key, { result: known?.result, running });
      void this.compareInBackground(flow, key, running);
    }
  }

  /** `CSML: Compare with Deployed`: the deployed flow on the left, the local file on the right. */
  async compare(flow: Flow): Promise<boolean> {
    const deployed = this.uriFor(flow);
    const [local] = await this.files.lookup(flow.name);
    if (!deployed) {
      void window.showInformationMessage(`The Studio did not send the content of ${flow.name}, so there is nothing to compare.`);
      return false;
    }
    if (!local) {
      void window.showWarningMessage(`No ${flow.name}.csml file is in this workspace to compare with the deployed flow.`);
      return false;
    }
    await commands.executeCommand('vscode.diff', deployed, Uri.file(local), `${flow.name}.csml (Deployed ↔ Local)`);
    return true;
  }

  private async compareInBackground(flow: Flow, key: string, running: object): Promise<void> {
    let result = false;
    try {
      const [local] = await this.files.lookup(flow.name);
      if (local) {
        const open = workspace.textDocuments.find((d) => d.uri.fsPath === local);
        const text = open ? open.getText() : new TextDecoder().decode(await workspace.fs.readFile(Uri.file(local)));
        result = !sameFlowText(text, flow.content ?? '');
      }
    } catch {
      result = false;
    }
    const entry = this.differences.get(key);
    if (entry?.running !== running) return;
    this.differences.set(key, { result });
    if (result !== entry.result) this.changed.fire();
  }

  /** A flow file changed, on disk or in an editor: every answer may be stale. */
  filesChanged(): void {
    if (this.differences.size > 0) this.compareWatchedFlows(true);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}
