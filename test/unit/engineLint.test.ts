import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { lintFlow, lintLinks } from '../../src/csml/engineLint';
import { parseFlow } from '../../src/csml/flowParser';
import type { Problem } from '../../src/csml/problem';
import { createRandom } from '../support/random';

/** Each problem as `code severity "the text it covers"`, in source order. */
function describeAll(text: string, problems: readonly Problem[]): string[] {
  return problems.map((problem) => `${problem.code} ${problem.severity} ${JSON.stringify(text.slice(problem.start, problem.end))}`);
}

function lint(lines: readonly string[]): string[] {
  const text = lines.join('\n');
  return describeAll(text, lintFlow(text, parseFlow(text)));
}

function bot(flows: Record<string, string>): BotModel {
  const model = new BotModel();
  for (const [name, text] of Object.entries(flows)) model.set(name, name, parseFlow(text));
  return model;
}

function links(flows: Record<string, string>, flow: string, defaultFlow?: string): string[] {
  const model = bot(flows);
  const entry = model.get(flow);
  assert.ok(entry);
  return describeAll(flows[flow], lintLinks(model, entry, defaultFlow));
}

describe('lintFlow', () => {
  it('reports a step, a function, an import or an insert declared twice at each later declaration', () => {
    const text = [
      'import f from A',
      'import {g, f} from B',
      'insert s from A',
      'insert t as s from B',
      'start:',
      '  say "a"',
      'fn h(x):',
      '  return x',
      'start:',
      '  say "b"',
      'fn h(y) {',
      '  return y',
      '}',
      'start:',
      '  goto end',
    ];
    assert.deepEqual(lint(text), [
      'duplicate-import error "f"',
      'duplicate-insert error "s"',
      'duplicate-step error "start"',
      'duplicate-function error "h"',
      'duplicate-step error "start"',
    ]);
    const second = lintFlow(text.join('\n'), parseFlow(text.join('\n'))).find((problem) => problem.code === 'duplicate-step');
    assert.match(second?.message ?? '', /Step start is declared twice/);
  });

  it('lets a constant be declared twice, and a step and an insert or a function and an import share a name', () => {
    assert.deepEqual(
      lint([
        'const A = 1',
        'const A = 2',
        'insert start as other from B',
        'import f from B',
        'fn g():',
        '  return 1',
        'start:',
        '  goto end',
      ]),
      [],
    );
  });

  it('reports goto, say, remember and hold in a function, where the engine does', () => {
    const text = [
      'fn f(x):',
      '  say "hello"',
      '  if (x) {',
      '    remember seen = x',
      '  } else hold',
      '  foreach (item) in x {',
      '    goto somewhere',
      '  }',
      '  remember [x, "a as b"] as pair',
      '  hold_secure',
      '  return x',
      'fn g(x) {',
      '  while (x) { say x }',
      '  return x',
      '}',
    ];
    assert.deepEqual(lint(text), [
      'say-in-function error "\\"hello\\""',
      'remember-in-function error "seen"',
      'hold-in-function error "hold"',
      'goto-in-function error "goto"',
      'remember-in-function error "pair"',
      'say-in-function error "x"',
    ]);
    const [say] = lintFlow(text.join('\n'), parseFlow(text.join('\n')));
    assert.match(say.message, /function cannot say/);
  });

  it('reports return outside a function at the returned value, and break and continue outside a loop', () => {
    assert.deepEqual(
      lint([
        'start:',
        '  return "done"',
        '  if (x) break',
        '  foreach (item) in items {',
        '    if (item) continue',
        '    while (true) { break }',
        '  }',
        '  continue',
        'fn f(x):',
        '  break',
      ]),
      [
        'return-outside-function error "\\"done\\""',
        'break-outside-loop error "break"',
        'continue-outside-loop error "continue"',
        'break-outside-loop error "break"',
      ],
    );
  });

  it('reads the loop body after any iterable: a call, an array, an object, a string', () => {
    assert.deepEqual(
      lint([
        'start:',
        '  foreach (a) in f(x) { break }',
        '  foreach (a, i) in [1, 2] { continue }',
        '  foreach (a) in {"k": 1} { break }',
        '  foreach (a) in "abc" { break }',
        '  foreach (a) in x.y.z() { if (a) { continue } }',
        '  goto end',
      ]),
      [],
    );
  });

  it('leaves closures alone: the engine lints their body only where it looks for one', () => {
    assert.deepEqual(
      lint([
        'start:',
        '  do double = (x) { return x * 2 }',
        '  do shout = (x) {',
        '    say x',
        '    break',
        '  }',
        '  if (double(1)) say "ok"',
        '  goto end',
      ]),
      [],
    );
  });

  it('takes return and continue as statements only where a statement starts: they are no reserved words', () => {
    assert.deepEqual(
      lint([
        'return:',
        '  do x = a +',
        '    return',
        '  do y = {"continue": continue}',
        '  say [return, continue]',
        '  goto return',
        '  goto step continue',
        '  log warn return',
        '  say x.return',
        '  say "{{return}} and {{continue}}"',
        '  // return in a comment, break too',
        '  goto end',
      ]),
      [],
    );
  });

  it('reports a constant changed by do, at its name, and no other use of it', () => {
    assert.deepEqual(
      lint([
        'const LIMIT = 3',
        'start:',
        '  say LIMIT',
        '  do LIMIT = 4',
        '  do LIMIT += 1',
        '  do LIMIT == 3',
        '  do LIMIT.x = 1',
        '  do OTHER = 1',
        '  remember LIMIT2 = LIMIT',
        'fn f():',
        '  do LIMIT -= 1',
        '  return 1',
      ]),
      ['constant-changed error "LIMIT"', 'constant-changed error "LIMIT"', 'constant-changed error "LIMIT"'],
    );
  });

  it('strikes through use at the name it gives, and Object() and Fn() where the engine looks at values, as hints: the bot still runs', () => {
    assert.deepEqual(
      lint([
        'start:',
        '  use 42 as answer',
        '  say Object("a" = 1)',
        '  do x = [Fn("app")]',
        '  say "{{Fn("app")}}"',
        '  if (Fn("app")) say "no warning in a condition"',
        '  return Object("b" = 2)',
        '  x.Object(1)',
        '  goto end',
      ]),
      [
        'deprecated-use hint "answer"',
        'deprecated-object hint "Object"',
        'deprecated-fn hint "Fn"',
        'deprecated-fn hint "Fn"',
        'return-outside-function error "Object"',
      ],
    );
    const text = 'start:\n  use 42 as answer\n  goto end';
    assert.deepEqual(
      lintFlow(text, parseFlow(text)).map((problem) => problem.deprecated),
      [true],
    );
  });

  it('finds the same problems whether the parser has just read the flow or another one since', () => {
    const text = [
      'const A = 1',
      'start:',
      '  return 1',
      '  do A = 2',
      '  use 3 as b',
      'fn f(x) {',
      '  say x',
      '  foreach (i) in x { break }',
      '  continue',
      '}',
    ].join('\n');
    const model = parseFlow(text);
    const right = lintFlow(text, model);
    parseFlow('other:\n  goto end');
    const later = lintFlow(text, model);
    assert.equal(right.length, 5);
    assert.deepEqual(later, right);
  });

  it('accepts a plain flow of steps and functions', () => {
    assert.deepEqual(
      lint([
        'const GREETING = "hi"',
        'import format from Tools',
        'start:',
        '  say Question("Ready?", buttons = [Button("yes"), Button("no")])',
        '  hold',
        '  remember answer = event',
        '  if (event == "yes") {',
        '    foreach (item, index) in [1, 2, 3] {',
        '      if (item > 1) break',
        '      say "{{item}}"',
        '    }',
        '    goto next',
        '  } else if (event == "no") goto end',
        '  else {',
        '    do count = 0',
        '    while (count < 3) { do count += 1 continue }',
        '  }',
        'next:',
        '  say format(GREETING)',
        '  goto end',
        'fn total(items):',
        '  do sum = 0',
        '  foreach (item) in items { do sum += item }',
        '  if (sum > 10) return 10',
        '  return sum',
      ]),
      [],
    );
  });
});

