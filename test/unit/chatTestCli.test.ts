import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { harnessForSuite, TEST_CREDENTIALS } from '../support/studioHarness';

const root = path.resolve(__dirname, '..', '..', '..');
const bundle = path.join(root, 'dist', 'chat-test.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built command line, as CI runs it; asynchronous, so the emulator in this process can answer it. */
function chatTest(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bundle, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: child.exitCode ?? (error ? 1 : 0), stdout, stderr }),
    );
  });
}

describe('chat-test, the command line', function () {
  this.timeout(60_000);
  const harness = harnessForSuite();
  let folder: string;
  const env = () => ({
    CSML_API_BASE_URL: harness.emulator.baseUrl,
    CSML_API_KEY: TEST_CREDENTIALS.apiKey,
    CSML_API_SECRET: TEST_CREDENTIALS.apiSecret,
  });

  before(function () {
    if (fs.existsSync(bundle)) return;
    this.timeout(120_000);
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-test-'));
    fs.mkdirSync(path.join(folder, 'tests', 'node_modules'), { recursive: true });
    const write = (name: string, test: unknown) =>
      fs.writeFileSync(path.join(folder, 'tests', name), typeof test === 'string' ? test : JSON.stringify(test, null, 2));
    write('greets.chat.json', {
      name: 'Greets',
      turns: [{ send: 'hi', expect: ['You said: hi', { any: true }, { buttons: ['Next', 'Stop'] }] }],
    });
    write('wrong.chat.json', { turns: [{ send: 'hi' }, { send: 'again', expect: ['Hello'] }] });
    write('broken.chat.json', '{"turns": [\n  {"send": "hi"},\n  {"sned": "x"}\n]}');
    write('node_modules/skipped.chat.json', { turns: [{ send: 'never' }] });
    // Saved by an editor that writes a byte order mark: read as any editor reads it.
    write(
      'bom.chat.json',
      `\uFEFF${JSON.stringify({ name: 'With a BOM', turns: [{ send: 'bom', expect: ['You said: bom', { any: true }, { any: true }] }] })}`,
    );
  });

  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('needs nothing but Node, and is runnable', () => {
    const text = fs.readFileSync(bundle, 'utf8');
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    assert.deepEqual(
      required.filter((name) => !builtinModules.includes(name.replace(/^node:/, ''))),
      [],
    );
    assert.ok(text.startsWith('#!/usr/bin/env node\n'));
  });

  it('runs every test of a folder as a new user, a line each, then the counts, and fails the run on a failure', async () => {
    const run = await chatTest(['tests'], env(), folder);
    const lines = run.stdout.trim().split('\n');
    assert.equal(run.code, 1, run.stderr);
    assert.equal(lines.at(-1), '2 passed, 2 failed', run.stdout);
    assert.ok(
      lines.some((line) => /^✓ With a BOM \(tests[/\\]bom\.chat\.json, 1 turn\)/.test(line)),
      run.stdout,
    );
    // What the bot said shows under a failure, so the CI log alone explains it.
    const wrongAt = lines.findIndex((line) => line.startsWith('✗ wrong'));
    assert.deepEqual(lines.slice(wrongAt + 1, wrongAt + 7), [
      '    expected:',
      '      Hello',
      '    actual:',
      '      You said: again',
      '      [debug] flow Default, step menu',
      '      Now in flow Default, step menu. Go on? [Next] [Stop]',
    ]);
    assert.ok(
      lines.includes(
        `✗ ${path.join('tests', 'broken.chat.json')}:3:4: Unknown field "sned": a turn has one of "send", "click", "payload", "startFlow", and "expect", "flow", "step" or "ended".`,
      ),
      run.stdout,
    );
    assert.ok(
      lines.some((line) => /^✓ Greets \(tests[/\\]greets\.chat\.json, 1 turn\) \(\d+\.\d s\)$/.test(line)),
      run.stdout,
    );
    assert.ok(
      lines.some((line) =>
        line.startsWith(`✗ wrong (${path.join('tests', 'wrong.chat.json')}:6:5, turn 2): Expected 1 message, the bot sent 3.`),
      ),
      run.stdout,
    );
    const users = new Set(
      harness.emulator.requests
        .filter((r) => r.path === '/chat')
        .map((r) => (JSON.parse(r.body) as { client: { user_id: string } }).client.user_id),
    );
    assert.equal(users.size, 3, 'each test talks as a user of its own');
    assert.ok(!harness.emulator.requests.some((r) => r.body.includes('never')), 'a test under node_modules was run');
    assert.ok(!`${run.stdout}${run.stderr}`.includes(TEST_CREDENTIALS.apiSecret));
  });

  it('takes the credentials from the environment only, and says what to set', async () => {
    const run = await chatTest(['tests'], { CSML_API_BASE_URL: harness.emulator.baseUrl }, folder);
    assert.deepEqual(run, {
      code: 2,
      stdout: '',
      stderr: "Set CSML_API_KEY and CSML_API_SECRET in the environment to the bot's API channel credentials.\n",
    });
    assert.deepEqual(harness.emulator.requests, []);
  });

  it('reads the flows again for the next test when reading them failed once', async () => {
    harness.emulator.fault({ path: '/bot/flows', status: 503, times: 1 });
    fs.writeFileSync(path.join(folder, 'tests', 'greets.chat.json'), JSON.stringify({ turns: [{ send: 'hi', step: 'start' }] }));
    const first = await chatTest(['tests/greets.chat.json'], env(), folder);
    assert.match(first.stdout, /^! greets .*limiting requests/);
    const again = await chatTest(['tests/greets.chat.json', 'tests/bom.chat.json'], env(), folder);
    assert.match(again.stdout, /2 passed, 0 failed\n$/);
  });

  it('errors a test when the Studio fails, and counts it as failed', async () => {
    harness.emulator.fault({ path: '/chat', status: 503 });
    const run = await chatTest(['tests/greets.chat.json'], env(), folder);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^! Greets \(tests[/\\]greets\.chat\.json:4:5, turn 1\): The Studio failed: .*\n0 passed, 1 failed\n$/s);
  });
});
