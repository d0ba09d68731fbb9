import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { Flow } from '../studio/schema';
import { FlowFiles } from './flowFiles';

export const DEPLOYED_SCHEME = 'csml-deployed';
const RECHECK_AFTER_MS = 5000;

/** Line endings and a final newline are not differences a person would care about. */
function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

/**
 * The flows as deployed in the Studio (`GET /bot/flows` returns each flow's content), shown as
 * read-only documents and compared with the local files.
 */
export class DeployedFlows implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  /** Flow id + deployed content -> whether the local file differs; dropped when a local flow file changes. */
  private readonly differences = new Map<string, { result?: boolean; at: number; pending: boolean }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a comparison finished, so rows that say "differs" can be redrawn. */
  readonly onDidCompare = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly files: FlowFiles) {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(DEPLOYED_SCHEME, this),
      files.onDidChangeFile(() => this.forget()),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.fsPath.toLowerCase().endsWith('.csml')) this.forget();
      }),
    ];
  }

  /** A read-only document holding the deployed flow. */
  uriFor(flow: Flow): vscode.Uri | undefined {
    if (flow.content === undefined) return undefined;
    // The content's hash is part of the address: VS Code keeps an open document's text, so a newer
    // deployment must get a new document rather than show the old one.
    const version = createHash('sha1').update(flow.content).digest('hex').slice(0, 12);
    const uri = vscode.Uri.from({
      scheme: DEPLOYED_SCHEME,
      path: `/${flow.name}.csml`,
      query: `id=${encodeURIComponent(flow.id)}&v=${version}`,
    });
    this.contents.set(uri.toString(), flow.content);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// The deployed flow is no longer cached: open it again from the Conversations view.';
  }

  /**
   * Whether the local file differs from the deployed flow: undefined while unknown (it is then
   * worked out in the background). A known answer is checked again after a few seconds, as a file
   * watcher can miss or delay a change.
   */
  differs(flow: Flow): boolean | undefined {
    if (flow.content === undefined) return undefined;
    const key = `${flow.id}\n${flow.content}`;
    const known = this.differences.get(key);
    if (!known || (!known.pending && Date.now() - known.at > RECHECK_AFTER_MS)) {
      this.differences.set(key, { result: known?.result, at: Date.now(), pending: true });
      void this.compareInBackground(flow, key);
    }
    return known?.result;
  }

  /** `CSML: Compare with Deployed`: the deployed flow on the left, the local file on the right. */
  async compare(flow: Flow): Promise<boolean> {
    const deployed = this.uriFor(flow);
    const [local] = await this.files.lookup(flow.name);
    if (!deployed) {
      void vscode.window.showInformationMessage(`The Studio did not send the content of ${flow.name}, so there is nothing to compare.`);
      return false;
    }
    if (!local) {
      void vscode.window.showWarningMessage(`No ${flow.name}.csml file is in this workspace to compare with the deployed flow.`);
      return false;
    }
    await vscode.commands.executeCommand('vscode.diff', deployed, vscode.Uri.file(local), `${flow.name}.csml (Deployed ↔ Local)`);
    return true;
  }

  private async compareInBackground(flow: Flow, key: string): Promise<void> {
    let result = false;
    try {
      const [local] = await this.files.lookup(flow.name);
      if (local) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === local);
        const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(local)));
        result = normalise(text) !== normalise(flow.content ?? '');
      }
    } catch {
      result = false;
    }
    const entry = this.differences.get(key);
    if (!entry?.pending) return;
    this.differences.set(key, { result, at: Date.now(), pending: false });
    if (result !== entry.result) this.changed.fire();
  }

  private forget(): void {
    if (this.differences.size === 0) return;
    this.differences.clear();
    this.changed.fire();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}
