import { Diagnostic, DiagnosticSeverity, DiagnosticTag, Disposable, languages, Range, TextDocument, Uri, window, workspace } from 'vscode';
import { BotChecks } from '../../csml/botChecks';
import type { BotModel } from '../../csml/botModel';
import type { Problem } from '../../csml/problem';
import { Logger } from '../log';
import { CsmlWorkspace, FlowUpdate, isFlowFile } from './csmlWorkspace';

/**
 * Above this many flows to check again, the work is done in slices, giving the host its turns. An edit that
 * changes a flow's steps checks again the flows naming it: some hundred flows take a few milliseconds.
 */
const CHECK_AT_ONCE = 256;
/** Flows whose problems are sent to VS Code in one message; more wait for the next turn. */
const PUBLISH_AT_ONCE = 32;

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

  constructor(
    private readonly csml: CsmlWorkspace,
    private readonly logger: Logger,
  ) {
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
    try {
      if (entry && text !== undefined) checks.flowSet(entry, text);
      else checks.flowDeleted(key);
    } catch (error) {
      // A check that breaks on one flow must not stop the bot being read for everything else.
      this.logger.error(`checking ${key} failed: ${String(error)}`);
    }
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
        const changed = checks.staleCount > CHECK_AT_ONCE ? await checks.recheckInSlices() : checks.recheck();
        await this.publish(checks, changed);
      }
    } catch (error) {
      // The flows could not be read: the next question reads them again, and its updates flush again.
      this.logger.error(`checking the flows failed: ${String(error)}`);
    } finally {
      this.flushing.delete(checks);
    }
  }

  /** Sends the problems that changed to VS Code, a batch of flows per turn; nothing once the bot is forgotten. */
  private async publish(checks: BotChecks, changed: Map<string, readonly Problem[]>): Promise<void> {
    const entries = [...changed];
    for (let first = 0; first < entries.length; first += PUBLISH_AT_ONCE) {
      if (first > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.checks.get(checks.bot) !== checks) return;
      const batch: [Uri, Diagnostic[]][] = [];
      for (const [key, problems] of entries.slice(first, first + PUBLISH_AT_ONCE)) {
        const uri = Uri.parse(key);
        if (problems.length === 0) this.collection.delete(uri);
        else {
          const rangeOf = this.csml.rangesIn(key);
          batch.push([uri, problems.map((problem) => diagnostic(rangeOf(problem), problem))]);
        }
      }
      this.collection.set(batch);
    }
  }

  /** The bots were forgotten (a bot.json or a workspace folder came, changed or went): read and check them again. */
  private reset(): void {
    this.checks.clear();
    this.collection.clear();
    void this.csml.ready().catch((error: unknown) => this.logger.error(`reading the flows again failed: ${String(error)}`));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

function diagnostic(range: Range, problem: Problem): Diagnostic {
  const diagnostic = new Diagnostic(range, problem.message, SEVERITY[problem.severity]);
  diagnostic.source = 'CSML';
  diagnostic.code = problem.code;
  const tags = [...(problem.unnecessary ? [DiagnosticTag.Unnecessary] : []), ...(problem.deprecated ? [DiagnosticTag.Deprecated] : [])];
  if (tags.length > 0) diagnostic.tags = tags;
  return diagnostic;
}
