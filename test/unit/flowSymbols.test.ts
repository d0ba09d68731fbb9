import * as assert from 'node:assert/strict';
import { parseFlow } from '../../src/csml/flowParser';
import { flowSymbols } from '../../src/csml/flowSymbols';
import { inSlices } from '../../src/csml/slices';

describe('flowSymbols', () => {
  it('lists imports, inserts, constants, steps and functions in source order, with what each is', () => {
    const source = [
      'import { add, sub as minus } from Maths',
      'insert ask as question from Common',
      'const MAX = 3',
      'start:',
      '  goto end',
      'fn twice(x, y):',
      '  return x * 2',
      'import helper from modules/tools',
    ].join('\n');
    assert.deepEqual(
      flowSymbols(parseFlow(source)).map((symbol) => `${symbol.kind} ${symbol.name}: ${symbol.detail}`),
      [
        'import add: import from Maths',
        'import minus: import sub from Maths',
        'insert question: insert ask from Common',
        'constant MAX: const',
        'step start: step',
        'function twice: fn (x, y)',
        'import helper: import from modules/tools',
      ],
    );
  });
});

describe('inSlices', () => {
  it('gives the event loop its turn between slices, and does every item', async () => {
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const done: number[] = [];
    await inSlices(
      Array.from({ length: 40 }, (_, i) => i),
      (i) => {
        const until = performance.now() + 2;
        while (performance.now() < until);
        done.push(i);
      },
      10,
    );
    clearInterval(ticking);
    assert.equal(done.length, 40);
    assert.ok(turns >= 3, `the event loop ran ${turns} times during 80 ms of work`);
  });
});
