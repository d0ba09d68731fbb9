import {
  CancellationToken,
  commands,
  Diagnostic,
  DiagnosticCollection,
  DiagnosticSeverity,
  Disposable,
  languages,
  ProgressLocation,
  Range,
  TextDocument,
  Uri,
  window,
  workspace,
} from 'vscode';
import { LatestRun } from '../../common/latestRun';
import { asStudioError, StudioError } from '../../studio/errors';
import { validateWithStudio, ValidationOutcome } from '../../roundtrip/botValidation';
import { notShownLocally, spanIn } from '../../roundtrip/validationPlaces';
import { CsmlWorkspace } from '../language/csmlWorkspace';
import { chooseBotFolder, count, folderLabel, LocalBot, readBotName, readLocalBot } from './localBot';
import { Logger } from '../log';
import { Command } from '../commandIds';
import { remedyFor } from '../remedy';
import * as settings from '../settings';
import { StudioAccess } from '../studioAccess';

export const STUDIO_SOURCE = 'CSML Studio';
/** Saves come in bursts (Save All, auto save): one validation once they pause. */
const SAVES_SETTLE_MS = 1500;

/** A flow, its commands or the bot's bot.json: what a validation sends. */
function isBotFile(document: TextDocument): boolean {
  const path = document.uri.path.toLowerCase();
  return document.uri.scheme === 'file' && (path.endsWith('.csml') || path.endsWith('/bot.json'));
}

/**
 * Checks the bot with the Studio's own engine (`POST /bot/validate`), on request and after saves, and shows its
 * errors in the Problems panel as "CSML Studio". Only the newest answer for a bot folder counts.
 */
