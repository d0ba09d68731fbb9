/**
 * The checks of a bot, as the Problems panel gets them: the first check of a generated 1,000-flow bot (read in
 * slices, then checked in slices), one keystroke in its 2,000-line flow (inside a string, and in a step label,
 * which checks the flows that name it again), and the heap the bot and its checks keep.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { BotChecks } from '../src/csml/botChecks';
import { BotModel } from '../src/csml/botModel';
import { parseFlow } from '../src/csml/flowParser';
import { LineIndex } from '../src/csml/lineIndex';
import { inSlices } from '../src/csml/slices';
import { generateBot } from './csmlLanguage';
import { watchLongestTurn } from './eventLoopTurns';
import { atMost, Report } from './report';
import { median, percentile, round, summary } from './stats';

const GROUP = 'checks';
const SEED = 0x5eed_c5a1;
const BIG = 'Big';
const KEYSTROKES = 200;

/** Runs `work`; the longest the event loop was held at once meanwhile. */
async function longestTurn(work: () => Promise<void>): Promise<number> {
  const turns = watchLongestTurn();
  await work();
  return turns.stop();
}

/** Reads a bot as the editor does, flow by flow in slices, then checks it; what the editor keeps. */
async function readAndCheck(
  files: Map<string, string>,
): Promise<{ bot: BotModel; checks: BotChecks; lines: LineIndex[]; problems: number }> {
  const bot = new BotModel();
  const checks = new BotChecks(bot);
  const lines: LineIndex[] = [];
  await inSlices(files, ([name, text]) => {
    lines.push(new LineIndex(text));
    checks.flowSet(bot.set(name, name, parseFlow(text)), text);
  });
  const changed = await checks.recheckInSlices();
  return { bot, checks, lines, problems: [...changed.values()].reduce((n, found) => n + found.length, 0) };
}

function heapUsed(collect: () => void): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** The heap a bot and its checks keep, in MB, and how many problems they hold. */
async function heldHeap(files: Map<string, string>): Promise<{ mb: number; problems: number }> {
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  const without = heapUsed(collect);
  const held = await readAndCheck(files);
  const withBot = heapUsed(collect);
  return { mb: (withBot - without) / 1024 / 1024, problems: held.checks.pending ? -1 : held.problems };
}

export async function runCsmlChecks(report: Report): Promise<void> {
  const files = generateBot(SEED);
  const heap = await heldHeap(files);
  report.metric(GROUP, 'csml_bot_heap_1000_mb', round(heap.mb, 2), 'MB', atMost(100));
  const heldProblems = heap.problems;
  const firstRuns: number[] = [];
  const turns: number[] = [];
  let kept: Awaited<ReturnType<typeof readAndCheck>> | undefined;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    turns.push(await longestTurn(async () => void (kept = await readAndCheck(files))));
    firstRuns.push(performance.now() - started);
  }
  if (!kept) throw new Error('no bot read');
  const { bot, checks } = kept;
  report.metric(GROUP, 'csml_first_diagnostics_1000_ms', round(median(firstRuns), 4), 'ms', atMost(1000), { samples: summary(firstRuns) });
  report.metric(GROUP, 'csml_first_diagnostics_slice_ms', round(Math.max(...turns), 4), 'ms', atMost(20), { turns: summary(turns) });
  report.info(GROUP, 'csml_first_diagnostics_problems', kept.problems, 'problems');

  const text = files.get(BIG) ?? '';
  const referrers = [...bot.all()].filter((flow) => flow.model.gotos.some((goto) => goto.flow?.text === BIG)).length;
  const keystroke = (edited: (i: number) => string): number[] => {
    const samples: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      const next = edited(i);
      const started = performance.now();
      checks.flowSet(bot.set(BIG, BIG, parseFlow(next)), next);
      checks.recheck();
      samples.push(performance.now() - started);
    }
    checks.flowSet(bot.set(BIG, BIG, parseFlow(text)), text);
    checks.recheck();
    return samples;
  };
  const inString = text.indexOf('Thank you!');
  const inLabel = text.lastIndexOf('last:') + 'last'.length;
  const typedInString = keystroke((i) => text.slice(0, inString) + 'x'.repeat((i % 10) + 1) + text.slice(inString));
  const typedInLabel = keystroke((i) => text.slice(0, inLabel) + (i % 2 ? 's' : '') + text.slice(inLabel));
  report.metric(GROUP, 'csml_keystroke_diagnostics_p95_ms', round(percentile(typedInLabel, 95), 4), 'ms', atMost(20), {
    samples: summary(typedInLabel),
  });
  report.info(GROUP, 'csml_keystroke_in_string_p95_ms', round(percentile(typedInString, 95), 4), 'ms', { samples: summary(typedInString) });

  report.note(
    GROUP,
    `bot: ${files.size} generated flows (seed ${SEED}); first check: each flow parsed, set and given to BotChecks in slices, then checked in ` +
      `slices, median of 5; slice: the longest wait of a setImmediate ticker meanwhile. Keystroke: ${KEYSTROKES} edits of the ` +
      `${text.split('\n').length}-line flow ${BIG}, named by ${referrers} flows, from the new text to the problems that changed (parse, set, ` +
      `check; the editor adds publishing): in its last step's label (its steps change, the flows naming it are checked again), and in a string. ` +
      `Heap: heapUsed after two full collections with the bot, its checks and a line index per flow (what the editor keeps), minus without, ` +
      `in this Node process; the extension host adds its own documents. ${heldProblems} problems.`,
  );
}
