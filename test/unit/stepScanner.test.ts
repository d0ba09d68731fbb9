import * as assert from 'node:assert/strict';
import { findStepLabel, scanStepLabels, StepLabel } from '../../src/csml/stepScanner';

function label(name: string, line: number, character: number): StepLabel {
  return { name, line, character };
}

function names(source: string): string[] {
  return scanStepLabels(source).map((found) => found.name);
}

describe('stepScanner', () => {
  describe('scanStepLabels', () => {
    it('finds labels with their exact line and column', () => {
      const source = ['start:', '  say "Hello"', '  goto ask_name', '', '  ask_name:', '\thold', '\tgoto end'].join('\n');
      assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('ask_name', 4, 2)]);
    });

    it('returns nothing for an empty or label-free source', () => {
      assert.deepEqual(scanStepLabels(''), []);
      assert.deepEqual(scanStepLabels('say "hi"\ngoto end\n'), []);
    });

    it('accepts code after the label on the same line', () => {
      const source = 'start: say "Hello" goto end\nend_step:goto end';
      assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('end_step', 1, 0)]);
    });

    it('requires the colon right after the name', () => {
      assert.deepEqual(names('start :\n  say "x"\nnext\t:\nreal:'), ['real']);
    });

    it('only takes the first token of a line', () => {
      const source = ['do x = foo.bar:', 'say a b:', 'goto x:', '  -dash-name:', 'foo.bar:'].join('\n');
      assert.deepEqual(scanStepLabels(source), [label('-dash-name', 3, 2)]);
    });

    it('treats a label followed by another colon as a label', () => {
      assert.deepEqual(scanStepLabels('odd::\nkey:value'), [label('odd', 0, 0), label('key', 1, 0)]);
    });

    describe('comments', () => {
      it('ignores labels in line comments', () => {
        const source = '// hidden:\nstart: // other:\n  say "x" // more:\n//x:\nafter:';
        assert.deepEqual(scanStepLabels(source), [label('start', 1, 0), label('after', 4, 0)]);
      });

      it('ignores labels in block comments, including multi-line ones', () => {
        const source = '/* one:\ntwo:\n*/\nstart:\n/* three: */ four:\n  /*\n five:\n */six:';
        assert.deepEqual(scanStepLabels(source), [label('start', 3, 0), label('four', 4, 13), label('six', 7, 3)]);
      });

      it('does not let comment markers inside strings start a comment', () => {
        const source = 'start:\n  say "http://example.com /* not a comment"\nnext:';
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('next', 2, 0)]);
      });

      it('does not let quotes or braces inside comments matter', () => {
        const source = 'a: // say "unterminated {\nb: /* " { */\nc:';
        assert.deepEqual(names(source), ['a', 'b', 'c']);
      });
    });

    describe('strings', () => {
      it('ignores labels inside a multi-line string', () => {
        const source = 'start:\n  say "first line\nnot_a_label: inside\n  still:"\nafter:';
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('after', 4, 0)]);
      });

      it('handles escaped quotes', () => {
        const source = 'start:\n  say "he said \\"\nhidden: \\" ok"\nnext:\n  say "\\\\"\nlast:';
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('next', 3, 0), label('last', 5, 0)]);
      });

      it('keeps braces in strings and interpolations out of the brace depth', () => {
        const source = [
          'start:',
          '  say "{ not a block"',
          '  say "Hello {{ user.name }} and {{ {"k": "}"} }}"',
          '  say "}}}}"',
          'next:',
        ].join('\n');
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('next', 4, 0)]);
      });

      it('handles strings nested in interpolation, written \\"…\\" as the engine wants them', () => {
        const source = 'start:\n  say "a {{ f(\\"b\\", \\"}}\nhidden:\\") }}\nhidden2:"\nnext:';
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('next', 4, 0)]);
      });

      it('ends the string at a bare quote inside its interpolation, as the engine does', () => {
        const source = 'start:\n  say "a {{ f("b") }}"\nnext:';
        assert.deepEqual(names(source), ['start', 'next']);
      });

      it('ignores labels inside a multi-line interpolation', () => {
        const source = 'start:\n  say "{{\nhidden:\n}}"\nnext:';
        assert.deepEqual(names(source), ['start', 'next']);
      });

      it('hides everything after an unterminated string without throwing', () => {
        assert.deepEqual(names('start:\n  say "oops\nnext:\n'), ['start']);
        assert.deepEqual(names('start:\n  say "oops\\'), ['start']);
        assert.deepEqual(names('start:\n  say "{{ x'), ['start']);
      });
    });

    describe('braces', () => {
      it('skips keys of nested object literals', () => {
        const source = [
          'start:',
          '  do obj = {',
          '    key: "value",',
          '    nested: {',
          '      deep: 1',
          '    },',
          '    after_nested: 2',
          '  }',
          'next:',
        ].join('\n');
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('next', 8, 0)]);
      });

      it('skips labels inside blocks', () => {
        const source = 'start:\n  if (x) {\nhidden:\n  } else {\n  hidden2: 1\n  }\nnext:';
        assert.deepEqual(names(source), ['start', 'next']);
      });

      it('survives a stray closing brace', () => {
        assert.deepEqual(names('}\nstart:\n}}\nnext:'), ['start', 'next']);
      });

      it('hides everything after an unclosed brace', () => {
        assert.deepEqual(names('start:\n  do x = {\nnext:'), ['start']);
      });
    });

    describe('names', () => {
      it('accepts Unicode letters and digits', () => {
        const source = 'étape_1:\n步骤:\n𝒜:\nnaïve-step2:\nstep_٣:';
        assert.deepEqual(scanStepLabels(source), [
          label('étape_1', 0, 0),
          label('步骤', 1, 0),
          label('𝒜', 2, 0),
          label('naïve-step2', 3, 0),
          label('step_٣', 4, 0),
        ]);
      });

      it('counts columns in UTF-16 code units', () => {
        const source = '/*𝒜*/ 𝒜𝒜:';
        assert.deepEqual(scanStepLabels(source), [label('𝒜𝒜', 0, 7)]);
      });

      it('does not take symbols or emoji as part of a name', () => {
        assert.deepEqual(names('😀:\nstart😀:\n€uro:\nok:'), ['ok']);
      });

      it('rejects reserved words in any case', () => {
        const source = 'say:\nGoto:\nFOREACH:\n_memory:\n_Env:\ntrue:\nNull:\nstart:';
        assert.deepEqual(names(source), ['start']);
      });

      it('accepts component, which the engine lists with a capital and so never matches', () => {
        assert.deepEqual(names('component:\nComponent:'), ['component', 'Component']);
      });

      it('accepts names that merely contain a reserved word', () => {
        assert.deepEqual(names('say_hello:\ngoto2:\nflows:'), ['say_hello', 'goto2', 'flows']);
      });

      it('rejects numbers but not names starting with a digit', () => {
        assert.deepEqual(scanStepLabels('123:\n-4:\n1a:\n0:'), [label('1a', 2, 0)]);
      });
    });

    describe('line endings', () => {
      it('counts CRLF line endings once', () => {
        const source = 'start:\r\n  say "x"\r\n\r\n  next:\r\n  /* a\r\n b */\r\nlast:\r\n';
        assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('next', 3, 2), label('last', 6, 0)]);
      });

      it('counts a lone CR as a line ending', () => {
        assert.deepEqual(scanStepLabels('start:\r  say "x"\rnext:'), [label('start', 0, 0), label('next', 2, 0)]);
      });

      it('ends a line comment at CRLF', () => {
        assert.deepEqual(scanStepLabels('// x\r\nstart:'), [label('start', 1, 0)]);
      });

      it('ignores a leading BOM when counting columns', () => {
        assert.deepEqual(scanStepLabels('\uFEFFstart:\n  goto end\n next:'), [label('start', 0, 0), label('next', 2, 1)]);
      });
    });

    // How fast lives in `npm run bench`; here only that a large file is scanned right.
    it('finds a step at the end of a 20,000-line file', function () {
      this.timeout(10_000);
      const body: string[] = ['start:'];
      while (body.length < 19_999) {
        body.push(
          '  say "Hello {{ user.name }}, this is line ' + body.length + '"',
          '  do obj = { key: "value", nested: { other: 2 } } // comment:',
          '  /* block: */ remember answer = event',
          '  if (answer == "yes") { goto yes_step }',
        );
      }
      body.length = 19_999;
      body.push('the_end:');
      const source = body.join('\r\n');

      assert.deepEqual(scanStepLabels(source), [label('start', 0, 0), label('the_end', 19_999, 0)]);
      assert.deepEqual(findStepLabel(source, 'the_end'), label('the_end', 19_999, 0));
    });
  });

  describe('findStepLabel', () => {
    const source = 'start:\n  goto Ask\nask:\n  hold\nAsk:\n  goto end\nask:';

    it('is case-sensitive', () => {
      assert.deepEqual(findStepLabel(source, 'Ask'), label('Ask', 4, 0));
      assert.deepEqual(findStepLabel(source, 'ask'), label('ask', 2, 0));
      assert.equal(findStepLabel(source, 'ASK'), undefined);
    });

    it('returns the first match', () => {
      assert.deepEqual(findStepLabel(source, 'ask'), label('ask', 2, 0));
    });

    it('returns undefined for an unknown step or one that only appears in a comment or string', () => {
      assert.equal(findStepLabel('// missing:\nsay "missing:"\n', 'missing'), undefined);
      assert.equal(findStepLabel('', 'start'), undefined);
    });
  });
});