describe('lintLinks', () => {
  const FLOWS = {
    Main: [
      'import helper from Tools',
      'import missing from Tools',
      'import nowhere',
      'import anywhere',
      'import x from modules/lib',
      'import local from Tools',
      'insert ask from Other',
      'insert gone as g from Other',
      'insert s from Ghost',
      'insert ask as start from Other',
      'start:',
      '  goto end',
      'fn local():',
      '  return 1',
    ].join('\n'),
    Tools: ['fn helper():', '  return 1', 'fn local():', '  return 2'].join('\n'),
    Other: ['start:', '  goto ask', 'ask:', '  goto end', 'fn anywhere():', '  return 3'].join('\n'),
  };

  it('reports an import that finds no function, in the flow it names or anywhere without from', () => {
    const problems = links(FLOWS, 'Main').filter((line) => line.startsWith('import'));
    assert.deepEqual(problems, ['import-not-found error "missing"', 'import-not-found error "nowhere"', 'import-conflict error "local"']);
  });

  it('reports an insert whose step or flow is missing, and one that takes the name of a step of the flow', () => {
    const problems = links(FLOWS, 'Main').filter((line) => line.startsWith('insert'));
    assert.deepEqual(problems, ['insert-not-found error "gone"', 'insert-not-found error "s"', 'insert-conflict error "start"']);
    const model = bot(FLOWS);
    const main = model.get('Main');
    assert.ok(main);
    const ghost = lintLinks(model, main).find((problem) => problem.message.includes('Ghost'));
    assert.match(ghost?.message ?? '', /no flow Ghost/);
  });

  it('reports a flow with steps but no start, unless it is the default flow or its default is unknown', () => {
    const flows = { Default: 'hello:\n  goto end', Other: 'hello:\n  goto end', Functions: 'fn f():\n  return 1' };
    assert.deepEqual(links(flows, 'Other', 'Default'), ['missing-start error ""']);
    assert.deepEqual(links(flows, 'Default', 'Default'), []);
    // The engine compares the default flow's name exactly.
    assert.deepEqual(links(flows, 'Default', 'default'), ['missing-start error ""']);
    assert.deepEqual(links(flows, 'Other'), []);
    assert.deepEqual(links(flows, 'Functions', 'Default'), []);
  });

  it('says so when an import names a flow the bot does not have, rather than a missing function', () => {
    const model = new BotModel();
    const text = 'import shout from Nope\nstart:\n  goto end';
    const entry = model.set('Main', 'Main', parseFlow(text));
    const [problem] = lintLinks(model, entry);
    assert.equal(problem.code, 'import-not-found');
    assert.match(problem.message, /no flow Nope in this bot/);
  });

  it('finds nothing to say in a bot whose links all resolve', () => {
    const flows = {
      Main: ['import {helper, local as other} from Tools', 'insert {ask, start as first} from Other', 'start:', '  goto end'].join('\n'),
      Tools: FLOWS.Tools,
      Other: FLOWS.Other,
    };
    assert.deepEqual(links(flows, 'Main', 'Main'), []);
  });
});

