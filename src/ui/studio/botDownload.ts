import {
  commands,
  Disposable,
  EventEmitter,
  ProgressLocation,
  QuickInputButton,
  QuickPickItem,
  TextDocumentContentProvider,
  ThemeIcon,
  Uri,
  window,
  workspace,
} from 'vscode';
import { compareWithFolder, FileState, writeFilesAtomically } from '../../common/folderWrites';
import { FlowCatalog } from '../../conversations/flowCatalog';
import { DeployedBases } from '../../roundtrip/deployedBases';
import { fetchDownloadPlan } from '../../roundtrip/botDownloadPlan';
import { DownloadPlan, PlannedFile } from '../../roundtrip/downloadPlan';
import { asStudioError, StudioError } from '../../studio/errors';
import { Command } from '../commandIds';
import { Logger } from '../log';
import { remedyFor } from '../remedy';
import { StudioAccess } from '../studioAccess';

export const DOWNLOADED_SCHEME = 'csml-studio-file';

export interface DownloadResult {
  readonly folder: Uri;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Files that differ and were left as they are: by choice, or because an editor holds unsaved changes. */
  readonly kept: readonly string[];
  readonly failed: ReadonlyArray<{ path: string; reason: string }>;
  readonly refused: ReadonlyArray<{ name: string; reason: string }>;
}

/** What the rest of the extension updates once files came down. */
export interface DownloadListeners {
  /** Files were written: flow rows, drift markers and comparisons must read them now. */
  filesWritten(files: readonly Uri[]): void;
}

const COMPARE_BUTTON: QuickInputButton = { iconPath: new ThemeIcon('diff'), tooltip: 'Compare Local ↔ Studio' };

interface ConflictItem extends QuickPickItem {
  readonly file: PlannedFile;
}

/**
 * `CSML: Download Bot from Studio…`: the bot's flows written in the Studio CLI layout into a folder, with every
 * file that differs shown and chosen, never overwritten silently; what was downloaded is remembered as the base
 * that a later deploy compares against.
 */
export class BotDownload implements Disposable {
  private readonly studioFiles = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  private readonly registration: Disposable;

  constructor(
    private readonly access: StudioAccess,
    private readonly catalog: FlowCatalog,
    private readonly bases: DeployedBases,
    private readonly listeners: DownloadListeners,
    private readonly logger: Logger,
  ) {
    const provider: TextDocumentContentProvider = {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.studioFiles.get(uri.toString()) ?? '',
    };
    this.registration = workspace.registerTextDocumentContentProvider(DOWNLOADED_SCHEME, provider);
  }

  /** Downloads into `target`, or into a folder the user picks. */
  async run(target?: Uri): Promise<DownloadResult | undefined> {
    const folder = target ?? (await this.pickFolder());
    if (!folder) return undefined;
    if (folder.scheme !== 'file') {
      void window.showWarningMessage('Flows can be downloaded only into a folder on disk; pick a local folder.');
      return undefined;
    }
    let plan: DownloadPlan;
    let studio: string;
    try {
      const fetched = await window.withProgress(
        { location: ProgressLocation.Notification, title: 'Downloading the bot from the Studio', cancellable: true },
        (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return this.fetchPlan(controller.signal, (seconds) => progress.report({ message: `the Studio asked to wait ${seconds} s` }));
        },
      );
      plan = fetched.plan;
      studio = fetched.studio;
    } catch (error) {
      this.fail(asStudioError(error));
      return undefined;
    }
    const states = await compareWithFolder(folder.fsPath, plan.files);
    const unsaved = new Set(
      workspace.textDocuments
        .filter((document) => document.isDirty && document.uri.scheme === 'file')
        .map((document) => document.uri.fsPath),
    );
    const state = (file: PlannedFile): FileState => states.get(file.path)?.state ?? 'unsafe';
    const isUnsaved = (file: PlannedFile) => unsaved.has(Uri.joinPath(folder, file.path).fsPath);
    const conflicts = plan.files.filter((file) => state(file) === 'differs' && !isUnsaved(file));
    const chosen = conflicts.length > 0 ? await this.chooseOverwrites(folder, conflicts) : [];
    if (!chosen) return undefined;
    const toWrite = plan.files.filter((file) => (state(file) === 'absent' && !isUnsaved(file)) || chosen.includes(file));
    const outcome = await writeFilesAtomically(folder.fsPath, toWrite);
    const unsafe = plan.files
      .filter((file) => state(file) === 'unsafe')
      .map((file) => ({ path: file.path, reason: states.get(file.path)?.reason ?? 'it is not a plain file in the folder' }));
    const result: DownloadResult = {
      folder,
      written: outcome.written,
      unchanged: plan.files.filter((file) => state(file) === 'same').map((file) => file.path),
      kept: plan.files
        .filter((file) => (state(file) !== 'same' && isUnsaved(file)) || (conflicts.includes(file) && !chosen.includes(file)))
        .map((file) => file.path),
      failed: [...unsafe, ...outcome.failed],
      refused: plan.refused,
    };
    await this.bases.set(folder.toString(), { base: plan.base, studio, downloadedAt: new Date().toISOString() });
    this.listeners.filesWritten(result.written.map((path) => Uri.joinPath(folder, path)));
    this.report(result);
    return result;
  }

