import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FlowModel, Goto } from '../../src/csml/flowModel';
import { parseFlow } from '../../src/csml/flowParser';

/** The source text of a span. */
const at = (source: string) => (span: { start: number; end: number }) => source.slice(span.start, span.end);

function gotoShape(source: string, goto: Goto): string {
  const text = at(source);
  const part = (target: Goto['step']) => (target ? `${target.dynamic ? 'dyn:' : ''}${text(target)}` : '-');
  return `${part(goto.step)}|${goto.namesFlow ? part(goto.flow) : 'x'}|${part(goto.bot)}`;
}

describe('parseFlow', () => {
  const source = [
    '// Decoys: goto hidden, insert x from Y, say_hi:',
    'import { add, sub as minus } from Maths',
    'import greet',
    'import helper from modules/tools',
    'insert ask_email as email from Common',
    'insert { a, b as c } from Shared',
    'const MAX = 3',
    'start:',
    '  say "Hello {{ add(1, 2) }}, goto nowhere, step:"',
    '  remember order = {"size": "medium", "next:": 1}',
    '  if (event.match("yes")) { goto next } else { goto step other }',
    '  goto ask@Billing',
    '  goto @Billing',
    '  goto flow Billing',
    '  goto $dest@$vars.flow in $bot',
    '  goto s@F in other_bot',
    '  goto end',
    '  goto s@',
    '  do minus(3, 1)',
    'next:',
    '  /* goto inside:',
    '  a comment */',
    '  goto email',
    'fn twice(x, y):',
    '  return x * 2',
    'fn block(a) {',
    '  return a',
    '}',
    'other:',
    '  goto start',
  ].join('\n');
  let model: FlowModel;
  before(() => (model = parseFlow(source)));

  it('reads steps, functions and constants with the span of their names', () => {
    assert.deepEqual(
      model.steps.map((step) => at(source)(step.name)),
      ['start', 'next', 'other'],
    );
    assert.deepEqual(
      model.functions.map((fn) => [fn.name.text, fn.parameters.map((p) => p.text)]),
      [
        ['twice', ['x', 'y']],
        ['block', ['a']],
      ],
    );
    assert.deepEqual(
      model.constants.map((constant) => constant.name.text),
      ['MAX'],
    );
  });

  it('ends a step where the next top-level item starts', () => {
    const next = model.steps[1];
    assert.ok(at(source)(next).startsWith('next:'));
    assert.ok(at(source)(next).endsWith('goto email'));
  });

  it('reads every form of import and insert', () => {
    const shape = (d: FlowModel['imports'][number]) =>
      `${d.names.map((n) => (n.alias ? `${n.name.text} as ${n.alias.text}` : n.name.text)).join(',')} <- ${d.from ? `${d.from.kind}:${d.from.name.text}` : 'bot'}`;
    assert.deepEqual(model.imports.map(shape), ['add,sub as minus <- flow:Maths', 'greet <- bot', 'helper <- module:tools']);
    assert.deepEqual(model.inserts.map(shape), ['ask_email as email <- flow:Common', 'a,b as c <- flow:Shared']);
  });

  it('reads every form of goto, and no goto in strings or comments', () => {
    assert.deepEqual(
      model.gotos.map((goto) => gotoShape(source, goto)),
      [
        'next|x|-',
        'other|x|-',
        'ask|Billing|-',
        '-|Billing|-',
        '-|Billing|-',
        'dyn:$dest|dyn:$vars.flow|dyn:$bot',
        's|F|other_bot',
        'end|x|-',
        's|-|-',
        'email|x|-',
        'start|x|-',
      ],
    );
  });

  it('reads calls, also inside interpolation, but not methods or keywords', () => {
    assert.deepEqual(
      model.calls.map((call) => call.text),
      ['add', 'minus'],
    );
  });

  it('sets strings and comments apart', () => {
    assert.equal(model.comments.length, 2);
    assert.ok([...model.strings].some((span) => at(source)(span).includes('goto nowhere')));
  });

  it('takes no label from object keys, strings, paths, reserved words or numbers', () => {
    const decoys = parseFlow(['start:', '  do x = {', 'hidden: 1', '  }', 'say:', '123:', 'a.b:', '  "quoted": 1', 'real:'].join('\n'));
    assert.deepEqual(
      decoys.steps.map((step) => step.name.text),
      ['start', 'real'],
    );
  });

  it('reads the grammar fixtures’ steps as the engine does, \\"…\\" strings inside {{ }} included', () => {
    const fixture = (name: string) => path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'grammar', `${name}.csml`);
    const steps = (name: string) => parseFlow(fs.readFileSync(fixture(name), 'utf8')).steps.map((step) => step.name.text);
    assert.deepEqual(steps('constructs'), ['start', 'checkout', 'thanks']);
    assert.deepEqual(steps('decoys'), ['start', 'next']);
  });

  it('reads half-typed code without throwing, and never lets a line’s end take the next line’s label', () => {
    for (const text of [
      'goto',
      'goto @',
      'import {',
      'insert a from',
      'fn f(',
      'const',
      'start:\n  goto s@',
      '"unterminated {{ x',
      '/* open',
    ]) {
      assert.doesNotThrow(() => parseFlow(text), text);
    }
    assert.equal(parseFlow('start:\n  goto').gotos.length, 1);
    for (const typing of ['goto', 'goto step', 'goto s in', 'import', 'insert a from', 'insert { a, b } from']) {
      const parsed = parseFlow(`start:\n  ${typing}\nnext:\n  say "x"`);
      assert.deepEqual(
        parsed.steps.map((step) => step.name.text),
        ['start', 'next'],
        typing,
      );
    }
  });

  it('reads CRLF, a byte order mark and tabs', () => {
    const parsed = parseFlow('\uFEFFstart:\r\n\tgoto next\r\nnext:\r\n\tsay "x"');
    assert.deepEqual(
      parsed.steps.map((step) => step.name.text),
      ['start', 'next'],
    );
    assert.equal(parsed.gotos[0].step?.text, 'next');
  });
});
