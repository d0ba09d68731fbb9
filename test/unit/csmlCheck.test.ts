import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const bundle = path.join(root, 'dist', 'csml-check.js');
const bots = path.join(root, 'test', 'fixtures', 'check-bots');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line as CI would, from `cwd`. */
function csmlCheck(args: string[], cwd = root): Run {
  const run = spawnSync(process.execPath, [bundle, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface JsonReport {
  problems: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: string;
    code: string;
    message: string;
  }[];
  counts: { errors: number; warnings: number; hints: number; flows: number; bots: number };
}

describe('csml-check, the command line', function () {
  before(function () {
    // `npm test` builds dist/ first; a lone run of this file builds it when missing.
    if (fs.existsSync(bundle)) return;
    this.timeout(120_000);
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  it('needs nothing but Node: the bundle requires only its built-in modules', () => {
    const required = [...fs.readFileSync(bundle, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    assert.ok(required.length > 0);
    assert.deepEqual(
      required.filter((name) => !builtinModules.includes(name.replace(/^node:/, ''))),
      [],
    );
    assert.ok(fs.readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('passes a clean bot, leaving out its .cmds.csml file', () => {
    // Default.cmds.csml holds gotos to a missing step and flow: read as a flow, it would be reported.
    const run = csmlCheck(['test/fixtures/check-bots/clean']);
    assert.deepEqual(run, { status: 0, stdout: 'No problems in 2 flows of 1 bot.\n', stderr: '' });
  });

  it('reports a goto to a missing step and flow and an unreachable step, one line each, and does not fail on them', () => {
    const run = csmlCheck(['test/fixtures/check-bots/broken']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        // The emoji before `nowhere` is two UTF-16 code units: column 29, as VS Code's Problems panel says.
        'test/fixtures/check-bots/broken/flows/Main.csml:7:29 warning No step "nowhere" in this flow: the conversation would end here. Create the step, or correct the name.',
        'test/fixtures/check-bots/broken/flows/Main.csml:8:9 warning No flow "Missing" in this bot: the conversation would end here. Create Missing.csml, or correct the name.',
        'test/fixtures/check-bots/broken/flows/Main.csml:10:1 hint Nothing goes to step "lonely": no goto or insert in the bot names it. Add a goto to it, or remove it.',
        '2 warnings, 1 hint in 1 flow of 1 bot.',
        '',
      ].join('\n'),
    );
  });

  it("reports the engine linter's errors, a missing start step under bot.json's default flow among them, and fails", () => {
    const run = csmlCheck(['test/fixtures/check-bots/failing']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), [
      'test/fixtures/check-bots/failing/flows/Lib.csml:1:1 error Flow Lib has steps but no start step, which the engine requires of every flow but the default one: add a start: step.',
      'test/fixtures/check-bots/failing/flows/Main.csml:1:8 error Import failed: flow Lib has no function shout. Declare it there, or correct the name.',
      '2 errors in 2 flows of 1 bot.',
      '',
    ]);
  });

  it('names files relative to the current directory', () => {
    const run = csmlCheck(['.'], path.join(bots, 'broken'));
    assert.match(run.stdout, /^flows\/Main\.csml:7:29 warning /);
  });

  it('makes two bots of a bot.json folder nested in another, whose flows do not see each other', () => {
    const run = csmlCheck(['test/fixtures/check-bots/nested']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), [
      'test/fixtures/check-bots/nested/flows/Outer.csml:3:13 warning No flow "Inner" in this bot: the conversation would end here. Create Inner.csml, or correct the name.',
      'test/fixtures/check-bots/nested/support/flows/Inner.csml:3:13 warning No flow "Outer" in this bot: the conversation would end here. Create Outer.csml, or correct the name.',
      '2 warnings in 2 flows of 2 bots.',
      '',
    ]);
  });

  it('checks a flow file given alone against the rest of its bot, reporting only on that file', () => {
    // Default goes to start@Order, in a flow not named here; Order's own problems, had it any, are not reported.
    const run = csmlCheck(['test/fixtures/check-bots/clean/flows/Default.csml', 'test/fixtures/check-bots/clean/flows/Default.cmds.csml']);
    assert.deepEqual(run, { status: 0, stdout: 'No problems in 1 flow of 1 bot.\n', stderr: '' });
  });

  it('prints --json as one document and nothing else on stdout', () => {
    const run = csmlCheck(['--json', 'test/fixtures/check-bots/broken', 'test/fixtures/check-bots/clean']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.counts, { errors: 0, warnings: 2, hints: 1, flows: 3, bots: 2 });
    assert.deepEqual(report.problems[0], {
      file: 'test/fixtures/check-bots/broken/flows/Main.csml',
      line: 7,
      column: 29,
      endLine: 7,
      endColumn: 36,
      severity: 'warning',
      code: 'missing-step',
      message: 'No step "nowhere" in this flow: the conversation would end here. Create the step, or correct the name.',
    });
    assert.deepEqual(
      report.problems.map((problem) => `${problem.line}:${problem.column} ${problem.severity} ${problem.code}`),
      ['7:29 warning missing-step', '8:9 warning missing-flow', '10:1 hint unreachable-step'],
    );
  });

  describe('bad usage exits with 2 and one sentence on stderr', () => {
    const cases: [string, string[], RegExp][] = [
      ['no path', [], /^Name at least one bot folder or flow file to check/],
      ['an unknown option', ['--fix', 'test/fixtures/check-bots/clean'], /^Unknown option --fix: run csml-check --help/],
      [
        'a path that does not exist',
        ['test/fixtures/check-bots/clean', 'no/such/bot'],
        /^There is no file or folder no\/such\/bot .*: check the path\.$/,
      ],
      ['a file that is no flow', ['test/fixtures/check-bots/clean/bot.json'], /is not a CSML flow: name \.csml files/],
      ['a folder without flows', ['src/cli'], /^No CSML flows \(\.csml files\) in src\/cli: name your bot's folder/],
    ];
    for (const [what, args, message] of cases) {
      it(what, () => {
        const run = csmlCheck(args);
        assert.equal(run.status, 2, `${what}: ${run.stdout}`);
        assert.equal(run.stdout, '');
        assert.match(run.stderr.trimEnd(), message);
        assert.equal(run.stderr.trimEnd().split('\n').length, 1);
      });
    }

    it('but --help prints the usage on stdout and exits with 0', () => {
      const run = csmlCheck(['--help']);
      assert.equal(run.status, 0);
      assert.match(run.stdout, /^Usage: csml-check <bot folder or flow file>\.\.\. \[--json\]/);
    });
  });

  describe('files that are not CSML text', () => {
    let bot: string;

    before(() => {
      bot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'csml-check-bot-')));
      const flows = path.join(bot, 'flows');
      fs.mkdirSync(flows);
      fs.writeFileSync(path.join(flows, 'Main.csml'), 'start:\n  goto flow Latin\n');
      fs.writeFileSync(path.join(flows, 'Latin.csml'), Buffer.from('start:\n  say "caf\xe9"\n', 'latin1'));
      fs.writeFileSync(path.join(flows, 'Picture.csml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
      fs.symlinkSync(bot, path.join(flows, 'loop'));
    });

    after(() => {
      fs.rmSync(bot, { recursive: true, force: true });
    });

    it('are reported as errors, one line each, and the other flows are still checked; the run fails', () => {
      const run = csmlCheck(['.'], bot);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(run.stdout.split('\n'), [
        'flows/Latin.csml:1:1 error The file is not valid UTF-8 and was not checked: save it with the UTF-8 encoding.',
        // Main's goto to Latin is still reported: Latin could not be read into the bot.
        'flows/Main.csml:2:13 warning No flow "Latin" in this bot: the conversation would end here. Create Latin.csml, or correct the name.',
        'flows/Picture.csml:1:1 error The file holds NUL bytes, so it is not CSML text, and was not checked: remove it or rename it to something other than .csml.',
        '2 errors, 1 warning in 3 flows of 1 bot.',
        '',
      ]);
    });

    it('give codes in --json', () => {
      const report = JSON.parse(csmlCheck(['--json', 'flows'], bot).stdout) as JsonReport;
      assert.deepEqual(
        report.problems.map((problem) => `${problem.file} ${problem.severity} ${problem.code}`),
        ['flows/Latin.csml error not-utf8', 'flows/Main.csml warning missing-flow', 'flows/Picture.csml error binary-file'],
      );
    });
  });
});
