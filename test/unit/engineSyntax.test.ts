import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syntaxProblem } from '../../src/csml/engineSyntax';
import { EngineGrammar } from '../../src/csml/syntax/engineGrammar';
import { tokenize } from '../../src/csml/tokens';
import { createRandom } from '../support/random';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const fixture = (...parts: string[]) => fs.readFileSync(path.join(FIXTURES, ...parts), 'utf8');

/** The engine's position: its line, and its column counted in UTF-8 bytes from 1. */
function engineLineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return `${before.split('\n').length}:${Buffer.byteLength(before.slice(lineStart)) + 1}`;
}

interface Case {
  readonly name: string;
  readonly flow: string;
  /** Where the CSML engine's parser reports the error. */
  readonly at: string;
  readonly code: string;
  /** A piece of the message, which says what the engine says. */
  readonly says: string;
}

// Each position is the one the CSML engine's parser gives for the same flow.
const ERRORS: Case[] = [
  { name: 'an unknown statement', flow: 'start:\n  say "hi"\n  foo bar\n', at: '3:3', code: 'syntax', says: 'cannot read `foo`' },
  { name: 'a label without its colon', flow: 'start\n  say "hi"\n', at: '1:1', code: 'syntax', says: 'cannot read `start`' },
  {
    name: 'a reserved word as a step name',
    flow: 'start:\n  say 1\nevent:\n  say 2\n',
    at: '3:1',
    code: 'reserved-name',
    says: '`event` is a reserved word',
  },
  {
    name: 'a label that starts with `if`',
    flow: 'start:\n  say "a"\nifNotOk:\n  say "b"\n',
    at: '3:3',
    code: 'syntax',
    says: '`ifNotOk` starts with `if`',
  },
  {
    name: 'a label that starts with `while`',
    flow: 'start:\n  say "a"\nwhileLoop:\n  say "b"\n',
    at: '3:6',
    code: 'syntax',
    says: '`whileLoop` starts with `while`',
  },
  {
    name: 'a label `elseif` after an if',
    flow: 'start:\n  if (a) say 1\nelseif:\n  say 2\n',
    at: '3:7',
    code: 'syntax',
    says: 'starts with `else if`',
  },
  { name: 'say without a value', flow: 'start:\n  say\n', at: '2:6', code: 'syntax', says: 'valid value after this keyword' },
  { name: 'an unclosed object', flow: 'start:\n  say {"a": 1\n', at: '2:6', code: 'syntax', says: 'valid value after this keyword' },
  {
    name: 'an object key without its colon',
    flow: 'start:\n  say {"a" 1}\n',
    at: '2:12',
    code: 'syntax',
    says: 'expects `:` after an object key',
  },
  { name: 'an empty object key', flow: 'start:\n  say {"": 1}\n', at: '2:8', code: 'syntax', says: 'non-empty quoted string' },
  { name: 'an unclosed list', flow: 'start:\n  say [1, 2\n', at: '2:7', code: 'syntax', says: 'expects `]`' },
  { name: 'an unclosed call', flow: 'start:\n  say Button("a"\n', at: '2:13', code: 'syntax', says: '`)` to end the list' },
  { name: 'an unclosed string', flow: 'start:\n  say "hello\n', at: '2:7', code: 'syntax', says: 'missing `"`' },
  {
    name: 'an unclosed string in a block',
    flow: 'start:\n  if (x) {\n    say "hello\n  }\n',
    at: '2:9',
    code: 'syntax',
    says: 'missing `"`',
  },
  { name: 'a stray }} in a string', flow: 'start:\n  say "a }} b"\n', at: '2:7', code: 'syntax', says: 'no partner' },
  { name: 'an unclosed {{ in a string', flow: 'start:\n  say "a {{ b"\n', at: '2:7', code: 'syntax', says: 'no partner' },
  { name: 'two expressions in {{ }}', flow: 'start:\n  say "{{ a b }}"\n', at: '2:7', code: 'syntax', says: 'single expression' },
  { name: 'an unclosed block', flow: 'start:\n  if (x) {\n    say 1\n', at: '2:9', code: 'syntax', says: 'expects `}`' },
  { name: 'an if without parentheses', flow: 'start:\n  if x say 1\n', at: '2:5', code: 'syntax', says: 'expects `(`' },
  { name: 'an unclosed condition', flow: 'start:\n  if (x say 1\n', at: '2:9', code: 'syntax', says: '`)` to end the list' },
  { name: 'a goto without target', flow: 'start:\n  goto "x"\n', at: '2:8', code: 'syntax', says: '`goto` needs a step or flow name' },
  { name: 'a goto to a reserved word', flow: 'start:\n  goto if\n', at: '2:8', code: 'syntax', says: '`goto` needs a step or flow name' },
  { name: 'remember without =', flow: 'start:\n  remember x\n', at: '3:1', code: 'syntax', says: '`remember key = value`' },
  { name: 'use without as', flow: 'start:\n  use x\n', at: '3:1', code: 'syntax', says: '`use value as key`' },
  { name: 'return without value', flow: 'fn f():\n  return\n', at: '2:9', code: 'syntax', says: '`return` expects a value' },
  { name: 'insert without from', flow: 'insert s\nstart:\n  say 1\n', at: '2:6', code: 'syntax', says: 'expects `from`' },
  {
    name: 'an import of a string',
    flow: 'import "f" from X\nstart:\n  say 1\n',
    at: '1:8',
    code: 'syntax',
    says: '`import` expects a function name',
  },
  { name: 'an import of a number', flow: 'import 1 from X\nstart:\n  say 1\n', at: '1:8', code: 'number-as-name', says: 'number' },
  { name: 'a foreach without in', flow: 'start:\n  foreach (x) of xs {\n  }\n', at: '2:17', code: 'syntax', says: 'expects `in`' },
  {
    name: 'a foreach without (',
    flow: 'start:\n  foreach x in xs {\n  }\n',
    at: '2:11',
    code: 'syntax',
    says: 'expects `(` after `foreach`',
  },
  { name: 'a while without )', flow: 'start:\n  while (x {\n  }\n', at: '2:12', code: 'syntax', says: 'expects `)` after the condition' },
  {
    name: 'a function without colon',
    flow: 'fn f(a) say a\nstart:\n  say 1\n',
    at: '1:1',
    code: 'syntax',
    says: 'cannot read this function declaration',
  },
  {
    name: 'a space before a function’s (',
    flow: 'fn f (a):\n  return a\n',
    at: '1:1',
    code: 'syntax',
    says: 'cannot read this function declaration',
  },
  { name: 'an unclosed function block', flow: 'fn f(a) {\n  return a\n', at: '3:1', code: 'syntax', says: 'expects `}`' },
  { name: 'as with a reserved name', flow: 'start:\n  say 1 as event\n', at: '2:12', code: 'reserved-name', says: 'reserved word' },
  { name: 'as without a name', flow: 'start:\n  say 1 as "x"\n', at: '2:12', code: 'syntax', says: 'name after `as`' },
  { name: 'a reserved word assigned', flow: 'start:\n  do goto = 1\n', at: '2:6', code: 'reserved-name', says: 'reserved word' },
  { name: 'a name over 255 bytes', flow: `start:\n  say ${'é'.repeat(130)}\n`, at: '2:7', code: 'name-too-long', says: '255 bytes' },
  { name: 'an unclosed forget list', flow: 'start:\n  forget [a, b\n', at: '3:1', code: 'syntax', says: 'expects `]`' },
  { name: 'an unclosed closure', flow: 'start:\n  do f = (a) { return a\n', at: '3:1', code: 'syntax', says: 'expects `}`' },
  { name: 'a chained comparison', flow: 'start:\n  say a == b == c\n', at: '2:14', code: 'syntax', says: 'cannot read `==`' },
  { name: 'a name that starts with true', flow: 'start:\n  say true_value\n', at: '2:11', code: 'syntax', says: 'cannot read `_value`' },
  { name: 'a column counted in bytes', flow: 'start:\n  say "é" foo\n', at: '2:12', code: 'syntax', says: 'cannot read `foo`' },
  {
    name: 'an error after an unclosed block comment',
    flow: 'start:\n  say (1 /* never closed\n',
    at: '1:1',
    code: 'syntax',
    says: 'the `/*` on line 2 is never closed',
  },
  {
    name: 'a constant set from a variable',
    flow: 'const A = x\nstart:\n  say A\n',
    at: '1:11',
    code: 'constant-value',
    says: 'literal value',
  },
  {
    name: 'a constant with {{ }}',
    flow: 'const A = "{{ x }}"\nstart:\n  say A\n',
    at: '1:12',
    code: 'constant-value',
    says: 'literal value',
  },
  { name: 'a constant with match', flow: 'const A = 1 match 2\nstart:\n  say A\n', at: '1:11', code: 'constant-value', says: '`match`' },
  { name: 'an engine sample with an error', flow: fixture('grammar', 'refused.csml'), at: '3:18', code: 'syntax', says: '`remember`' },
];

