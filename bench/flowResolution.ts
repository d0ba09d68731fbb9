/**
 * Flow-file resolution in a large workspace: a generated folder of 20,000 files (1,000 flows, their
 * commands files, sources, docs, assets, and folders the extension excludes), the first resolution
 * (scan into a FlowFileIndex, then a look-up), repeated look-ups, and a search-per-click baseline.
 *
 * In the extension the scan is `vscode.workspace.findFiles('**\/*.csml', EXCLUDE)` (src/ui/flowFiles.ts),
 * served by VS Code's search service; here a plain recursive fs walk with the same pattern and the
 * same excluded folders stands in for it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlowFileIndex } from '../src/csml/flowFileIndex';
import { flowNameOfFile } from '../src/csml/flowMatch';
import { atLeast, atMost, Report } from './report';
import { median, round, SeededRandom, summary } from './stats';

const GROUP = 'flows';
const SEED = 20_240_615;
const TOTAL_FILES = 20_000;
const FLOW_FILES = 1_000;
const COMMANDS_FILES = 300;
/** Flow names that a second bot folder also holds, so some look-ups find several files. */
const SHARED_NAMES = 25;
/** Files under excluded folders (node_modules, .git, dist, out), .csml ones among them. */
const EXCLUDED_FILES = 3_000;
const EXCLUDED_CSML = 60;
const FRESH_SCANS = 5;
const REPEAT_LOOKUPS = 2_000;
const BASELINE_CLICKS = 9;

/** The folders flowFiles.ts excludes from its search (EXCLUDE and IGNORED_FOLDER there). */
const EXCLUDED_FOLDERS = new Set(['node_modules', '.git', '.vscode-test', 'dist', 'out']);

export interface GeneratedWorkspace {
  readonly root: string;
  readonly files: number;
  readonly flowNames: string[];
  readonly folders: number;
}

export async function runFlowResolution(report: Report): Promise<void> {
  const workspace = generateWorkspace(SEED);
  try {
    await measure(report, workspace);
  } finally {
    fs.rmSync(workspace.root, { recursive: true, force: true });
  }
}

