/**
 * Fifty chat tests of ten turns each, run as the Testing view runs them (four at a time, one request pacer for the
 * key) against the emulator, whose every answer takes 20 ms. Each turn is a chat and a look-up of the step after
 * it: 1,000 requests, which the Studio's limit of 25 a second alone stretches to 40 s. The emulator counts the
 * requests it sees in any one second.
 */
import { performance } from 'node:perf_hooks';
import { readChatTest } from '../src/chattests/chatTestFile';
import { runChatTest } from '../src/chattests/chatTestRun';
import { studioChatTestDeps } from '../src/chattests/studioChatTestDeps';
import { BoundedRegex } from '../src/common/boundedRegex';
import { inParallel } from '../src/common/inParallel';
import { sampleFlows } from '../test/emulator/fixtures';
import { StudioFlow } from '../test/emulator/studioEmulator';
import { withPacedStudio } from './pacedStudio';
import { atMost, Report } from './report';

const GROUP = 'chat-tests';
const TESTS = 50;
const TURNS = 10;
const PARALLEL = 4;
const LATENCY_MS = 20;

export async function runChatTests(report: Report): Promise<void> {
  const [template] = sampleFlows();
  // The emulator starts a flow at `start`, and each message moves the user one step on.
  const steps = ['start', ...Array.from({ length: TURNS }, (_, index) => `s${index + 1}`)];
  const long: StudioFlow = {
    ...template,
    id: '00000000-0000-4000-8000-00000000c4a7',
    name: 'Long',
    content: steps.map((step, index) => `${step}:\n  say "${step}"\n  goto ${steps[index + 1] ?? 'end'}\n`).join('\n'),
  };
  const tests = Array.from({ length: TESTS }, (_, index) => {
    const turns = [
      { startFlow: 'Long', expect: ['Starting flow Long.', { matches: '^\\[debug\\]' }, { any: true }], flow: 'Long', step: 'start' },
      ...steps
        .slice(1, TURNS)
        .map((step) => ({ send: `to ${step}`, expect: [`You said: to ${step}`, { any: true }, { any: true }], step })),
    ];
    const read = readChatTest(JSON.stringify({ name: `bench ${index}`, turns }), `bench-${index}.chat.json`);
    if (!read.test) throw new Error(read.problems[0]?.message);
    return read.test;
  });
  await withPacedStudio([long], LATENCY_MS, async (emulator, client) => {
    const flows = client.getFlows();
    const deps = studioChatTestDeps(client, () => flows);
    const regex = new BoundedRegex();
    const signal = new AbortController().signal;
    await flows;
    emulator.clearRequests();
    const started = performance.now();
    let passed = 0;
    const failures: string[] = [];
    await inParallel(tests, PARALLEL, async (test) => {
      const result = await runChatTest(test, deps, { userId: `bench-${test.name.replace(/\D/g, '')}`, signal, regex });
      if (result.status === 'passed') passed++;
      else failures.push(result.turns.find((turn) => turn.message)?.message ?? result.status);
    });
    const ms = performance.now() - started;
    if (passed !== TESTS) throw new Error(`${passed} of ${TESTS} chat tests passed: ${failures[0] ?? ''}`);
    report.metric(GROUP, 'chat_tests_50x10_s', Math.round(ms / 100) / 10, 's', atMost(45));
    report.metric(GROUP, 'chat_tests_max_requests_per_second', emulator.maxRequestsPerSecond(), 'requests', atMost(25));
    report.note(
      GROUP,
      `${TESTS} tests of ${TURNS} turns, ${PARALLEL} at a time, emulator latency ${LATENCY_MS} ms, one request pacer: each turn a POST /chat and a look-up of the step after it; the most requests the emulator saw in any 1,000 ms.`,
    );
  });
}