// Each of these is read by the CSML engine without error.
const VALID: [string, string][] = [
  ['an empty flow', ''],
  ['comments only', '// nothing\n/* here */\n'],
  ['an unclosed block comment at the end', 'start:\n  say 1\n/* the rest'],
  ['CRLF line ends', 'start:\r\n  say "a"\r\n  goto end\r\n'],
  ['a label after a statement on its line', 'start: say 1 next: say 2'],
  ['`Component` as a name', 'start:\n  say Component.Button("x")\n'],
  ['`fn` and `fnord` as step names', 'fn:\n  say 1\nfnord:\n  say 2\n'],
  ['`elsewhere` as a label after an if', 'start:\n  if (a) say 1\nelsewhere:\n  say 2\n'],
  ['a number-like word as an assigned name', 'start:\n  do 2fa = 1\n'],
  ['string escapes', 'start:\n  say "a \\" b \\\\ c \\{{ d \\}}"\n'],
  ['a constant of literals', 'const A = {"a": [1, -2.5, "x", null, true], "b": -(1 + 2)}\nconst B = !x\nstart:\n  say A\n'],
];

describe('syntaxProblem', () => {
  for (const { name, flow, at, code, says } of ERRORS) {
    it(`reports ${name} where the CSML engine does`, () => {
      const problem = syntaxProblem(flow);
      assert.ok(problem, 'a problem');
      assert.equal(engineLineColumn(flow, problem.start), at);
      assert.equal(problem.code, code);
      assert.equal(problem.severity, 'error');
      assert.ok(problem.message.includes(says), problem.message);
      assert.ok(problem.start <= problem.end && problem.end <= flow.length);
    });
  }

  it('points at the word where the engine stops', () => {
    const flow = 'start:\n  say "hi"\n  foo bar\n';
    const problem = syntaxProblem(flow);
    assert.equal(flow.slice(problem?.start, problem?.end), 'foo');
  });

  it('names the line where the engine stopped when it reports the enclosing construct', () => {
    const flow = 'start:\n  if (x) {\n    say Button(\n  }\n';
    const problem = syntaxProblem(flow);
    assert.equal(engineLineColumn(flow, problem?.start ?? -1), '2:9');
    assert.ok(problem?.message.includes('stopped reading on line 3'), problem?.message);
  });

  it('names the line where an unclosed string starts', () => {
    const flow = 'start:\n  if (x) {\n    say 1\n    say "hello\n  }\n';
    const problem = syntaxProblem(flow);
    assert.equal(engineLineColumn(flow, problem?.start ?? -1), '2:9');
    assert.ok(problem?.message.includes('The string starts on line 4'), problem?.message);
  });

  for (const [name, flow] of VALID) {
    it(`accepts ${name}`, () => assert.equal(syntaxProblem(flow), undefined));
  }

  it('skips a byte order mark, which the editor never shows', () => {
    assert.equal(syntaxProblem('\uFEFFstart:\n  say 1\n'), undefined);
  });

  it('accepts every construct of the language', () => {
    assert.equal(syntaxProblem(fixture('engine-syntax', 'everything.csml')), undefined);
  });

  it('accepts the sample bot and the grammar fixtures the engine accepts', () => {
    for (const flow of ['Default', 'Onboarding', 'OrderPizza']) {
      assert.equal(syntaxProblem(fixture('sample-bot', 'flows', `${flow}.csml`)), undefined, flow);
    }
    for (const name of ['constructs', 'decoys']) assert.equal(syntaxProblem(fixture('grammar', `${name}.csml`)), undefined, name);
  });
});