async function measure(report: Report, workspace: GeneratedWorkspace): Promise<void> {
  const random = new SeededRandom(SEED + 1);
  // A name in a different case than on disk: the engine and the index compare without case.
  const target = random.pick(workspace.flowNames).toLowerCase();

  // First resolution: a fresh index filled from a workspace scan, then one look-up.
  const firstMs: number[] = [];
  let index: FlowFileIndex | undefined;
  let found: string[] = [];
  for (let i = 0; i < FRESH_SCANS; i++) {
    const started = performance.now();
    const fresh = new FlowFileIndex();
    for (const file of await findCsmlFiles(workspace.root)) fresh.add(file);
    found = fresh.lookup(target);
    firstMs.push(performance.now() - started);
    index = fresh;
  }
  if (!index || found.length === 0) throw new Error(`the index found no file for ${target}`);
  if (index.size !== FLOW_FILES + SHARED_NAMES)
    throw new Error(`the index holds ${index.size} flow files, expected ${FLOW_FILES + SHARED_NAMES}`);

  // Repeated look-ups, as FlowFiles.lookup does them: await the (settled) scan, then the map.
  const ready = Promise.resolve();
  const names = random.shuffle([...workspace.flowNames]);
  const lookup = async (name: string): Promise<string[]> => {
    await ready;
    return index.lookup(name);
  };
  for (let i = 0; i < 500; i++) await lookup(names[i % names.length]);
  const repeatMs: number[] = [];
  for (let i = 0; i < REPEAT_LOOKUPS; i++) {
    const name = names[i % names.length];
    const started = performance.now();
    const files = await lookup(name);
    repeatMs.push(performance.now() - started);
    if (files.length === 0) throw new Error(`no file for ${name}`);
  }

  // Search per click: walk the whole tree for `<name>.csml` every time.
  const baselineMs: number[] = [];
  for (let i = 0; i < BASELINE_CLICKS + 1; i++) {
    const name = names[(i * 97) % names.length];
    const started = performance.now();
    const files = await searchPerClick(workspace.root, name);
    const elapsed = performance.now() - started;
    if (i > 0) baselineMs.push(elapsed); // the first walk only warms the walk's code
    if (files.length === 0) throw new Error(`the baseline found no file for ${name}`);
    const fromIndex = index.lookup(name);
    if (fromIndex.length !== files.length)
      throw new Error(`index and baseline disagree on ${name}: ${fromIndex.length} vs ${files.length}`);
  }

  const first = median(firstMs);
  const repeat = median(repeatMs);
  const speedup = median(baselineMs) / repeat;
  report.metric(GROUP, 'flow_resolve_first_ms', round(first, 4), 'ms', atMost(300), {
    samples: summary(firstMs),
    firstInProcessMs: round(firstMs[0], 4),
  });
  report.metric(GROUP, 'flow_resolve_repeat_ms', round(repeat, 3), 'ms', atMost(1), { samples: summary(repeatMs) });
  report.metric(GROUP, 'flow_resolve_speedup_x', Math.round(speedup), 'x', atLeast(10), {
    baselinePerClickMs: summary(baselineMs),
  });
  report.note(
    GROUP,
    `workspace: ${workspace.files} files in ${workspace.folders} folders (seed ${SEED}), ${FLOW_FILES + SHARED_NAMES} flow .csml ` +
      `(${SHARED_NAMES} names in two folders), ${COMMANDS_FILES} .cmds.csml, ${EXCLUDED_FILES} files in excluded folders; OS file cache warm.\n` +
      `first resolution = recursive fs walk (stand-in for vscode.workspace.findFiles('**/*.csml', EXCLUDE), same excluded folders)\n` +
      `  + FlowFileIndex.add for each file + one lookup: median of ${FRESH_SCANS} fresh indexes (first in process ${round(firstMs[0], 4)} ms).\n` +
      `repeat = await the settled scan + FlowFileIndex.lookup, median of ${REPEAT_LOOKUPS}; speedup = median of ${BASELINE_CLICKS} ` +
      `whole-tree walks for <name>.csml (${round(median(baselineMs), 4)} ms each) / repeat median (target >=10 chosen here).`,
  );
}

/** Every `*.csml` file outside the excluded folders, as findFiles('**\/*.csml', EXCLUDE) lists them. */
export async function findCsmlFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  await walk(root, (file, name) => {
    if (name.endsWith('.csml')) found.push(file);
  });
  return found;
}

/** The baseline: one whole-tree search for a flow's file, name compared without case, never `.cmds.csml`. */
async function searchPerClick(root: string, flowName: string): Promise<string[]> {
  const wanted = flowName.toLowerCase();
  const found: string[] = [];
  await walk(root, (file, name) => {
    if (name.length === wanted.length + 5 && name.toLowerCase() === `${wanted}.csml`) found.push(file);
  });
  return found;
}

async function walk(folder: string, onFile: (file: string, name: string) => void): Promise<void> {
  const entries = await fs.promises.readdir(folder, { withFileTypes: true });
  const below: Promise<void>[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!EXCLUDED_FOLDERS.has(entry.name)) below.push(walk(full, onFile));
    } else if (entry.isFile()) {
      onFile(full, entry.name);
    }
  }
  await Promise.all(below);
}

