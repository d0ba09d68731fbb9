/**
 * Step scan: findStepLabel over a generated 20,000-line CSML flow whose wanted step is the last one,
 * so the scanner has to go through the whole file (strings with interpolation, comments, blocks and
 * object literals included).
 */
import { findStepLabel, scanStepLabels } from '../src/csml/stepScanner';
import { atMost, Report } from './report';
import { median, round, SeededRandom, summary } from './stats';

const GROUP = 'steps';
const SEED = 7_340_021;
const LINES = 20_000;
const TARGET_STEP = 'confirm_checkout';
const WARM_UP_RUNS = 10;
const MEASURED_RUNS = 30;

export function runStepScan(report: Report): void {
  const source = generateFlow(SEED, LINES, TARGET_STEP);
  const lineCount = source.split('\n').length;
  if (lineCount !== LINES) throw new Error(`the generated flow has ${lineCount} lines, expected ${LINES}`);

  const coldStarted = performance.now();
  const cold = findStepLabel(source, TARGET_STEP);
  const coldMs = performance.now() - coldStarted;
  if (!cold || cold.line < LINES - 10) throw new Error(`the scanner did not find ${TARGET_STEP} at the end (got ${JSON.stringify(cold)})`);
  for (let i = 0; i < WARM_UP_RUNS; i++) findStepLabel(source, TARGET_STEP);
  const samples: number[] = [];
  for (let i = 0; i < MEASURED_RUNS; i++) {
    const started = performance.now();
    const label = findStepLabel(source, TARGET_STEP);
    samples.push(performance.now() - started);
    if (label?.line !== cold.line) throw new Error('the scanner answered differently from run to run');
  }
  const steps = scanStepLabels(source).length;
  report.metric(GROUP, 'step_scan_20k_ms', round(median(samples), 4), 'ms', atMost(10), {
    samples: summary(samples),
    firstRunMs: round(coldMs, 4),
    bytes: source.length,
    steps,
    foundAtLine: cold.line,
  });
  report.note(
    GROUP,
    `findStepLabel on a generated ${LINES}-line flow (seed ${SEED}, ${Math.round(source.length / 1024)} KB, ${steps} steps), ` +
      `step "${TARGET_STEP}" on line ${cold.line + 1}: median of ${MEASURED_RUNS} runs after ${WARM_UP_RUNS} warm-up runs ` +
      `(first, cold run: ${round(coldMs, 4)} ms). Scan only: reading the file is not included.`,
  );
}

const WORDS = ['pizza', 'size', 'cheese', 'order', 'delivery', 'address', 'name', 'menu', 'price', 'topping', 'time', 'note'];

/** A CSML flow of exactly `lines` lines whose last step is `lastStep`. */
export function generateFlow(seed: number, lines: number, lastStep: string): string {
  const random = new SeededRandom(seed);
  const out: string[] = ['// Generated for the step-scan benchmark', 'start:', '  say "Welcome!"', '  goto step_0001'];
  const word = () => random.pick(WORDS);
  const blocks: Array<(step: number) => string[]> = [
    () => [`  say "What ${word()} would you like, {{_memory.${word()}}}? Answer with: small, medium: or large"`],
    () => [
      `  remember ${word()}_${random.int(0, 99)} = {`,
      `    "${word()}": "${word()}",`,
      `    "${word()}": [${random.int(1, 9)}, ${random.int(10, 99)}],`,
      `    "nested": { "label": "not_a_step:", "n": ${random.int(0, 999)} }`,
      '  }',
    ],
    () => ['  /* An old version of this step:', `  old_step_${random.int(0, 999)}:`, '    say "gone" */'],
    () => [`  // fallback_${random.int(0, 999)}: kept for reference`],
    (step) => [
      `  if (event.match("${word()}")) {`,
      `    say "Noted: {{event}} \\"quoted\\" {{ ${word()} }}"`,
      `    goto step_${String(step + 1).padStart(4, '0')}`,
      '  } else {',
      `    say Question(title = "Pick a ${word()}", buttons = [Button("${word()}"), Button("${word()}")])`,
      '    hold',
      '  }',
    ],
    () => [`  do ${word()} = Fn("lookup", key = "${word()}:${random.int(0, 99)}")`],
    () => [`  say "Total: {{price * ${random.int(1, 5)}}} EUR"`, '  say Typing(1000)'],
  ];
  const tail = [`${lastStep}:`, '  say "Thank you!"', '  goto end'];
  for (let step = 1; ; step++) {
    const chunk: string[] = ['', `step_${String(step).padStart(4, '0')}:`];
    const count = random.int(2, 5);
    for (let i = 0; i < count; i++) chunk.push(...random.pick(blocks)(step));
    chunk.push(`  goto step_${String(step + 1).padStart(4, '0')}`);
    if (out.length + chunk.length + tail.length > lines) break;
    out.push(...chunk);
  }
  while (out.length + tail.length < lines) out.push('');
  out.push(...tail);
  return out.join('\n');
}