export class StudioValidation implements Disposable {
  private readonly collection: DiagnosticCollection = languages.createDiagnosticCollection('csml-studio');
  private readonly runs = new Map<string, LatestRun>();
  private readonly shown = new Map<string, Set<string>>();
  private readonly saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What a validation after a save last said went wrong: the same failure is not shown again at every save. */
  private lastSaveFailure: string | undefined;
  /** Per bot folder, the flows without a local file the Studio last reported errors in: told once, not at each save. */
  private readonly toldElsewhere = new Map<string, string>();
  private disposed = false;
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly csml: CsmlWorkspace,
    private readonly access: StudioAccess,
    private readonly hasCredentials: () => boolean,
    private readonly logger: Logger,
  ) {
    this.subscriptions = [workspace.onDidSaveTextDocument((document) => this.saved(document))];
  }

  /** `CSML: Validate Bot with Studio`: the bot of the active flow, else the workspace's only bot, else one chosen. */
  async validateCommand(target?: Uri): Promise<ValidationOutcome | undefined> {
    const folder = await chooseBotFolder(this.csml, target ?? window.activeTextEditor?.document.uri, 'Validate Which Bot with the Studio?');
    if (!folder) return undefined;
    return window.withProgress(
      { location: ProgressLocation.Notification, title: 'Validating with the Studio', cancellable: true },
      async (progress, token) => {
        try {
          const validated = await this.validate(folder, true, token, (seconds) =>
            progress.report({ message: `the Studio asked to wait ${seconds} s` }),
          );
          if (validated) this.report(validated.outcome, validated.shown);
          return validated?.outcome;
        } catch (error) {
          this.fail(asStudioError(error), true);
          return undefined;
        }
      },
    );
  }

  /** Forgets every answer, as after new credentials: they may be for another bot. */
  clear(): void {
    for (const timer of this.saveTimers.values()) clearTimeout(timer);
    this.saveTimers.clear();
    this.toldElsewhere.clear();
    for (const run of this.runs.values()) run.cancel();
    this.collection.clear();
    this.shown.clear();
    this.lastSaveFailure = undefined;
  }

  private saved(document: TextDocument): void {
    if (!isBotFile(document) || !settings.validateOnSave() || !this.hasCredentials()) return;
    void this.botFolderWithFlows(document.uri).then((folder) => {
      if (folder === undefined || this.disposed) return;
      clearTimeout(this.saveTimers.get(folder));
      this.saveTimers.set(
        folder,
        setTimeout(() => {
          this.saveTimers.delete(folder);
          void this.validateAfterSave(folder);
        }, SAVES_SETTLE_MS),
      );
    });
  }

  /** The bot folder of a saved file, when it holds flows: a bot.json of some other project is no bot to validate. */
  private async botFolderWithFlows(uri: Uri): Promise<string | undefined> {
    const folder = await this.csml.botFolderOf(uri);
    return folder !== undefined && (await this.csml.botsByFolder()).has(folder) ? folder : undefined;
  }

  private async validateAfterSave(folder: string): Promise<void> {
    if (!settings.validateOnSave() || !this.hasCredentials()) return;
    try {
      const validated = await window.withProgress({ location: ProgressLocation.Window, title: 'Validating with the Studio' }, () =>
        this.validate(folder, false),
      );
      this.lastSaveFailure = undefined;
      // A passing check after a save says so briefly, where it does not interrupt: errors have the Problems panel.
      if (validated?.outcome.valid) window.setStatusBarMessage("$(check) The Studio's engine found no errors", 4000);
    } catch (error) {
      const failure = asStudioError(error);
      if (failure.kind === 'cancelled') return;
      // A failure seen once is in the log from then on; a new one is shown again.
      const repeated = this.lastSaveFailure === failure.kind;
      this.lastSaveFailure = failure.kind;
      this.fail(failure, !repeated);
    }
  }

  /**
   * Validates the bot of `folder` and shows the answer: what a deploy checks first. Undefined when a newer
   * validation of the same bot began meanwhile.
   */
  async validateFolder(folder: string, token?: CancellationToken): Promise<{ outcome: ValidationOutcome; shown: number } | undefined> {
    return this.validate(folder, true, token);
  }

  /**
   * Sends the bot of `folder` as its files and editors hold it now, and shows the answer unless a newer
   * validation of the same bot began meanwhile (then undefined).
   */
  private async validate(
    folder: string,
    fromCommand: boolean,
    token?: CancellationToken,
    onWait?: (seconds: number) => void,
  ): Promise<{ outcome: ValidationOutcome; shown: number } | undefined> {
    let runs = this.runs.get(folder);
    if (!runs) this.runs.set(folder, (runs = new LatestRun()));
    const run = runs.begin();
    const cancelling = token?.onCancellationRequested(() => runs.cancel());
    try {
      const local = await readLocalBot(this.csml, folder);
      if (local.flows.size === 0) this.logger.warn(`no flows found in ${folder}: the bot is validated as the Studio has it`);
      const expectedName = await readBotName(folder);
      const connection = await this.access.connect();
      const outcome = await validateWithStudio(connection.client, [...local.flows.values()], {
        signal: run.signal,
        onWait,
        checkBot: (studioBot) => {
          if (expectedName !== undefined && expectedName.trim().toLowerCase() !== studioBot.name.trim().toLowerCase()) {
            throw new StudioError(
              'badRequest',
              `The credentials are those of the bot "${studioBot.name}", but ${folderLabel(folder)}'s bot.json is "${expectedName}": set the credentials of this folder's bot.`,
            );
          }
        },
      });
      if (!run.isLatest()) return undefined;
      return { outcome, shown: this.show(folder, local, outcome, fromCommand) };
    } catch (error) {
      if (!run.isLatest() || run.signal.aborted) throw new StudioError('cancelled', 'The validation was cancelled.');
      throw error;
    } finally {
      cancelling?.dispose();
    }
  }

  /** Publishes the answer's errors; how many it shows (those the local checks already show are not). */
  private show(folder: string, local: LocalBot, outcome: ValidationOutcome, fromCommand: boolean): number {
    const before = this.shown.get(folder) ?? new Set<string>();
    const now = new Set<string>();
    let shown = 0;
    for (const [name, errors] of outcome.places.byFlow) {
      const file = local.flows.get(name);
      if (!file) continue;
      const localErrors = languages
        .getDiagnostics(file.uri)
        .filter((diagnostic) => diagnostic.source === 'CSML' && diagnostic.severity === DiagnosticSeverity.Error)
        .map((diagnostic) => ({
          line: diagnostic.range.start.line,
          column: diagnostic.range.start.character,
          code: typeof diagnostic.code === 'string' ? diagnostic.code : undefined,
        }));
      const diagnostics = notShownLocally(errors, localErrors).map((error) => {
        const span = spanIn(file.content, error);
        const where = error.step ? ` (step ${error.step})` : '';
        const diagnostic = new Diagnostic(
          new Range(span.startLine, span.startColumn, span.endLine, span.endColumn),
          `${error.message}${where}`,
          DiagnosticSeverity.Error,
        );
        diagnostic.source = STUDIO_SOURCE;
        return diagnostic;
      });
      shown += diagnostics.length;
      this.collection.set(file.uri, diagnostics);
      now.add(file.uri.toString());
    }
    for (const key of before) if (!now.has(key)) this.collection.delete(Uri.parse(key));
    this.shown.set(folder, now);
    this.tellElsewhere(folder, outcome, fromCommand);
    return shown;
  }

  /** Errors in flows without a local file: in the log each time, in a message when asked for or when they change. */
  private tellElsewhere(folder: string, outcome: ValidationOutcome, fromCommand: boolean): void {
    const elsewhere = outcome.places.elsewhere;
    for (const error of elsewhere) {
      this.logger.warn(`the Studio reports in ${error.flow ?? 'no flow'}${error.line ? ` at line ${error.line}` : ''}: ${error.message}`);
    }
    const flows = [...new Set(elsewhere.map((error) => error.flow ?? 'the bot itself'))];
    const told = flows.join('\n');
    if (flows.length === 0 || (!fromCommand && this.toldElsewhere.get(folder) === told)) {
      if (flows.length === 0) this.toldElsewhere.delete(folder);
      return;
    }
    this.toldElsewhere.set(folder, told);
    const named = flows.length === 1 ? flows[0] : `${flows.slice(0, -1).join(', ')} and ${flows[flows.length - 1]}`;
    void window
      .showWarningMessage(
        `The Studio reports ${count(elsewhere.length, 'error')} in ${named}, with no file in ${folderLabel(folder)}: download the bot to see ${flows.length === 1 ? 'it' : 'them'}, or read the log.`,
        'Show Log',
      )
      .then((choice) => choice && commands.executeCommand(Command.showLog));
  }

  private report(outcome: ValidationOutcome, shown: number): void {
    if (outcome.valid) {
      void window.showInformationMessage(
        `The Studio's engine found no errors in the ${count(outcome.flowsSent, 'flow')} of ${outcome.botName}.`,
      );
      return;
    }
    const placed = [...outcome.places.byFlow.values()].reduce((n, errors) => n + errors.length, 0);
    if (placed === 0) return; // Only errors in flows without a file: their own message said so.
    const repeated = placed - shown;
    const already = repeated === 0 ? '' : `, ${repeated === placed ? 'all' : repeated} already shown by the local checks`;
    void window
      .showWarningMessage(
        `The Studio's engine found ${count(placed, 'error')} in ${outcome.botName}'s local flows${already}.`,
        'Show Problems',
      )
      .then((choice) => choice && commands.executeCommand('workbench.actions.view.problems'));
  }

  private fail(error: StudioError, show: boolean): void {
    if (error.kind === 'cancelled') return;
    this.logger.warn(`validation failed: ${error.message}`);
    if (!show) return;
    const remedy = remedyFor(error.kind);
    void window
      .showErrorMessage(error.message, ...(remedy ? [remedy.title] : []))
      .then((choice) => choice && remedy && commands.executeCommand(remedy.command));
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.saveTimers.values()) clearTimeout(timer);
    for (const run of this.runs.values()) run.cancel();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}