const WORDS = [
  'order',
  'pizza',
  'greeting',
  'onboarding',
  'support',
  'billing',
  'refund',
  'delivery',
  'menu',
  'survey',
  'feedback',
  'account',
  'login',
  'signup',
  'faq',
  'handover',
  'booking',
  'reminder',
  'payment',
  'profile',
  'search',
  'weather',
  'quiz',
  'coupon',
  'loyalty',
  'tracking',
  'returns',
  'store',
  'hours',
  'contact',
];
const FOLDER_WORDS = ['bots', 'flows', 'shared', 'legacy', 'drafts', 'v2', 'team', 'lib', 'src', 'content', 'intents', 'lang'];
const OTHER_EXTENSIONS = ['.json', '.md', '.ts', '.js', '.yml', '.txt', '.png', '.svg', '.env.example', '.csv'];

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Writes the workspace into a new temp folder; the same seed gives the same tree. */
export function generateWorkspace(seed: number): GeneratedWorkspace {
  const random = new SeededRandom(seed);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-bench-workspace-'));
  const made = new Set<string>();
  let files = 0;
  const write = (relative: string, content: string) => {
    const full = path.join(root, relative);
    const folder = path.dirname(full);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    fs.writeFileSync(full, content);
    files++;
  };
  /** A tree of `count` folders under `top`: each new folder goes into one picked among those made so far. */
  const folderTree = (top: string, count: number, maxDepth: number): string[] => {
    const folders = [top];
    while (folders.length < count) {
      const parent = random.pick(folders);
      if (parent.split('/').length >= maxDepth) continue;
      const child = `${parent}/${random.pick(FOLDER_WORDS)}${random.int(0, 99)}`;
      if (!folders.includes(child)) folders.push(child);
    }
    return folders;
  };

  // 40 bots, each with a flows folder and a few subfolders of it.
  const flowFolders: string[] = [];
  const bots: string[] = [];
  for (let b = 0; b < 40; b++) {
    const bot = `bots/bot-${String(b).padStart(2, '0')}`;
    bots.push(bot);
    flowFolders.push(...folderTree(`${bot}/flows`, random.int(1, 4), 5));
  }
  const flowNames: string[] = [];
  for (let i = 0; i < FLOW_FILES; i++) {
    const name = `${capitalise(random.pick(WORDS))}${capitalise(random.pick(WORDS))}${String(i).padStart(4, '0')}`;
    flowNames.push(name);
    const folder = random.pick(flowFolders);
    write(`${folder}/${name}.csml`, `start:\n  say "${name}"\n  goto end\n`);
    if (i < COMMANDS_FILES) write(`${folder}/${name}.cmds.csml`, `/${name.toLowerCase()}\n`);
  }
  // Some names also live in a second folder (a copy kept for another bot).
  for (let i = 0; i < SHARED_NAMES; i++) {
    write(`shared/copies/${random.pick(bots).split('/')[1]}/${flowNames[i * 7]}.csml`, 'start:\n  goto end\n');
  }
  // Folders the extension never searches, with .csml files in them too.
  const excluded = [
    ...folderTree('node_modules', 220, 5),
    ...folderTree('.git/objects', 60, 3),
    ...folderTree('dist', 20, 3),
    ...folderTree('out', 20, 3),
  ];
  for (let i = 0; i < EXCLUDED_FILES; i++) {
    const extension = i < EXCLUDED_CSML ? '.csml' : random.pick(OTHER_EXTENSIONS);
    write(`${random.pick(excluded)}/file${i}${extension}`, 'x');
  }
  // Everything else: sources, docs, assets, spread over nested folders.
  const others = ['src', 'docs', 'assets', 'scripts', 'test', 'packages'].flatMap((top) => folderTree(top, 180, 7));
  for (let i = 0; files < TOTAL_FILES; i++) {
    write(`${random.pick(others)}/item${i}${random.pick(OTHER_EXTENSIONS)}`, 'x');
  }
  // Sanity: the generator and flowMatch agree on what a flow file is.
  if (flowNameOfFile(`${flowNames[0]}.cmds.csml`) !== undefined) throw new Error('a .cmds.csml file was taken for a flow');
  return { root, files, flowNames, folders: countFolders(root) };
}

function countFolders(folder: string): number {
  let count = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) count += 1 + countFolders(path.join(folder, entry.name));
  }
  return count;
}