const VALID_SEEDS = () => [
  fixture('engine-syntax', 'everything.csml'),
  fixture('sample-bot', 'flows', 'Default.csml'),
  fixture('sample-bot', 'flows', 'Onboarding.csml'),
  fixture('sample-bot', 'flows', 'OrderPizza.csml'),
  fixture('grammar', 'constructs.csml'),
];

const IGNORABLE = [' ', '\t', '\n', '\r\n', '/* note */', '// note\n', '/* two\nlines */'];
const NOISE = [
  '"',
  '\\"',
  '{{',
  '}}',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  ':',
  '=',
  '/*',
  '//',
  '\n',
  'if',
  'say ',
  'é',
  '😀',
  '\uD835',
  '@',
  '$',
  '.',
  'as ',
];

/** Spaces and comments added where the engine already reads a space: outside strings and comments. */
function insertIgnorable(text: string, random: (limit: number) => number, count: number): string {
  const { strings, comments } = tokenize(text);
  const inside = new Uint8Array(text.length + 1);
  for (const spans of [strings, comments]) for (const span of spans) inside.fill(1, span.start + 1, span.end);
  const spots: number[] = [];
  for (let i = 1; i <= text.length; i++) {
    const c = text[i - 1];
    if ((c === ' ' || c === '\t' || c === '\n') && inside[i] === 0 && inside[i - 1] === 0) spots.push(i);
  }
  const chosen = new Set<number>();
  for (let k = 0; k < count && spots.length > 0; k++) chosen.add(spots[Math.floor(random(spots.length))]);
  let out = '';
  let last = 0;
  for (const spot of [...chosen].sort((a, b) => a - b)) {
    out += text.slice(last, spot) + IGNORABLE[Math.floor(random(IGNORABLE.length))];
    last = spot;
  }
  return out + text.slice(last);
}

