import * as assert from 'node:assert/strict';
import { BotChecks } from '../../src/csml/botChecks';
import { BotModel } from '../../src/csml/botModel';
import { checkFlow, reachedSteps } from '../../src/csml/checks';
import { lintLinks } from '../../src/csml/engineLint';
import { parseFlow } from '../../src/csml/flowParser';
import type { Problem } from '../../src/csml/problem';
import { checkSource } from '../../src/csml/sourceChecks';
import { createRandom } from '../support/random';

/** A bot and its checks, with what has been published so far, as an editor would show it. */
class Harness {
  readonly bot = new BotModel();
  readonly checks = new BotChecks(this.bot);
  readonly shown = new Map<string, readonly Problem[]>();
  readonly texts = new Map<string, string>();
  lastChanged: string[] = [];

  /** Sets a flow; a key `folder/Name` gives flows of one name in two folders. */
  set(key: string, text: string): void {
    this.texts.set(key, text);
    this.checks.flowSet(this.bot.set(key, key.slice(key.lastIndexOf('/') + 1), parseFlow(text)), text);
  }

  delete(key: string): void {
    this.texts.delete(key);
    this.bot.delete(key);
    this.checks.flowDeleted(key);
  }

  publish(changed: Map<string, readonly Problem[]>): void {
    this.lastChanged = [...changed.keys()].sort();
    for (const [key, problems] of changed) {
      if (problems.length > 0) this.shown.set(key, problems);
      else this.shown.delete(key);
    }
  }

  recheck(): void {
    this.publish(this.checks.recheck());
  }

  /**
   * Each flow's problems as a check of the whole bot from scratch finds them: a flow that does not parse shows its
   * syntax error alone, and an import or insert is not called failed while the flow it names (or, without `from`,
   * any flow) does not parse.
   */
  expected(): Map<string, string[]> {
    const reached = reachedSteps(this.bot);
    const parses = new Map<string, boolean>();
    for (const flow of this.bot.all()) parses.set(flow.key, checkSource(this.texts.get(flow.key) ?? '', flow.model).parses);
    const anyUnparsed = [...parses.values()].includes(false);
    const all = new Map<string, string[]>();
    for (const flow of this.bot.all()) {
      const source = checkSource(this.texts.get(flow.key) ?? '', flow.model);
      const links = lintLinks(this.bot, flow, this.bot.defaultFlow).filter((problem) => {
        if (problem.code !== 'import-not-found' && problem.code !== 'insert-not-found') return true;
        const declaration = [...flow.model.imports, ...flow.model.inserts].find((d) => d.start <= problem.start && problem.start < d.end);
        if (!declaration?.from) return !anyUnparsed;
        return !this.bot.flowsNamed(declaration.from.name.text).some((named) => parses.get(named.key) === false);
      });
      const problems = source.parses ? [...source.problems, ...checkFlow(this.bot, flow, reached), ...links] : source.problems;
      if (problems.length > 0) all.set(flow.key, problems.map(brief).sort());
    }
    return all;
  }

  actual(): Map<string, string[]> {
    return new Map([...this.shown].map(([key, problems]) => [key, problems.map(brief).sort()]));
  }
}

function brief(problem: Problem): string {
  return `${problem.code}@${problem.start}-${problem.end}`;
}

