import * as assert from 'node:assert/strict';
import { findStepLabel, scanStepLabels } from '../../src/csml/stepScanner';
import { createRandom } from '../support/random';

const FRAGMENTS = [
  'start:',
  'end:',
  'ask_name:',
  'étape:',
  '步骤:',
  '𝒜:',
  '1a:',
  '123:',
  'say:',
  'Goto:',
  'name :',
  'a::',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
  '\u00A0',
  '\u2028',
  '"',
  '\\"',
  '\\',
  '{{',
  '}}',
  '{',
  '}',
  '{ key: value }',
  '"{{ x }}"',
  '"a\nb"',
  '//',
  '/*',
  '*/',
  '// c:\n',
  '/* c: */',
  '#',
  ':',
  '::',
  '.',
  '?',
  '-',
  '_',
  'say "Hello"',
  'goto end',
  'do x = 1',
  'hold',
  'remember a = event',
  'if (x) {',
  'foreach (i, v) in list {',
  '😀',
  '\uD835',
  '\uDC9C',
  '\u0000',
  '\u0007',
  '\u007F',
  '\u0301',
  '٣',
  'ß',
  'İ',
];

const RESERVED = new Set([
  'foreach',
  'while',
  'if',
  'else',
  'import',
  'as',
  'do',
  'event',
  'flow',
  'step',
  'say',
  'use',
  'hold',
  'goto',
  'match',
  'remember',
  'forget',
  '_metadata',
  '_memory',
  '_env',
  'true',
  'false',
  'null',
  'break',
]);

function randomSource(random: (limit: number) => number): string {
  const parts: string[] = [];
  const count = Math.floor(random(60));
  for (let i = 0; i < count; i++) {
    const pick = random(10);
    if (pick < 7) {
      parts.push(FRAGMENTS[Math.floor(random(FRAGMENTS.length))]);
    } else if (pick < 9) {
      // Any UTF-16 code unit, lone surrogates included.
      parts.push(String.fromCharCode(Math.floor(random(0x10000))));
    } else {
      parts.push(String.fromCodePoint(Math.floor(random(0x110000))));
    }
  }
  return parts.join('');
}

/** Lines as an editor shows them: BOM hidden, CRLF, CR and LF all end a line. */
function editorLines(source: string): string[] {
  return source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

function hasBalancedSurrogates(name: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name);
}

describe('stepScanner fuzz', () => {
  it('never throws or hangs, and every label sits where it says', function () {
    this.timeout(15_000);
    const random = createRandom(0xc5a1);
    const deadline = Date.now() + 1_500;
    let runs = 0;

    while (runs < 200 || Date.now() < deadline) {
      if (runs >= 200_000) {
        break;
      }
      const source = randomSource(random);
      const context = `run ${runs}, source ${JSON.stringify(source)}`;
      const labels = scanStepLabels(source);
      const lines = editorLines(source);

      let previous = { line: -1, character: -1 };
      for (const label of labels) {
        const text = lines[label.line];
        assert.ok(text !== undefined, `no line ${label.line}: ${context}`);
        assert.equal(text.slice(label.character, label.character + label.name.length), label.name, context);
        assert.equal(text[label.character + label.name.length], ':', context);
        // The engine's name characters: letters and digits of any script, `_`, `-` and `\`.
        assert.match(label.name, /^[\p{Alphabetic}\p{N}_\\-]+$/u, context);
        assert.ok(hasBalancedSurrogates(label.name), context);
        assert.ok(!RESERVED.has(label.name.toLowerCase()), context);
        assert.ok(!/^-?[0-9]+$/.test(label.name), context);
        assert.ok(
          /^[\s\uFEFF]*$/u.test(text.slice(0, label.character)) || text.slice(0, label.character).includes('*/'),
          `label is not the first token: ${context}`,
        );
        assert.ok(
          label.line > previous.line || (label.line === previous.line && label.character > previous.character),
          `labels out of order: ${context}`,
        );
        previous = label;
        assert.deepEqual(
          findStepLabel(source, label.name),
          labels.find((other) => other.name === label.name),
        );
      }
      runs++;
    }
  });

  it('finds exactly the labels placed among decoys', function () {
    this.timeout(15_000);
    const random = createRandom(0x5eed);
    // Each decoy is self-contained (closes what it opens) and hides any `name:` it contains.
    const decoys = [
      '  say "hidden: {{ a: {b: 1} }} \\" still:"',
      '  say "multi\nhidden:\nline"',
      '  // hidden:',
      '  /* hidden:\nhidden2: */',
      '  do x = {\nhidden: 1,\n  inner: { deep: "}" }\n}',
      '  if (a) {\nhidden:\n  goto b\n}',
      '  goto end',
      'say: "x"',
      'Goto:',
      '123:',
      'name : x',
      '  x = a.b:',
      '',
    ];
    const names = ['start', 'ask_name', 'étape_2', '步骤', '𝒜x', '1a', 'step-3', 'End'];
    const lineBreaks = ['\n', '\r\n', '\r'];
    const deadline = Date.now() + 500;
    let runs = 0;

    while (runs < 100 || Date.now() < deadline) {
      if (runs >= 50_000) {
        break;
      }
      const lineBreak = lineBreaks[Math.floor(random(lineBreaks.length))];
      const blocks: string[] = [];
      const expected: { name: string; line: number; character: number }[] = [];
      let line = 0;
      const blockCount = Math.floor(random(20));
      for (let i = 0; i < blockCount; i++) {
        let block: string;
        if (random(3) < 1) {
          const indent = ' '.repeat(Math.floor(random(3)));
          const name = names[Math.floor(random(names.length))];
          expected.push({ name, line, character: indent.length });
          block = indent + name + ':' + (random(2) < 1 ? ' say "x:" goto end' : '');
        } else {
          block = decoys[Math.floor(random(decoys.length))];
        }
        blocks.push(block.replace(/\n/g, lineBreak));
        line += block.split('\n').length;
      }
      const source = blocks.join(lineBreak);
      assert.deepEqual(scanStepLabels(source), expected, `run ${runs}: ${JSON.stringify(source)}`);
      runs++;
    }
  });
});
