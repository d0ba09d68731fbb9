import { Diagnostic, DiagnosticSeverity, DiagnosticTag, Disposable, languages, TextDocument, Uri, window, workspace } from 'vscode';
import { BotChecks } from '../../csml/botChecks';
import type { BotModel } from '../../csml/botModel';
import type { Problem } from '../../csml/problem';
import { CsmlWorkspace, FlowUpdate, isFlowFile } from './csmlWorkspace';

/** Above this many flows to check again, the work is done in slices, giving the host its turns. */
const AT_ONCE = 32;

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Publishes every check of every flow of the workspace's bots in the Problems panel, and keeps them current as
 * flows are typed, saved, created or deleted: an edited flow is checked again at once, with the flows whose
 * problems the edit can change.
 */
export class CsmlDiagnostics implements Disposable {
  private readonly collection = languages.createDiagnosticCollection('csml');
  private readonly checks = new Map<BotModel, BotChecks>();
  private readonly flushing = new Set<BotChecks>();
  private readonly subscriptions: Disposable[];

  constructor(private readonly csml: CsmlWorkspace) {
    this.subscriptions = [
      csml.onDidUpdateFlow((update) => this.updated(update)),
      csml.onDidReset(() => this.reset()),
      // Reading the bot of an edited flow brings the edit into its model, which reports the update.
      workspace.onDidOpenTextDocument((document) => this.read(document)),
      workspace.onDidChangeTextDocument(({ document }) => this.read(document)),
    ];
  }

  /** Checks the bots once the window is up, if a flow is shown. */
  checkVisibleFlows(): void {
    const shown = window.visibleTextEditors.find((editor) => isFlowFile(editor.document.uri));
    if (shown) this.read(shown.document);
  }

  private read(document: TextDocument): void {
    if (isFlowFile(document.uri)) void this.csml.botOf(document);
  }

  private updated({ bot, key, entry, text }: FlowUpdate): void {
    let checks = this.checks.get(bot);
    if (!checks) {
      checks = new BotChecks(bot);
      this.checks.set(bot, checks);
    }
    if (entry && text !== undefined) checks.flowSet(entry, text);
    else checks.flowDeleted(key);
    void this.flush(checks);
  }

  /** Publishes what changed; one flush at a time per bot, another one after it if changes came in meanwhile. */
  private async flush(checks: BotChecks): Promise<void> {
    if (this.flushing.has(checks)) return;
    this.flushing.add(checks);
    try {
      // A bot is checked once all its flows are read, and the updates of the same turn are in.
      await this.csml.ready();
      while (checks.pending) {
        const changed = checks.staleCount > AT_ONCE ? await checks.recheckInSlices() : checks.recheck();
        if ([...this.checks.values()].includes(checks)) this.publish(changed);
      }
    } catch {
      // The scan failed: the next question reads the workspace again, and its updates flush again.
    } finally {
      this.flushing.delete(checks);
    }
  }

  private publish(changed: Map<string, readonly Problem[]>): void {
    for (const [key, problems] of changed) {
      const uri = Uri.parse(key);
      if (problems.length === 0) this.collection.delete(uri);
      else
        this.collection.set(
          uri,
          problems.map((problem) => this.diagnostic(key, problem)),
        );
    }
  }

  private diagnostic(key: string, problem: Problem): Diagnostic {
    const diagnostic = new Diagnostic(this.csml.location(key, problem).range, problem.message, SEVERITY[problem.severity]);
    diagnostic.source = 'CSML';
    diagnostic.code = problem.code;
    if (problem.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
    if (problem.deprecated) diagnostic.tags = [DiagnosticTag.Deprecated];
    return diagnostic;
  }

  private reset(): void {
    this.checks.clear();
    this.collection.clear();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}