describe('BotChecks', () => {
  it('publishes every flow with problems at the first check, and nothing for clean flows', async () => {
    const harness = new Harness();
    harness.set('Main', 'start:\n  goto ask\nask:\n  goto nowhere\n  goto start@Other');
    harness.set('Other', 'start:\n  goto end\nlonely:\n  hold');
    harness.set('Clean', 'start:\n  goto start@Main');
    harness.publish(await harness.checks.recheckInSlices());
    assert.deepEqual(harness.actual(), harness.expected());
    assert.deepEqual([...harness.shown.keys()].sort(), ['Main', 'Other']);
    assert.equal(harness.checks.pending, false);
  });

  it('after an edit that keeps the steps, checks the edited flow alone', () => {
    const harness = new Harness();
    harness.set('Main', 'start:\n  goto start@Other');
    harness.set('Other', 'start:\n  goto start@Main');
    harness.recheck();
    harness.set('Main', 'start:\n  say "hi"\n  goto start@Other\n  goto nowhere');
    harness.recheck();
    assert.deepEqual(harness.lastChanged, ['Main']);
    assert.deepEqual(harness.actual(), harness.expected());
  });

  it('when a step appears or goes, checks the flows that name its flow again, and clears what it mends', () => {
    const harness = new Harness();
    harness.set('Main', 'start:\n  goto ask@Other');
    harness.set('Other', 'start:\n  goto end');
    harness.recheck();
    assert.deepEqual(
      harness.shown.get('Main')?.map((problem) => problem.code),
      ['missing-step'],
    );
    harness.set('Other', 'start:\n  goto end\nask:\n  hold');
    harness.recheck();
    assert.equal(harness.shown.has('Main'), false);
    assert.deepEqual(harness.actual(), harness.expected());
    harness.delete('Other');
    harness.recheck();
    assert.deepEqual(
      harness.shown.get('Main')?.map((problem) => problem.code),
      ['missing-flow'],
    );
  });

  it('follows a goto into a flow that inserts the step, and checks it again when the inserted step goes', () => {
    const harness = new Harness();
    harness.set('Main', 'start:\n  goto two@Other');
    harness.set('Other', 'insert two from Lib\nstart:\n  goto end');
    harness.set('Lib', 'start:\n  goto end\ntwo:\n  hold');
    harness.recheck();
    // The engine does not find, from Main, a step Other inserts: said as such until the step is gone altogether.
    assert.deepEqual(
      harness.shown.get('Main')?.map((problem) => problem.code),
      ['inserted-step-elsewhere'],
    );
    harness.set('Lib', 'start:\n  goto end');
    harness.recheck();
    assert.deepEqual(
      harness.shown.get('Main')?.map((problem) => problem.code),
      ['missing-step'],
    );
    assert.deepEqual(harness.actual(), harness.expected());
  });

  it('clears the problems of a flow deleted and set again, clean, before the next check', () => {
    const harness = new Harness();
    harness.set('Main', 'start:\n  goto nowhere');
    harness.recheck();
    assert.equal(harness.shown.has('Main'), true);
    harness.delete('Main');
    harness.set('Main', 'start:\n  goto end');
    harness.recheck();
    assert.equal(harness.shown.has('Main'), false);
  });

  it('shows the unreachable hints again once the last dynamic goto is gone', () => {
    const harness = new Harness();
    harness.set('Main', 'start:\n  goto $next\nlonely:\n  hold');
    harness.recheck();
    assert.equal(harness.shown.size, 0);
    harness.set('Main', 'start:\n  goto end\nlonely:\n  hold');
    harness.recheck();
    assert.deepEqual(
      harness.shown.get('Main')?.map((problem) => problem.code),
      ['unreachable-step'],
    );
  });

  it('shows the syntax error alone of a flow that does not parse, and calls no import from it failed until it parses', () => {
    const harness = new Harness();
    harness.bot.defaultFlow = 'Main';
    harness.set('Main', 'import shout from Lib\nstart:\n  say shout("hi")');
    harness.set('Lib', 'start:\n  say "unclosed\n  goto nowhere\nlonely:\n  hold\nfn shout(x):\n  return x');
    harness.recheck();
    assert.deepEqual(
      harness.shown.get('Lib')?.map((problem) => `${problem.code} ${problem.severity}`),
      ['syntax error'],
    );
    assert.equal(harness.shown.has('Main'), false);
    harness.set('Lib', 'start:\n  say "closed"\n  goto end');
    harness.recheck();
    assert.deepEqual(
      harness.shown.get('Main')?.map((problem) => problem.code),
      ['import-not-found'],
    );
    assert.equal(harness.shown.has('Lib'), false);
  });

  it('never throws on random text, and places every problem inside its flow', () => {
    const random = createRandom(0xf022);
    const pieces = [
      'start:',
      'goto ',
      'fn f(x):',
      'import ',
      'insert ',
      ' from ',
      '@',
      '{',
      '}',
      '(',
      ')',
      '"',
      '{{',
      '}}',
      '\n',
      ' ',
      'x',
      'é',
      '😀',
      '//',
      '/*',
      '*/',
      'return',
      'break',
      'say',
      'hold',
      '$',
      'as',
      ',',
      ':',
      '\r\n',
      '\t',
    ];
    const harness = new Harness();
    for (let round = 0; round < 300; round++) {
      const name = ['A', 'B', 'C'][Math.floor(random(3))];
      let text = '';
      for (let i = Math.floor(random(60)); i > 0; i--) text += pieces[Math.floor(random(pieces.length))];
      harness.set(name, text);
      harness.recheck();
      for (const [key, problems] of harness.shown) {
        const length = harness.texts.get(key)?.length ?? 0;
        for (const problem of problems)
          assert.ok(0 <= problem.start && problem.start <= problem.end && problem.end <= length, `${key}: ${JSON.stringify(problem)}`);
      }
    }
  });

  it('agrees with a check of the whole bot after every one of a long random run of edits', () => {
    const random = createRandom(0x0b07_c4ec);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random(items.length))];
    const flows = ['Main', 'Other', 'main', 'Lib', 'Extra'];
    const steps = ['start', 'ask', 'done', 'help'];
    const statement = (): string => {
      switch (Math.floor(random(7))) {
        case 0:
          return `goto ${pick(steps)}`;
        case 1:
          return `goto ${pick(steps)}@${pick(flows)}`;
        case 2:
          return `goto flow ${pick(flows)}`;
        case 3:
          return random(4) < 1 ? 'goto $next' : 'goto end';
        case 4:
          return random(2) < 1 ? 'goto borrowed' : `goto borrowed@${pick(flows)}`;
        case 5:
          // Now and then a flow the engine does not parse.
          return random(4) < 1 ? 'say "unclosed' : 'say "x"';
        default:
          return 'say "hello"';
      }
    };
    const declaration = (): string => {
      switch (Math.floor(random(3))) {
        case 0:
          return `insert ${pick(steps)} as borrowed from ${pick(flows)}`;
        case 1:
          return `import helper from ${pick(flows)}`;
        default:
          return 'import helper';
      }
    };
    const harness = new Harness();
    harness.bot.defaultFlow = 'Main';
    // Flows of one name in two folders, and names that differ only in case.
    const keys = ['a/Main', 'a/Other', 'b/Other', 'a/main', 'a/Lib', 'b/Lib', 'a/Extra'];
    for (let edit = 0; edit < 600; edit++) {
      const flow = pick(keys);
      if (random(6) < 1) harness.delete(flow);
      else {
        const lines: string[] = [];
        if (random(2) < 1) lines.push(declaration());
        for (const step of steps) {
          if (random(3) < 1) continue;
          lines.push(`${step}:`);
          for (let i = Math.floor(random(3)); i >= 0; i--) lines.push(`  ${statement()}`);
        }
        if (random(2) < 1) lines.push('fn helper(x):', '  return x');
        harness.set(flow, lines.join('\n'));
      }
      if (random(3) < 1) continue; // several edits before a check, as a save of many files brings them
      harness.recheck();
      assert.deepEqual(harness.actual(), harness.expected(), `after edit ${edit}`);
    }
  });
});