describe('engine lint fuzz', () => {
  const PIECES = [
    'start:',
    'next:\n',
    'fn f(x):',
    'fn g(a) {',
    'const C = 1',
    'import f from B',
    'insert s from B',
    'say "a {{ f(1) }}"',
    'say ',
    'do C = 2',
    'do x = (a) {',
    'remember y = 1',
    'use 1 as z',
    'return ',
    'break',
    'continue',
    'hold',
    'goto s',
    'foreach (a) in ',
    'while (x) ',
    'if (x) ',
    'else ',
    'Object(',
    'Fn(',
    '"',
    '{{',
    '}}',
    '{',
    '}',
    '(',
    ')',
    '[',
    ']',
    '//',
    '/*',
    '*/',
    '\n',
    '\r\n',
    ' ',
    'é',
    '\uD83D',
  ];

  it('finds nothing in valid flows however they are laid out: comments, blank lines, tabs, CRLF', () => {
    const valid = [
      'const LIMIT = 3',
      'start:',
      '  say Question("Ready?", buttons = [Button("yes"), Button("no")])',
      '  hold',
      '  foreach (item, index) in [1, 2, 3] {',
      '    if (item > LIMIT) break',
      '    do count = (x) { return x }',
      '  }',
      '  while (count < LIMIT) { do count += 1 continue }',
      '  if (event == "yes") goto next',
      '  else {',
      '    remember answer = event',
      '  }',
      'next:',
      '  goto end',
      'fn total(items) {',
      '  foreach (item) in items { if (item) { continue } }',
      '  return items',
      '}',
    ];
    const random = createRandom(7);
    for (let round = 0; round < 200; round++) {
      const lines = valid.map((line) => {
        let mutated = line;
        if (random(4) < 1) mutated = mutated.replace(/^ {2}/, '\t');
        if (random(4) < 1) mutated += ' // a note: return, break';
        if (random(6) < 1) mutated = `/* before */ ${mutated}`.replace(/^\/\* before \*\/ (\S+:)$/, '$1');
        if (random(6) < 1) mutated += '\n';
        return mutated;
      });
      const text = lines.join(random(2) < 1 ? '\n' : '\r\n');
      assert.deepEqual(describeAll(text, lintFlow(text, parseFlow(text))), [], text);
    }
  });

  it('never throws and keeps every problem within the text, whatever the text', () => {
    const random = createRandom(20261130);
    for (let round = 0; round < 400; round++) {
      let text = '';
      const count = 1 + Math.floor(random(40));
      for (let i = 0; i < count; i++) text += PIECES[Math.floor(random(PIECES.length))];
      const model = parseFlow(text);
      const problems = lintFlow(text, model);
      const flows = new BotModel();
      const entry = flows.set('F', 'F', model);
      flows.set('B', 'B', parseFlow('fn f():\n  return 1\ns:\n  goto end'));
      problems.push(...lintLinks(flows, entry, 'Main'));
      for (const problem of problems) {
        assert.ok(
          problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length,
          `${problem.code} in ${JSON.stringify(text)}`,
        );
        assert.ok(problem.message.length > 0);
      }
    }
  });
});
