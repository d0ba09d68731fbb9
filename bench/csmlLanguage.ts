/**
 * The CSML language service: parsing and outline of a 20,000-line flow; the model of a generated 1,000-flow
 * bot, built in slices; Go to Definition; the references of a step that 500 gotos in 200 flows name.
 */
import { BotModel } from '../src/csml/botModel';
import { completionsAt } from '../src/csml/completion';
import { isRefusal, renameAt } from '../src/csml/rename';
import { parseFlow } from '../src/csml/flowParser';
import { flowSymbols } from '../src/csml/flowSymbols';
import { inSlices } from '../src/csml/slices';
import { atMost, Report } from './report';
import { generateFlow } from './stepScan';
import { median, round, SeededRandom, summary } from './stats';

const GROUP = 'language';
const SEED = 0x5eed_c5a1;
const FLOWS = 1_000;
const HUB_REFERENCES = 500;
const HUB_REFERRING_FLOWS = 200;

/** Runs `work` `runs` times after a few warm-up runs; the median and the spread, in ms. */
function measure(work: () => void, runs = 30, warmUp = 5): { median: number; samples: number[] } {
  for (let i = 0; i < warmUp; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return { median: median(samples), samples };
}

/**
 * A bot of `FLOWS` flows of about 100 lines, each going to steps of its own and of other flows, importing
 * functions and inserting steps from others; one flow of 2,000 lines; and the step `hub` of the flow `Hub`,
 * named by `HUB_REFERENCES` gotos spread over `HUB_REFERRING_FLOWS` flows. The next figures use the same bot.
 */
export function generateBot(seed: number): Map<string, string> {
  const random = new SeededRandom(seed);
  const int = (limit: number) => Math.floor(random.next() * limit);
  const name = (i: number) => `Flow${String(i).padStart(4, '0')}`;
  const flows = new Map<string, string>();
  flows.set('Hub', ['start:', '  goto hub', 'hub:', '  say "the hub"', '  goto end'].join('\n'));
  let hubLeft = HUB_REFERENCES;
  for (let i = 0; i < FLOWS - 1; i++) {
    const lines: string[] = [`// ${name(i)}: generated`];
    const other = name(int(FLOWS - 1));
    lines.push(`import { helper as help${i} } from ${other}`, `insert s1 as borrowed from ${name(int(FLOWS - 1))}`);
    const steps = 12;
    for (let s = 0; s < steps; s++) {
      lines.push(`${s === 0 ? 'start' : `s${s}`}:`, `  say "Step ${s} of {{ help${i}(${s}) }}"`, '  remember answer = event');
      lines.push(`  if (event.match("next")) { goto s${(s + 1) % steps} } else { goto s${int(steps)}@${name(int(FLOWS - 1))} }`);
      lines.push('  do order = {"size": "medium", "count": 1}', `  goto ${int(2) ? 'borrowed' : `s${int(steps)}`}`);
    }
    if (i < HUB_REFERRING_FLOWS) {
      const here = i === HUB_REFERRING_FLOWS - 1 ? hubLeft : Math.min(hubLeft, 2 + (i % 2));
      for (let h = 0; h < here; h++) lines.push(`hub_${h}:`, '  goto hub@Hub');
      hubLeft -= here;
    }
    if (i % 10 === 0) lines.push(`big_${i}:`, '  goto last@Big');
    lines.push('fn helper(x):', '  return x * 2');
    while (lines.length < 100) lines.push('  // padding');
    flows.set(name(i), lines.join('\n'));
  }
  flows.set('Big', generateFlow(seed, 2_000, 'last'));
  return flows;
}

export async function runCsmlLanguage(report: Report): Promise<void> {
  const big = generateFlow(7_340_021, 20_000, 'confirm_checkout');
  const parsing = measure(() => flowSymbols(parseFlow(big)));
  report.metric(GROUP, 'csml_outline_20k_ms', round(parsing.median, 4), 'ms', atMost(10), { samples: summary(parsing.samples) });

  const files = generateBot(SEED);
  const builds: number[] = [];
  const slices: number[] = [];
  let bot = new BotModel();
  for (let run = 0; run < 7; run++) {
    bot = new BotModel();
    const model = bot;
    const started = performance.now();
    slices.push(await inSlices(files, ([flow, text]) => void model.set(flow, flow, parseFlow(text))));
    builds.push(performance.now() - started);
  }
  report.metric(GROUP, 'csml_bot_model_1000_ms', round(median(builds), 4), 'ms', atMost(500), { samples: summary(builds) });
  report.metric(GROUP, 'csml_bot_model_slice_ms', round(Math.max(...slices), 4), 'ms', atMost(20), { slices: summary(slices) });

  const flow = 'Flow0100';
  const text = files.get(flow) ?? '';
  const gotoOffset = text.indexOf('@Flow') - 2;
  const definition = measure(() => {
    const occurrence = bot.occurrenceAt(flow, gotoOffset);
    if (!occurrence || bot.declarations(occurrence.symbols).length === 0) throw new Error('no definition for the goto');
  });
  report.metric(GROUP, 'csml_definition_ms', round(definition.median, 4), 'ms', atMost(5), { samples: summary(definition.samples) });

  const hub = bot.occurrenceAt('Hub', (files.get('Hub') ?? '').indexOf('hub:') + 1)?.symbols[0];
  if (!hub) throw new Error('no hub step');
  let count = 0;
  const references = measure(() => (count = bot.references(hub, false).length), 15, 3);
  if (count !== HUB_REFERENCES + 1) throw new Error(`the hub has ${count} references, expected ${HUB_REFERENCES + 1}`);
  report.metric(GROUP, 'csml_references_500_ms', round(references.median, 4), 'ms', atMost(50), { samples: summary(references.samples) });
  // A goto being typed at the end of a step in the middle of the 2,000-line flow.
  const bigFlow = files.get('Big') ?? '';
  const middle = bigFlow.indexOf('\n\nstep_', bigFlow.length >> 1);
  const typing = `${bigFlow.slice(0, middle)}\n  goto ${bigFlow.slice(middle)}`;
  const typed = bot.set('Big', 'Big', parseFlow(typing));
  const cursor = middle + '\n  goto '.length;
  let offered = 0;
  const completion = measure(() => (offered = completionsAt(typing, cursor, bot, typed, { trigger: ' ' }).length), 200, 20);
  if (offered < 100) throw new Error(`completion after goto offered ${offered} items`);
  report.metric(GROUP, 'csml_completion_goto_ms', round(completion.median, 4), 'ms', atMost(5), { samples: summary(completion.samples) });
  bot.set('Big', 'Big', parseFlow(bigFlow));

  const hubLabel = (files.get('Hub') ?? '').indexOf('hub:');
  let edits = 0;
  const rename = measure(
    () => {
      const plan = renameAt(bot, 'Hub', hubLabel, 'centre');
      if (isRefusal(plan)) throw new Error(plan.refusal);
      edits = [...plan.edits.values()].reduce((n, spans) => n + spans.length, 0);
    },
    15,
    3,
  );
  if (edits !== HUB_REFERENCES + 2) throw new Error(`the rename of hub changes ${edits} places`);
  report.metric(GROUP, 'csml_rename_500_ms', round(rename.median, 4), 'ms', atMost(200), { samples: summary(rename.samples) });
  report.note(
    GROUP,
    `outline: parseFlow + flowSymbols of a generated 20,000-line flow, median of 30. Bot: ${files.size} generated flows (seed ${SEED}, ` +
      `${Math.round([...files.values()].reduce((n, t) => n + t.length, 0) / 1024)} KB), parsed into one BotModel in slices (src/csml/slices.ts), median of 7 builds, ` +
      `longest slice over all builds. Definition: a goto s@F in ${flow}. References: the step hub of Hub, ${HUB_REFERENCES} gotos in ${HUB_REFERRING_FLOWS} flows ` +
      `and the goto of Hub itself. Completion: right after a goto typed in the middle of the 2,000-line flow Big, median of 200. Rename: the step hub to centre, ` +
      `its label and every reference. Files are in memory: reading them is not included.`,
  );
}
