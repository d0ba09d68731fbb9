import {
  Diagnostic,
  DiagnosticCollection,
  DiagnosticSeverity,
  DiagnosticTag,
  Disposable,
  languages,
  Range,
  TextDocument,
  Uri,
  window,
  workspace,
} from 'vscode';
import { checkFlow, Problem, reachedSteps } from '../../csml/checks';
import { CsmlWorkspace, isFlowFile } from './csmlWorkspace';

/** Typing pauses this long before the bot is checked again. */
const SETTLE_MS = 250;

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Publishes the checks the CSML engine does not make (gotos to missing steps or flows, steps nothing reaches)
 * for every flow of a bot, whenever one of its flows is opened or edited: a change in one flow can break or mend
 * a goto in another.
 */
export class CsmlDiagnostics implements Disposable {
  private readonly collection: DiagnosticCollection = languages.createDiagnosticCollection('csml');
  private readonly subscriptions: Disposable[];
  private settling: ReturnType<typeof setTimeout> | undefined;
  private pending: TextDocument | undefined;
  /** The flows each bot's last check published for: a flow gone from the bot has its problems cleared. */
  private readonly published = new WeakMap<object, Set<string>>();

  constructor(private readonly csml: CsmlWorkspace) {
    this.subscriptions = [
      workspace.onDidOpenTextDocument((document) => this.changed(document)),
      workspace.onDidChangeTextDocument(({ document }) => this.changed(document)),
      workspace.onDidSaveTextDocument((document) => this.changed(document)),
    ];
  }

  /** Checks the bot of a flow shown at start-up, once the window is up. */
  checkVisibleFlows(): void {
    const shown = window.visibleTextEditors.find((editor) => isFlowFile(editor.document.uri));
    if (shown) this.changed(shown.document);
  }

  private changed(document: TextDocument): void {
    if (!isFlowFile(document.uri)) return;
    this.pending = document;
    clearTimeout(this.settling);
    this.settling = setTimeout(() => void this.check(), SETTLE_MS);
  }

  private async check(): Promise<void> {
    const document = this.pending;
    if (!document) return;
    const bot = await this.csml.botOf(document);
    if (!bot) return;
    const reached = reachedSteps(bot);
    const before = this.published.get(bot) ?? new Set<string>();
    const now = new Set<string>();
    for (const flow of bot.all()) {
      now.add(flow.key);
      const diagnostics = checkFlow(bot, flow, reached).map((problem) => {
        const location = this.csml.location(flow.key, problem);
        const diagnostic = new Diagnostic(new Range(location.range.start, location.range.end), problem.message, SEVERITY[problem.severity]);
        diagnostic.source = 'CSML';
        diagnostic.code = problem.code;
        if (problem.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
        return diagnostic;
      });
      this.collection.set(Uri.parse(flow.key), diagnostics);
    }
    for (const key of before) if (!now.has(key)) this.collection.delete(Uri.parse(key));
    this.published.set(bot, now);
  }

  dispose(): void {
    clearTimeout(this.settling);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}