function mutate(text: string, random: (limit: number) => number): string {
  let out = text;
  for (let k = 1 + Math.floor(random(3)); k > 0; k--) {
    const at = Math.floor(random(out.length + 1));
    const choice = random(3);
    if (choice < 1) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random(5)));
    else if (choice < 2) out = out.slice(0, at) + NOISE[Math.floor(random(NOISE.length))] + out.slice(at);
    else out = out.slice(0, at) + out.slice(Math.floor(random(out.length)), Math.floor(random(out.length))) + out.slice(at);
  }
  return out;
}

describe('syntaxProblem fuzz', () => {
  it('never throws, and every problem lies within the text', () => {
    const random = createRandom(0x5e7a);
    const seeds = VALID_SEEDS();
    // The recognizer itself, which syntaxProblem guards against the unforeseen: it must not need it.
    const grammar = new EngineGrammar();
    for (let run = 0; run < 300; run++) {
      const text = mutate(seeds[run % seeds.length], random);
      assert.doesNotThrow(() => grammar.parseFlow(text), `run ${run}: ${JSON.stringify(text)}`);
      const problem = syntaxProblem(text);
      if (problem === undefined) continue;
      assert.ok(problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length, `run ${run}: ${JSON.stringify(text)}`);
      assert.ok(problem.message.length > 0);
    }
  });

  it('keeps valid flows valid when spaces and comments are added where the engine ignores them', () => {
    const random = createRandom(0x1d1e);
    const seeds = VALID_SEEDS();
    for (let run = 0; run < 150; run++) {
      const text = insertIgnorable(seeds[run % seeds.length], random, 1 + Math.floor(random(8)));
      assert.equal(syntaxProblem(text), undefined, `run ${run}: ${JSON.stringify(text)}`);
    }
  });

  it('answers deep nesting, long lines and binary text without throwing', () => {
    const texts = [
      `start:\n  say ${'('.repeat(20_000)}`,
      `start:\n  say ${'['.repeat(20_000)}x${']'.repeat(20_000)}`,
      `start:\n  do ${'x.f((a) { do x.f('.repeat(40)}1${') })'.repeat(40)}`,
      `start:\n  say "${'{{ a }} \\}} '.repeat(2_000)}"`,
      `start:\n  if (a) say 1 ${'else if (a) say 1 '.repeat(2_000)}`,
      Array.from({ length: 20_000 }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join(''),
    ];
    for (const text of texts) {
      const problem = syntaxProblem(text);
      if (problem) assert.ok(problem.start >= 0 && problem.end <= text.length);
    }
  });
});
