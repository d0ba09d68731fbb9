import * as assert from 'node:assert/strict';
import { BotModel, CsmlSymbol, Location } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { asciiLower } from '../../src/csml/names';
import { createRandom } from '../support/random';

const FLOWS: Record<string, string> = {
  Main: [
    'import { double, half as halve } from Maths',
    'import shout',
    'insert ask_email as email from Common',
    'start:',
    '  say "{{ double(2) }} {{ halve(4) }} {{ local(1) }}"',
    '  goto ask_name',
    'ask_name:',
    '  goto email',
    '  goto confirm@Common',
    '  goto @Common',
    '  goto flow common',
    '  goto step ask_name',
    '  goto end',
    '  goto $next',
    '  goto confirm@Common in OtherBot',
    'fn local(x):',
    '  return shout(x)',
  ].join('\n'),
  Common: ['start:', '  goto ask_email', 'ask_email:', '  hold', 'confirm:', '  goto ask_email', 'fn shout(x):', '  return x'].join('\n'),
  Maths: ['fn double(x):', '  return x * 2', 'fn half(x):', '  return x / 2'].join('\n'),
};

function bot(): BotModel {
  const model = new BotModel();
  for (const [name, text] of Object.entries(FLOWS)) model.set(name, name, parseFlow(text));
  return model;
}

/** The offset of the `nth` occurrence of `text` in a flow, plus `shift`. */
function offsetOf(flow: string, text: string, nth = 0, shift = 0): number {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = FLOWS[flow].indexOf(text, index + 1);
  assert.ok(index >= 0, `${text} not in ${flow}`);
  return index + shift;
}

/** Each location as `Flow:line-text-at-span`. */
function show(locations: readonly Location[]): string[] {
  return locations.map(
    ({ key, span }) => `${key}:${FLOWS[key].slice(span.start, span.end)}@${FLOWS[key].slice(0, span.start).split('\n').length}`,
  );
}

function symbolsAt(model: BotModel, flow: string, text: string, nth = 0, shift = 1): readonly CsmlSymbol[] {
  return model.occurrenceAt(flow, offsetOf(flow, text, nth, shift))?.symbols ?? [];
}

describe('BotModel', () => {
  it("keeps its name and function indices right, in the bot's order, through a random run of sets and deletes", () => {
    const random = createRandom(0x1d3c5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random(items.length))];
    const bot = new BotModel();
    const keys = ['a/Main', 'b/Main', 'c/main', 'd/Lib', 'e/Other'];
    for (let step = 0; step < 300; step++) {
      // Ask first, so the indices exist and must follow the changes rather than be rebuilt.
      bot.flowsNamed('Main');
      bot.gotoFlows('MAIN');
      bot.occurrences(bot.get('a/Main') ?? bot.set('a/Main', 'Main', parseFlow('start:\n  say "x"')));
      const key = pick(keys);
      if (random(4) < 1) bot.delete(key);
      else {
        const functions = ['f', 'g', 'h'].filter(() => random(2) < 1);
        bot.set(key, key.slice(2), parseFlow(['start:', '  goto end', ...functions.map((fn) => `fn ${fn}(x):\n  return x`)].join('\n')));
      }
      const all = [...bot.all()];
      for (const name of ['Main', 'main', 'Lib', 'Other']) {
        assert.deepEqual(
          bot.flowsNamed(name),
          all.filter((flow) => flow.name === name),
          `flowsNamed ${name} after ${step}`,
        );
        const exact = all.filter((flow) => flow.name === name);
        const expected = exact.length > 0 ? exact : all.filter((flow) => asciiLower(flow.name) === asciiLower(name));
        assert.deepEqual(bot.gotoFlows(name), expected, `gotoFlows ${name} after ${step}`);
      }
    }
  });

  it('goes from a goto to the step, in the same flow and across flows', () => {
    const model = bot();
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'goto ask_name', 0, 6))), ['Main:ask_name@7']);
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'confirm@Common'))), ['Common:confirm@5']);
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'goto step ask_name', 0, 11))), ['Main:ask_name@7']);
  });

  it('goes from a flow name to the flow, a goto’s case-insensitively, an import’s exactly', () => {
    const model = bot();
    const flowOf = (symbols: readonly CsmlSymbol[]) => symbols.map((s) => `${s.kind}:${s.flow.name}`);
    assert.deepEqual(flowOf(symbolsAt(model, 'Main', '@Common', 1, 2)), ['flow:Common']);
    assert.deepEqual(flowOf(symbolsAt(model, 'Main', 'flow common', 0, 6)), ['flow:Common']);
    assert.deepEqual(flowOf(symbolsAt(model, 'Main', 'from Maths', 0, 6)), ['flow:Maths']);
  });

  it('goes through an insert alias to the inserted step', () => {
    const model = bot();
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'goto email', 0, 6))), ['Common:ask_email@3']);
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'ask_email as'))), ['Common:ask_email@3']);
  });

  it('goes from calls to local and imported functions, through aliases and imports without from', () => {
    const model = bot();
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'double(2)'))), ['Maths:double@1']);
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'halve(4)'))), ['Maths:half@3']);
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'local(1)'))), ['Main:local@16']);
    assert.deepEqual(show(model.declarations(symbolsAt(model, 'Main', 'shout(x)'))), ['Common:shout@7']);
  });

  it('leaves end, dynamic targets and other bots alone', () => {
    const model = bot();
    assert.equal(model.occurrenceAt('Main', offsetOf('Main', 'goto end', 0, 6)), undefined);
    assert.equal(model.occurrenceAt('Main', offsetOf('Main', '$next', 0, 2)), undefined);
    assert.equal(model.occurrenceAt('Main', offsetOf('Main', 'confirm@Common in', 0, 2)), undefined);
  });

  it('finds every reference of a step, from its own flow and others, inserts included', () => {
    const model = bot();
    const [askEmail] = symbolsAt(model, 'Common', 'ask_email:');
    assert.deepEqual(show(model.references(askEmail, true)).sort(), [
      'Common:ask_email@2',
      'Common:ask_email@3',
      'Common:ask_email@6',
      'Main:ask_email@3',
      'Main:email@3',
      'Main:email@8',
    ]);
    assert.deepEqual(show(model.references(askEmail, false)).length, 5);
  });

  it('finds every reference of a function: its imports and calls', () => {
    const model = bot();
    const [half] = symbolsAt(model, 'Maths', 'half');
    assert.deepEqual(show(model.references(half, false)).sort(), ['Main:half@1', 'Main:halve@1', 'Main:halve@5']);
  });

  it('finds every reference of a flow: gotos and from clauses, the file first', () => {
    const model = bot();
    const [common] = symbolsAt(model, 'Main', '@Common', 1, 2);
    assert.deepEqual(show(model.references(common, true)), [
      'Common:@1',
      'Main:Common@3',
      'Main:Common@9',
      'Main:Common@10',
      'Main:common@11',
    ]);
  });

  it('lists the places of one flow that name a symbol, for highlights', () => {
    const model = bot();
    const [askEmail] = symbolsAt(model, 'Common', 'ask_email:');
    const inCommon = model.referencesIn('Common', askEmail).map((span) => FLOWS.Common.slice(0, span.start).split('\n').length);
    assert.deepEqual(inCommon, [2, 3, 6]);
    assert.equal(model.referencesIn('Maths', askEmail).length, 0);
  });

  it('forgets a flow that is deleted', () => {
    const model = bot();
    model.delete('Maths');
    assert.deepEqual(symbolsAt(model, 'Main', 'double(2)'), []);
  });
});
