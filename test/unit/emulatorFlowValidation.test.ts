import * as assert from 'node:assert/strict';
import {
  MAX_PROBLEMS_PER_FLOW,
  NO_START_MESSAGE,
  UNCLOSED_OPEN_MESSAGE,
  UNMATCHED_CLOSE_MESSAGE,
  checkFlow,
  validateFlows,
  type FlowProblem,
} from '../emulator/flowValidation';
import { createRandom } from '../support/random';

const noStart: FlowProblem = { line: 1, column: 1, step: 'start', message: NO_START_MESSAGE };
const unmatched = (line: number, column: number, step: string | null): FlowProblem => ({
  line,
  column,
  step,
  message: UNMATCHED_CLOSE_MESSAGE,
});
const unclosed = (line: number, column: number, step: string | null): FlowProblem => ({
  line,
  column,
  step,
  message: UNCLOSED_OPEN_MESSAGE,
});

describe("The emulator's flow validation", () => {
  describe('the start step', () => {
    it('accepts a flow with a start step, wherever it is and however indented', () => {
      assert.deepEqual(checkFlow('start:\n  say "hi"\n  goto end'), []);
      assert.deepEqual(checkFlow('ask:\n  hold\n\n\t  start:\n  goto ask'), []);
      assert.deepEqual(checkFlow('start: say "on the same line"'), []);
    });

    it('reports a flow without one at line 1, column 1, in step start', () => {
      assert.deepEqual(checkFlow('ask_name:\n  say "Who are you?"'), [noStart]);
      assert.deepEqual(checkFlow(''), [noStart]);
    });

    it('does not take a start in a comment, a string, an object or another name for the step', () => {
      for (const content of [
        '// start:\nother:',
        '/*\nstart:\n*/\nother:',
        'other:\n  say "\nstart:\n"',
        'other:\n  remember x = {\nstart: 1\n}',
        'restart:\n  goto end',
        'start_here:\n  goto end',
        'start::x',
        'start :',
        '  say start:',
      ]) {
        assert.deepEqual(checkFlow(content)[0], noStart, JSON.stringify(content));
      }
    });

    it('reads a start after a byte order mark and after every kind of line break', () => {
      assert.deepEqual(checkFlow('\uFEFFstart:'), []);
      assert.deepEqual(checkFlow('a:\r\nstart:'), []);
      assert.deepEqual(checkFlow('a:\rstart:'), []);
    });
  });

  describe('braces', () => {
    it('accepts balanced braces, nested or on several lines', () => {
      assert.deepEqual(checkFlow('start:\n  if (x) {\n    remember y = {"a": {"b": 1}}\n  } else { goto end }'), []);
    });

    it("reports an unmatched '}' where it is, in the step it is in", () => {
      assert.deepEqual(checkFlow('start:\n  say "hi"\n\nnext:\n    }\n  goto end'), [unmatched(5, 5, 'next')]);
    });

    it("reports an unclosed '{' where it was opened, in the step it was opened in", () => {
      assert.deepEqual(checkFlow('start:\n  if (a) {\n    say "a"\n  }\n  if (b) {\n    say "b"\n'), [unclosed(5, 10, 'start')]);
      assert.deepEqual(checkFlow('start:\n  remember x = { {\n  }'), [unclosed(2, 16, 'start')]);
    });

    it('gives no step to a position above the first label', () => {
      assert.deepEqual(checkFlow('}\nstart:'), [unmatched(1, 1, null)]);
    });

    it('reports every problem in position order, the missing start first', () => {
      assert.deepEqual(checkFlow('a:\n}\n} {\nb:\n  {'), [
        noStart,
        unmatched(2, 1, 'a'),
        unmatched(3, 1, 'a'),
        unclosed(3, 3, 'a'),
        unclosed(5, 3, 'a'),
      ]);
    });

    it('stops after a bounded number of problems', () => {
      const problems = checkFlow('start:\n' + '}'.repeat(10_000));
      assert.equal(problems.length, MAX_PROBLEMS_PER_FLOW);
      assert.deepEqual(problems.at(-1), unmatched(2, MAX_PROBLEMS_PER_FLOW, 'start'));
      assert.equal(checkFlow('x:\n' + '{'.repeat(10_000)).length, MAX_PROBLEMS_PER_FLOW);
    });

    it('matches braces nested deeper than that bound', () => {
      const deep = MAX_PROBLEMS_PER_FLOW + 50;
      assert.deepEqual(checkFlow('start:\n' + '{'.repeat(deep) + '}'.repeat(deep)), []);
      const stillOpen = checkFlow('start:\n' + '{'.repeat(deep) + '}'.repeat(10));
      assert.deepEqual(
        stillOpen,
        Array.from({ length: MAX_PROBLEMS_PER_FLOW }, (_, index) => unclosed(2, index + 1, 'start')),
      );
      assert.deepEqual(checkFlow('start:\n' + '{'.repeat(deep) + '}'.repeat(deep + 1)), [unmatched(2, 2 * deep + 1, 'start')]);
    });

    it('ignores braces in strings, escaped quotes included, and in both kinds of comments', () => {
      for (const content of [
        'start:\n  say "}"',
        'start:\n  say "{{name}} and {"',
        'start:\n  say "a \\" } b"',
        'start:\n  say "a \\\\" {}',
        'start:\n  say "spans\n } lines"',
        'start:\n  // } {\n  say "ok"',
        'start:\n  /* }\n { */ say "ok"',
        'start:\n  say "// not a comment" {}',
        'start:\n  say "/*" {}',
        'start:\n  // "\n  {}',
      ]) {
        assert.deepEqual(checkFlow(content), [], JSON.stringify(content));
      }
      // An escaped line break does not hide the break: the next line is counted.
      assert.deepEqual(checkFlow('start:\n  say "a\\\n"\n}'), [unmatched(4, 1, 'start')]);
    });

    it('counts columns in UTF-16 code units and lines across CRLF and CR', () => {
      assert.deepEqual(checkFlow('start:\r\n  say "é😀" }'), [unmatched(2, 13, 'start')]);
      assert.deepEqual(checkFlow('start:\r\r\n\r}'), [unmatched(4, 1, 'start')]);
      assert.deepEqual(checkFlow('\uFEFFstart: }'), [unmatched(1, 8, 'start')]);
    });

    it('names steps in any script', () => {
      assert.deepEqual(checkFlow('start:\nétape_2:\n  }'), [unmatched(3, 3, 'étape_2')]);
    });
  });

  describe('validateFlows', () => {
    it('lists the problems of every flow, in flow order, each with its flow name', () => {
      const errors = validateFlows([
        { name: 'Good', content: 'start:\n  goto end' },
        { name: 'NoStart', content: 'menu:\n  goto end' },
        { name: 'Braces', content: 'start:\n  {' },
      ]);
      assert.deepEqual(errors, [
        { flow: 'NoStart', ...noStart },
        { flow: 'Braces', ...unclosed(2, 3, 'start') },
      ]);
      assert.deepEqual(validateFlows([]), []);
    });
  });

  it('never throws, and keeps its problems ordered, bounded and inside the text, on random input', () => {
    const fragments = [
      'start:',
      'a:',
      '\n',
      '\r\n',
      '\r',
      ' ',
      '{',
      '}',
      '"',
      '\\',
      '//',
      '/*',
      '*/',
      '{{',
      '}}',
      'x',
      'é',
      '😀',
      '\uFEFF',
    ];
    const random = createRandom(20240615);
    for (let round = 0; round < 2000; round++) {
      let content = '';
      const count = Math.floor(random(30));
      for (let k = 0; k < count; k++) content += fragments[Math.floor(random(fragments.length))];
      const problems = checkFlow(content);
      const lines = content.split(/\r\n|\r|\n/);
      assert.ok(problems.length <= MAX_PROBLEMS_PER_FLOW);
      for (const [index, problem] of problems.entries()) {
        const previous = problems[index - 1];
        if (previous) {
          const ordered = previous.line < problem.line || (previous.line === problem.line && previous.column <= problem.column);
          assert.ok(ordered, JSON.stringify({ content, problems }));
        }
        assert.ok(problem.line >= 1 && problem.line <= lines.length, JSON.stringify({ content, problem }));
        assert.ok(
          problem.column >= 1 && problem.column <= Math.max(1, lines[problem.line - 1].length),
          JSON.stringify({ content, problem }),
        );
      }
    }
  });

  it('checks a flow of several MB quickly', () => {
    const content = 'start:\n' + '  if (x) { say "{{ y }} // not a comment" } /* } */\n'.repeat(130_000);
    assert.ok(content.length > 6_000_000);
    const start = performance.now();
    assert.deepEqual(checkFlow(content), []);
    assert.ok(performance.now() - start < 1000, `took ${Math.round(performance.now() - start)} ms`);
  });
});
