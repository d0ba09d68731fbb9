import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readChatTest } from '../chattests/chatTestFile';
import { findChatTests } from '../chattests/chatTestFiles';
import { ChatTestResult, runChatTest } from '../chattests/chatTestRun';
import { studioChatTestDeps } from '../chattests/studioChatTestDeps';
import { BoundedRegex } from '../common/boundedRegex';
import { inParallel } from '../common/inParallel';
import { positionOf } from '../csml/lineIndex';
import { DEFAULT_BASE_URL, parseBaseUrl } from '../studio/baseUrl';
import { StudioClient } from '../studio/client';
import { asStudioError } from '../studio/errors';
import { createNodeFetch } from '../studio/nodeFetchTransport';
import { pacerFor } from '../studio/requestPacer';

const USAGE = [
  'Usage: chat-test <test files or folders>...',
  '',
  'Replays the *.chat.json conversations against the bot as deployed in CSML Studio, each as a new test user, and',
  'prints a line per test, then "N passed, N failed" (a test the Studio could not run counts as failed). Exits',
  'with 1 when a test failed, 2 on bad usage or settings, 0 otherwise.',
  '',
  'The Studio and the credentials come from the environment only:',
  '  CSML_API_KEY, CSML_API_SECRET   the bot API channel key and secret (required)',
  `  CSML_API_BASE_URL              the Studio API address (default ${DEFAULT_BASE_URL})`,
].join('\n');

/** Tests run at once; the pacer keeps all of them under the Studio's rate limit together. */
const PARALLEL_TESTS = 8;

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const paths = args.filter((arg) => arg !== '--');
  if (paths.length === 0 || paths.some((arg) => arg.startsWith('-'))) {
    process.stderr.write('Name the test files or folders to run, e.g. chat-test tests (options: --help).\n');
    return 2;
  }
  const apiKey = process.env.CSML_API_KEY ?? '';
  const apiSecret = process.env.CSML_API_SECRET ?? '';
  if (apiKey === '' || apiSecret === '') {
    process.stderr.write("Set CSML_API_KEY and CSML_API_SECRET in the environment to the bot's API channel credentials.\n");
    return 2;
  }
  let baseUrl: URL;
  try {
    baseUrl = parseBaseUrl(process.env.CSML_API_BASE_URL || DEFAULT_BASE_URL);
  } catch {
    process.stderr.write(
      'Set CSML_API_BASE_URL to the Studio API address, over https:// (http:// only for this machine), or leave it unset.\n',
    );
    return 2;
  }
  const { files, missing } = await findChatTests(paths, process.cwd());
  if (missing.length) {
    process.stderr.write(`Not found: ${missing.join(', ')}.\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write('No *.chat.json test was found there.\n');
    return 2;
  }

  const transport = createNodeFetch();
  const client = new StudioClient({
    baseUrl,
    credentials: { apiKey, apiSecret },
    fetch: transport.fetch,
    timeoutMs: 30_000,
    pacer: pacerFor(apiKey, baseUrl.href),
  });
  const regex = new BoundedRegex();
  const signal = new AbortController().signal;
  let flowsOnce: ReturnType<StudioClient['getFlows']> | undefined;
  // Read once for all tests; a failed read is tried again by the next test rather than failing them all.
  const flows = () =>
    (flowsOnce ??= client.getFlows(signal).catch((error: unknown) => {
      flowsOnce = undefined;
      throw error;
    }));
  let passed = 0;
  let failed = 0;
  const deps = studioChatTestDeps(client, flows);
  const runFile = async (file: string) => {
    const shown = path.relative(process.cwd(), file) || file;
    // Read as editors read it: a byte order mark is not part of the JSON.
    const text = (await fs.readFile(file, 'utf8').catch(() => undefined))?.replace(/^\uFEFF/, '');
    const read = text === undefined ? undefined : readChatTest(text, file);
    if (!read?.test || read.problems.length) {
      failed++;
      const first = read?.problems[0];
      const where = first && text !== undefined ? `:${lineAndColumn(text, first.offset)}` : '';
      process.stdout.write(`✗ ${shown}${where}: ${first?.message ?? 'the file could not be read.'}\n`);
      return;
    }
    const started = Date.now();
    const result = await runChatTest(read.test, deps, {
      userId: `chat-test-${randomBytes(6).toString('hex')}`,
      signal,
      regex,
      place: 'commandLine',
    });
    if (result.status === 'passed') passed++;
    else failed++;
    process.stdout.write(`${resultLine(read.test.name, shown, result, text ?? '')} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    const differed = result.turns.find((turn) => turn.expected !== undefined || turn.actual !== undefined);
    if (differed && result.status === 'failed') process.stdout.write(answersShown(differed.expected, differed.actual));
  };
  try {
    await inParallel(files, PARALLEL_TESTS, runFile);
  } finally {
    regex.dispose();
    transport.dispose();
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

function resultLine(name: string, file: string, result: ChatTestResult, text: string): string {
  if (result.status === 'passed') return `✓ ${name} (${file}, ${result.turns.length === 1 ? '1 turn' : `${result.turns.length} turns`})`;
  const turn = result.turns.find((candidate) => candidate.status === 'failed' || candidate.status === 'errored');
  const where = turn ? `${file}:${lineAndColumn(text, turn.turn.offset)}, turn ${turn.turn.index + 1}` : file;
  const mark = result.status === 'errored' ? '!' : '✗';
  return `${mark} ${name} (${where}): ${turn?.message ?? 'stopped before its end.'}`;
}

/** What the bot was expected to say and what it said, indented under the test's line, so a CI log shows both. */
function answersShown(expected: string | undefined, actual: string | undefined): string {
  const block = (label: string, text: string | undefined) =>
    text === undefined
      ? ''
      : `    ${label}\n${text
          .split('\n')
          .map((line) => `      ${line}`)
          .join('\n')}\n`;
  return block('expected:', expected) + block('actual:', actual);
}

/** `line:column`, 1-based, as editors and CI logs link them. */
function lineAndColumn(text: string, offset: number): string {
  const { line, character } = positionOf(text, offset);
  return `${line + 1}:${character + 1}`;
}

// A reader that stops early (`chat-test tests | head`) closes the pipe: nothing more to say, and no stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`chat-test stopped: ${asStudioError(error).message}\n`);
    process.exitCode = 2;
  },
);
