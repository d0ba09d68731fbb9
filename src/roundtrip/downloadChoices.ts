/**
 * What a download does with each file, decided from what the folder holds: a new file is written, an identical
 * one left alone, one that differs written only if the user chooses it, and one an editor holds unsaved changes
 * of never touched. The base remembered afterwards names only what the folder really holds from the Studio.
 */
import type { FileComparison } from '../common/folderWrites';
import type { DeployedBase, DeployedFlow, DownloadPlan, PlannedFile } from './downloadPlan';

export interface SortedFiles {
  /** Not in the folder yet: written without asking. */
  readonly fresh: PlannedFile[];
  /** Already as the Studio has them. */
  readonly same: PlannedFile[];
  /** Different in the folder: the user chooses. */
  readonly differing: PlannedFile[];
  /** Open in an editor with unsaved changes: never written. */
  readonly unsaved: PlannedFile[];
  /** Not a plain file inside the folder. */
  readonly unsafe: Array<{ path: string; reason: string }>;
}

export function sortFiles(
  files: readonly PlannedFile[],
  found: ReadonlyMap<string, FileComparison>,
  isUnsaved: (file: PlannedFile) => boolean,
): SortedFiles {
  const sorted: SortedFiles = { fresh: [], same: [], differing: [], unsaved: [], unsafe: [] };
  for (const file of files) {
    const comparison = found.get(file.path);
    const state = comparison?.state ?? 'unsafe';
    if (state === 'unsafe') sorted.unsafe.push({ path: file.path, reason: comparison?.reason ?? 'it could not be checked' });
    else if (state === 'same') sorted.same.push(file);
    else if (isUnsaved(file)) sorted.unsaved.push(file);
    else (state === 'absent' ? sorted.fresh : sorted.differing).push(file);
  }
  return sorted;
}

/**
 * Of the files about to be written, those still as they were when the user chose: a file created, changed or
 * opened with unsaved changes meanwhile (in the diff the choice offers, say) is left as it is now.
 */
export function stillAsShown(
  files: readonly PlannedFile[],
  shown: ReadonlyMap<string, FileComparison>,
  now: ReadonlyMap<string, FileComparison>,
  isUnsaved: (file: PlannedFile) => boolean,
): { write: PlannedFile[]; changed: PlannedFile[] } {
  const write: PlannedFile[] = [];
  const changed: PlannedFile[] = [];
  for (const file of files) {
    const before = shown.get(file.path);
    const after = now.get(file.path);
    const same = before !== undefined && after !== undefined && before.state === after.state && before.current === after.current;
    (same && !isUnsaved(file) ? write : changed).push(file);
  }
  return { write, changed };
}

/**
 * The base to remember after a download: a flow whose file the folder now holds as the Studio sent it (written,
 * or found identical) takes the downloaded version; any other keeps what the base said before, or has none, so a
 * later deploy treats it as a conflict rather than as a change of the user's.
 */
export function baseAfterDownload(previous: DeployedBase | undefined, plan: DownloadPlan, settled: ReadonlySet<string>): DeployedBase {
  const sameBot = previous !== undefined && previous.botId === plan.base.botId;
  const flows: Record<string, DeployedFlow> = Object.create(null) as Record<string, DeployedFlow>;
  if (sameBot) for (const [name, flow] of Object.entries(previous.flows)) flows[name] = flow;
  for (const file of plan.files) {
    if (file.flow === undefined || file.path.endsWith('.cmds.csml') || !settled.has(file.path)) continue;
    const downloaded = plan.base.flows[file.flow];
    if (downloaded) flows[file.flow] = downloaded;
  }
  return { botId: plan.base.botId, flows };
}