  private async fetchPlan(signal: AbortSignal, onWait: (seconds: number) => void): Promise<{ plan: DownloadPlan; studio: string }> {
    const connection = await this.access.connect();
    // Fresh, and kept for the flow rows: they show what was just downloaded.
    const flows = () => this.catalog.fresh(connection, signal);
    const plan = await fetchDownloadPlan(connection.client, { signal, onWait, flows });
    return { plan, studio: connection.client.baseUrl.href };
  }

  private async pickFolder(): Promise<Uri | undefined> {
    const [picked] =
      (await window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        defaultUri: workspace.workspaceFolders?.[0]?.uri,
        openLabel: 'Download Here',
        title: 'Download Bot from Studio: Choose the Bot Folder',
      })) ?? [];
    return picked;
  }

  /** The files that differ, none chosen at first: the ones the user picks are replaced; undefined when dismissed. */
  private chooseOverwrites(folder: Uri, conflicts: readonly PlannedFile[]): Promise<PlannedFile[] | undefined> {
    const picker = window.createQuickPick<ConflictItem>();
    picker.title = 'Download Bot from Studio: Replace Which Local Files?';
    picker.placeholder = `${conflicts.length} local file${conflicts.length === 1 ? ' differs' : 's differ'} from the Studio: check those to replace, Enter to go on, Escape to cancel`;
    picker.canSelectMany = true;
    picker.ignoreFocusOut = true;
    picker.items = conflicts.map((file) => ({
      label: file.path,
      description: file.flow ? `flow ${file.flow}` : undefined,
      detail: 'Differs from the Studio: left as it is unless checked',
      buttons: [COMPARE_BUTTON],
      file,
    }));
    picker.selectedItems = [];
    return new Promise((resolve) => {
      let accepted = false;
      const subscriptions = [
        picker.onDidTriggerItemButton(({ item }) => void this.compare(folder, item.file)),
        picker.onDidAccept(() => {
          accepted = true;
          resolve(picker.selectedItems.map((item) => item.file));
          picker.hide();
        }),
        picker.onDidHide(() => {
          if (!accepted) resolve(undefined);
          for (const subscription of subscriptions) subscription.dispose();
          picker.dispose();
        }),
      ];
      picker.show();
    });
  }

  private async compare(folder: Uri, file: PlannedFile): Promise<void> {
    const studioUri = Uri.from({ scheme: DOWNLOADED_SCHEME, path: `/${file.path}`, query: folder.toString() });
    this.studioFiles.set(studioUri.toString(), file.content);
    this.changed.fire(studioUri);
    await commands.executeCommand('vscode.diff', Uri.joinPath(folder, file.path), studioUri, `${file.path} (Local ↔ Studio)`, {
      preview: true,
      preserveFocus: true,
    });
  }

  private report(result: DownloadResult): void {
    for (const { name, reason } of result.refused) this.logger.warn(`flow ${JSON.stringify(name)} was not written: ${reason}`);
    for (const { path, reason } of result.failed) this.logger.warn(`${path} was not written: ${reason}`);
    const parts = [`${result.written.length} written`];
    if (result.unchanged.length > 0) parts.push(`${result.unchanged.length} already up to date`);
    if (result.kept.length > 0) parts.push(`${result.kept.length} kept as they were`);
    const where = workspace.asRelativePath(result.folder, true);
    const outside = workspace.getWorkspaceFolder(result.folder) === undefined;
    const actions = outside ? ['Open Folder', 'Add to Workspace'] : [];
    void window.showInformationMessage(`Downloaded the bot into ${where}: ${parts.join(', ')}.`, ...actions).then((choice) => {
      if (choice === 'Open Folder') void commands.executeCommand('vscode.openFolder', result.folder);
      if (choice === 'Add to Workspace')
        workspace.updateWorkspaceFolders(workspace.workspaceFolders?.length ?? 0, 0, { uri: result.folder });
    });
    const problems = [
      ...result.refused.map(({ name, reason }) => `flow ${JSON.stringify(name)}: ${reason}`),
      ...result.failed.map(({ path, reason }) => `${path}: ${reason}`),
    ];
    if (problems.length > 0) {
      const listed = problems.length > 3 ? `${problems.slice(0, 3).join('; ')} and ${problems.length - 3} more` : problems.join('; ');
      void window
        .showWarningMessage(`Some flows were not written (${listed}); rename them in the Studio, then download again.`, 'Show Log')
        .then((choice) => choice && commands.executeCommand(Command.showLog));
    }
  }

  private fail(error: StudioError): void {
    if (error.kind === 'cancelled') return;
    this.logger.warn(`download failed: ${error.message}`);
    const remedy = remedyFor(error.kind);
    void window
      .showErrorMessage(`Nothing was written: ${error.message}`, ...(remedy ? [remedy.title] : []))
      .then((choice) => choice && remedy && commands.executeCommand(remedy.command));
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
