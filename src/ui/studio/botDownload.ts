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
import { withoutControlCharacters } from '../../common/controlCharacters';
import { compareWithFolder, writeFilesAtomically } from '../../common/folderWrites';
import { baseAfterDownload, sortFiles, stillAsShown } from '../../roundtrip/downloadChoices';
import { FlowCatalog } from '../../conversations/flowCatalog';
import { DeployedBases } from '../../roundtrip/deployedBases';
import { fetchDownloadPlan } from '../../roundtrip/botDownloadPlan';
import { DownloadPlan, PlannedFile } from '../../roundtrip/downloadPlan';
import { asStudioError, StudioError } from '../../studio/errors';
import { Command } from '../commandIds';
import { Logger } from '../log';
import { remedyFor } from '../remedy';
import { StudioAccess } from '../studioAccess';
import { folderLabel } from './localBot';

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
        async (progress, token) => {
          const controller = new AbortController();
          const cancelling = token.onCancellationRequested(() => controller.abort());
          try {
            return await this.fetchPlan(controller.signal, (seconds) =>
              progress.report({ message: `the Studio asked to wait ${seconds} s` }),
            );
          } finally {
            cancelling.dispose();
          }
        },
      );
      plan = fetched.plan;
      studio = fetched.studio;
    } catch (error) {
      this.fail(asStudioError(error));
      return undefined;
    }
    const isUnsaved = unsavedIn(folder);
    const shown = await compareWithFolder(folder.fsPath, plan.files);
    const sorted = sortFiles(plan.files, shown, isUnsaved);
    const chosen = sorted.differing.length > 0 ? await this.chooseOverwrites(folder, sorted.differing) : [];
    if (!chosen) return undefined;
    // The choice took a while, and its diffs are editors: what changed meanwhile is left as it is now.
    const candidates = [...sorted.fresh, ...chosen];
    const { write, changed } = stillAsShown(candidates, shown, await compareWithFolder(folder.fsPath, candidates), unsavedIn(folder));
    const outcome = await writeFilesAtomically(folder.fsPath, write);
    const result: DownloadResult = {
      folder,
      written: outcome.written,
      unchanged: sorted.same.map((file) => file.path),
      kept: [...sorted.unsaved, ...sorted.differing.filter((file) => !chosen.includes(file)), ...changed].map((file) => file.path),
      failed: [...sorted.unsafe, ...outcome.failed],
      refused: plan.refused,
    };
    const settled = new Set([...result.written, ...result.unchanged]);
    const key = folder.toString();
    const base = baseAfterDownload(this.bases.get(key)?.base, plan, settled);
    await this.bases.set(key, { base, studio, downloadedAt: new Date().toISOString() });
    this.listeners.filesWritten(result.written.map((path) => Uri.joinPath(folder, path)));
    this.report(result);
    return result;
  }

  private async fetchPlan(signal: AbortSignal, onWait: (seconds: number) => void): Promise<{ plan: DownloadPlan; studio: string }> {
    const connection = await this.access.connect();
    // Read afresh by this download alone (cancelling it cancels nothing else), then kept for the flow rows.
    const flows = async () => {
      const found = await connection.client.getFlows(signal);
      this.catalog.keep(connection, found);
      return found;
    };
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
    for (const { name, reason } of result.refused) this.logger.warn(`flow ${shownName(name)} was not written: ${reason}`);
    for (const { path, reason } of result.failed) this.logger.warn(`${path} was not written: ${reason}`);
    const parts = [`${result.written.length} written`];
    if (result.unchanged.length > 0) parts.push(`${result.unchanged.length} already up to date`);
    if (result.kept.length > 0) parts.push(`${result.kept.length} kept as they were`);
    const where = folderLabel(result.folder.path);
    const outside = workspace.getWorkspaceFolder(result.folder) === undefined;
    const actions = outside ? ['Open Folder', 'Add to Workspace'] : [];
    const unchangedOnly = result.written.length === 0 && result.kept.length === 0 && result.failed.length === 0;
    const summary = unchangedOnly
      ? `${where} already holds the bot as the Studio has it (${result.unchanged.length} files up to date).`
      : `Downloaded the bot into ${where}: ${parts.join(', ')}.`;
    void window.showInformationMessage(summary, ...actions).then((choice) => {
      if (choice === 'Open Folder') void commands.executeCommand('vscode.openFolder', result.folder);
      if (choice === 'Add to Workspace')
        workspace.updateWorkspaceFolders(workspace.workspaceFolders?.length ?? 0, 0, { uri: result.folder });
    });
    if (result.refused.length > 0) {
      const names = listed(result.refused.map(({ name, reason }) => `${shownName(name)} (${reason})`));
      this.warn(
        `Some flows were not written because their names cannot be safe file names: ${names}; rename them in the Studio, then download again.`,
      );
    }
    if (result.failed.length > 0) {
      const files = listed(result.failed.map(({ path, reason }) => `${path} (${reason})`));
      this.warn(`Some files could not be written: ${files}; check the folder and its permissions, then download again.`);
    }
  }

  private warn(message: string): void {
    void window.showWarningMessage(message, 'Show Log').then((choice) => choice && commands.executeCommand(Command.showLog));
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

/** Whether an editor holds unsaved changes of a planned file; paths compare as the file system does. */
function unsavedIn(folder: Uri): (file: PlannedFile) => boolean {
  const key = (path: string) => (process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path);
  const unsaved = new Set(
    workspace.textDocuments
      .filter((document) => document.isDirty && document.uri.scheme === 'file')
      .map((document) => key(document.uri.fsPath)),
  );
  return (file) => unsaved.has(key(Uri.joinPath(folder, file.path).fsPath));
}

/** A name from the server as it may be shown: quoted, without characters that could disguise it. */
function shownName(name: string): string {
  return JSON.stringify(withoutControlCharacters(name));
}

/** The first few of a list, and how many more. */
function listed(items: readonly string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join('; ')} and ${items.length - 3} more` : items.join('; ');
}
