import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { FlowModel } from '../../src/csml/flowModel';
import { parseFlow } from '../../src/csml/flowParser';
import { createRandom } from '../support/random';

const PIECES = [
  'start:',
  'next:\n',
  'fn f(x):',
  'fn g(a, b) {',
  'const C = 1',
  'import {f, g as h} from B',
  'import f',
  'import x from modules/m',
  'insert s as t from B',
  'insert {s, u} from',
  'goto ',
  'goto s',
  'goto step s',
  'goto flow B',
  'goto s@B',
  'goto @B',
  'goto s@',
  'goto @',
  'goto $x@$y in $z',
  'goto end',
  'f(1)',
  'h(',
  'x.f()',
  'say "a {{ f(1) }} b"',
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
  '//',
  '/*',
  '*/',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '\uFEFF',
  '\u0000',
  '\uD835',
  '\uDC9C',
  '😀',
  'étape',
  '@',
  '$',
  ':',
  ',',
  '.',
];

function randomSource(random: (limit: number) => number): string {
  const parts: string[] = [];
  const count = Math.floor(random(80));
  for (let i = 0; i < count; i++) {
    parts.push(random(10) < 8 ? PIECES[Math.floor(random(PIECES.length))] : String.fromCharCode(Math.floor(random(0x10000))));
  }
  return parts.join('');
}

/** Every span of a model lies within the source, start before end. */
function spans(model: FlowModel): { start: number; end: number }[] {
  return [
    ...model.steps.flatMap((step) => [step, step.name]),
    ...model.functions.flatMap((fn) => [fn, fn.name, ...fn.parameters.map((p) => p)]),
    ...model.constants.flatMap((constant) => [constant, constant.name]),
    ...[...model.imports, ...model.inserts].flatMap((d) => [d, ...d.names.map((n) => n.name)]),
    ...model.gotos.flatMap((goto) => [goto, ...[goto.step, goto.flow, goto.bot].flatMap((t) => (t ? [t] : []))]),
    ...model.calls,
    ...model.strings,
    ...model.comments,
    ...model.blocks,
  ];
}

describe('parseFlow fuzz', () => {
  it('never throws or hangs, and every span lies in the source', function () {
    this.timeout(15_000);
    const random = createRandom(0xc5b0);
    const deadline = Date.now() + 1_500;
    let runs = 0;
    while ((runs < 300 || Date.now() < deadline) && runs < 100_000) {
      const sources = [randomSource(random), randomSource(random)];
      const bot = new BotModel();
      sources.forEach((source, i) => {
        const model = parseFlow(source);
        for (const span of spans(model)) {
          assert.ok(span.start >= 0 && span.start <= span.end && span.end <= source.length, `run ${runs}: ${JSON.stringify(source)}`);
        }
        for (const step of model.steps) assert.equal(source.slice(step.name.start, step.name.end), step.name.text);
        bot.set(`F${i}`, i === 0 ? 'A' : 'B', model);
      });
      // Every name asks the bot what it stands for; the answers stay in the bot.
      for (const [i, source] of sources.entries()) {
        const key = `F${i}`;
        for (let offset = 0; offset <= source.length; offset += 7) {
          const occurrence = bot.occurrenceAt(key, offset);
          for (const symbol of occurrence?.symbols ?? []) {
            for (const location of bot.references(symbol, true)) assert.ok(bot.get(location.key));
          }
        }
      }
      runs++;
    }
  });

  it('reads a binary file, a 5 MB line and a flow of 100,000 lines', () => {
    const binary = Array.from({ length: 65_536 }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join('');
    assert.ok(Array.isArray(parseFlow(binary).steps));
    const oneLine = `start: ${'say "x" '.repeat(640_000)}`;
    const wide = parseFlow(oneLine);
    assert.equal(wide.steps.length, 1);
    assert.equal(wide.steps[0].end, oneLine.length - 1);
    const long = Array.from({ length: 50_000 }, (_, i) => `s${i}:\n  goto s${i + 1}`).join('\n');
    const model = parseFlow(long);
    assert.equal(model.steps.length, 50_000);
    assert.equal(model.gotos.length, 50_000);
  });
});
