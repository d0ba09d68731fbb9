import * as fs from 'node:fs';
import * as path from 'node:path';
import { botFolderOf } from '../csml/botLayout';
import { BotChecks } from '../csml/botChecks';
import { parseBotJson } from '../csml/botWorkspace';
import { BotModel } from '../csml/botModel';
import { flowNameOfFile } from '../csml/flowMatch';
import { parseFlow } from '../csml/flowParser';
import { LineIndex } from '../csml/lineIndex';
import { foldersUpTo, FoundFlow, groupIntoBots, workspaceFolderOfFile } from './botGroups';
import { countProblems, ReportCounts, ReportedProblem, reportedProblem, sortProblems } from './checkReport';
import { findFlows, FolderContents, readFlowText } from './flowFiles';

export type CheckOutcome =
  | { readonly kind: 'checked'; readonly problems: ReportedProblem[]; readonly counts: ReportCounts }
  | { readonly kind: 'usage-error'; readonly message: string };

/**
 * Checks the flows under each folder given, and each flow file given, as the editor does: every flow within its
 * bot. A file given alone is checked against the other flows of its bot, which are read but not reported on.
 */
export function checkPaths(paths: readonly string[], currentFolder: string): CheckOutcome {
  const collected = collectFlows(paths, currentFolder);
  if (collected.kind === 'usage-error') return collected;
  const { flows, botJsonFolders, given, problems, relative } = collected;
  const bots = groupIntoBots(flows.values(), botJsonFolders);
  for (const [botFolder, files] of bots) {
    const firstGiven = files.find((file) => given.has(file));
    const context = firstGiven
      ? otherFlowsOfBot(botFolder, files, botJsonFolders, flows.get(firstGiven)?.workspaceFolder ?? botFolder)
      : [];
    problems.push(...checkBot(files, context, relative, botJsonFolders.has(botFolder) ? defaultFlowOf(botFolder) : undefined));
  }
  return { kind: 'checked', problems: sortProblems(problems), counts: countProblems(problems, flows.size, bots.size) };
}

interface CollectedFlows {
  readonly kind: 'collected';
  /** Each flow to report on, by path, found once (the first path given that reaches it decides its workspace folder). */
  readonly flows: Map<string, FoundFlow>;
  readonly botJsonFolders: Set<string>;
  /** The flows named as files rather than found in a folder. */
  readonly given: Set<string>;
  /** Folders that could not be searched. */
  readonly problems: ReportedProblem[];
  readonly relative: (file: string) => string;
}

function collectFlows(paths: readonly string[], currentFolder: string): CollectedFlows | { kind: 'usage-error'; message: string } {
  const cwd = withSlashes(path.resolve(currentFolder));
  const relative = (file: string) => withSlashes(path.relative(currentFolder, file)) || '.';
  const collected: CollectedFlows = {
    kind: 'collected',
    flows: new Map(),
    botJsonFolders: new Set(),
    given: new Set(),
    problems: [],
    relative,
  };
  for (const written of paths) {
    const absolute = withSlashes(path.resolve(currentFolder, written));
    let stats: fs.Stats;
    try {
      stats = fs.statSync(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        kind: 'usage-error',
        message:
          code === 'ENOENT' || code === 'ENOTDIR'
            ? `There is no file or folder ${written} (paths are read from ${cwd}): check the path.`
            : `${written} could not be read (${code ?? String(error)}): check that it is a file or folder you may read.`,
      };
    }
    if (stats.isDirectory()) {
      const contents = findFlows(absolute);
      addFolderContents(collected, contents, absolute);
    } else if (stats.isFile() && absolute.toLowerCase().endsWith('.csml')) {
      // A `.cmds.csml` file lists commands, not CSML: a glob of *.csml brings them, and they are passed over.
      if (flowNameOfFile(absolute) === undefined || collected.flows.has(absolute)) continue;
      const workspaceFolder = workspaceFolderOfFile(absolute, cwd);
      for (const folder of foldersUpTo(absolute, workspaceFolder)) if (isFile(`${folder}/bot.json`)) collected.botJsonFolders.add(folder);
      collected.flows.set(absolute, { file: absolute, workspaceFolder });
      collected.given.add(absolute);
    } else {
      return { kind: 'usage-error', message: `${written} is not a CSML flow: name .csml files, or the folders that hold them.` };
    }
  }
  if (collected.flows.size === 0)
    return {
      kind: 'usage-error',
      message: `No CSML flows (.csml files) in ${paths.join(', ')}: name your bot's folder or its flow files.`,
    };
  return collected;
}

function addFolderContents(collected: CollectedFlows, contents: FolderContents, workspaceFolder: string): void {
  for (const folder of contents.botJsonFolders) collected.botJsonFolders.add(folder);
  for (const file of contents.flows) if (!collected.flows.has(file)) collected.flows.set(file, { file, workspaceFolder });
  for (const { folder, reason } of contents.unreadableFolders) {
    collected.problems.push({
      file: collected.relative(folder),
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      severity: 'error',
      code: 'unreadable-folder',
      message: `The folder could not be read (${reason}) and its flows were not checked: check that you may read it.`,
    });
  }
}

/** The flows of a bot that were not named, for its gotos to resolve against. */
function otherFlowsOfBot(
  botFolder: string,
  named: readonly string[],
  botJsonFolders: ReadonlySet<string>,
  workspaceFolder: string,
): string[] {
  const contents = findFlows(botFolder);
  const allBotJsonFolders = new Set([...botJsonFolders, ...contents.botJsonFolders]);
  const known = new Set(named);
  return contents.flows.filter((file) => !known.has(file) && botFolderOf(file, allBotJsonFolders, workspaceFolder) === botFolder);
}

/** Reads and parses a bot's flows, then checks those to report on. */
function checkBot(
  reported: readonly string[],
  context: readonly string[],
  relative: (file: string) => string,
  defaultFlow: string | undefined,
): ReportedProblem[] {
  const problems: ReportedProblem[] = [];
  const bot = new BotModel();
  bot.defaultFlow = defaultFlow;
  const checks = new BotChecks(bot);
  const lines = new Map<string, LineIndex>();
  for (const file of reported) {
    const read = readFlowText(file);
    if (!read.ok) {
      problems.push({
        file: relative(file),
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        severity: 'error',
        code: read.code,
        message: read.message,
      });
      continue;
    }
    checks.flowSet(bot.set(file, flowNameOfFile(file) ?? '', parseFlow(read.text)), read.text);
    lines.set(file, new LineIndex(read.text));
  }
  for (const file of context) {
    const read = readFlowText(file);
    // Only read to resolve gotos: what cannot be read is reported when that flow is checked itself.
    if (read.ok) checks.flowSet(bot.set(file, flowNameOfFile(file) ?? '', parseFlow(read.text)), read.text);
  }
  for (const [file, found] of checks.recheck()) {
    const index = lines.get(file);
    if (index) for (const problem of found) problems.push(reportedProblem(relative(file), problem, index));
  }
  return problems;
}

/** The default flow the bot.json of a bot folder names; none when it cannot be read. */
function defaultFlowOf(botFolder: string): string | undefined {
  try {
    return parseBotJson(fs.readFileSync(path.join(botFolder, 'bot.json'), 'utf8'))?.defaultFlow;
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function withSlashes(file: string): string {
  return path.sep === '/' ? file : file.split(path.sep).join('/');
}
