// A quiet mocha reporter: nothing for passing tests, every failure in full, then one closing line
// `N passed, N failed` (`, N skipped` added when tests were skipped).
// From the command line: mocha --reporter ./out/test/support/summaryReporter.js
// In code:               new Mocha({ reporter: SummaryReporter })
// TEST_TIMINGS=1 also prints each test's duration, to find where a suite spends its time.
import type * as Mocha from 'mocha';
import { print } from './testOutput';

// Event names of Mocha.Runner.constants, spelled out so this file needs no runtime import of mocha.
const EVENT_TEST_PASS = 'pass';
const EVENT_TEST_FAIL = 'fail';
const EVENT_TEST_PENDING = 'pending';
const EVENT_RUN_END = 'end';

class SummaryReporter {
  passed = 0;
  failed = 0;
  skipped = 0;

  constructor(runner: Mocha.Runner, _options?: Mocha.MochaOptions) {
    // print, not process.stdout: inside an extension host it also reaches the runner (see testOutput).
    const timings = !!process.env.TEST_TIMINGS;
    const started = Date.now();
    runner.on(EVENT_TEST_PASS, (test: Mocha.Runnable) => {
      this.passed++;
      if (timings) print(`${String(test.duration ?? 0).padStart(6)} ms  ${test.fullTitle()}`);
    });
    if (timings) {
      runner.on('hook end', (hook: Mocha.Hook) => {
        if ((hook.duration ?? 0) >= 100) print(`${String(hook.duration).padStart(6)} ms  ${hook.fullTitle()}`);
      });
    }
    runner.on(EVENT_TEST_PENDING, () => this.skipped++);
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, err: unknown) => {
      this.failed++;
      print(`\nFAIL ${this.failed}) ${test.fullTitle()}`);
      print(describeError(err));
    });
    runner.once(EVENT_RUN_END, () => {
      const skipped = this.skipped ? `, ${this.skipped} skipped` : '';
      if (timings) print(`${String(Date.now() - started).padStart(6)} ms  whole run`);
      print(`${this.passed} passed, ${this.failed} failed${skipped}`);
    });
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null)) return `  ${String(err)}`;
  const e = err as Error & { actual?: unknown; expected?: unknown; showDiff?: boolean };
  const message = String(e.message ?? err);
  const name = e.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${e.name}: ` : '';
  const lines = [`${name}${message}`.replace(/^/gm, '  ')];
  // Node's assert already puts a diff in the message; other libraries leave it to the reporter.
  if (e.showDiff !== false && ('expected' in e || 'actual' in e) && !/[+-] actual/.test(message)) {
    lines.push(`  expected: ${show(e.expected)}`);
    lines.push(`  actual:   ${show(e.actual)}`);
  }
  // The stack repeats the message first: print only its frames (or all of it if it has none).
  const stack = typeof e.stack === 'string' ? e.stack : '';
  const firstFrame = stack.search(/^\s+at /m);
  if (firstFrame >= 0) lines.push(stack.slice(firstFrame).replace(/\s+$/, ''));
  else if (stack && !stack.includes(message)) lines.push(stack);
  return lines.join('\n');
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export = SummaryReporter;
