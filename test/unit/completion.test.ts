import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BotModel } from '../../src/csml/botModel';
import { Completion, completionsAt, CompletionOptions } from '../../src/csml/completion';
import { parseFlow } from '../../src/csml/flowParser';
import { createRandom } from '../support/random';

const OTHER_FLOWS: Record<string, string> = {
  Common: ['start:', '  goto ask_email', 'ask_email:', '  hold', 'confirm:', '  goto end', 'fn shout(x):', '  return x'].join('\n'),
  Maths: ['fn double(x):', '  return x * 2', 'fn half(x):', '  return x / 2'].join('\n'),
};

/** The completions where `|` stands in `source`, the text of flow Main, in a bot with the other flows. */
function complete(source: string, options: CompletionOptions = {}): Completion[] {
  const offset = source.indexOf('|');
  assert.ok(offset >= 0, 'no | in the source');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const bot = new BotModel();
  for (const [name, flowText] of Object.entries(OTHER_FLOWS)) bot.set(name, name, parseFlow(flowText));
  const main = bot.set('Main', 'Main', parseFlow(text));
  return completionsAt(text, offset, bot, main, options);
}

const labels = (source: string, options?: CompletionOptions) => complete(source, options).map((item) => item.label);
/** `label[detail]`, and `->insertText` when it differs. */
const shown = (source: string) =>
  complete(source).map((item) => `${item.label}[${item.detail ?? ''}]${item.insertText ? `->${item.insertText}` : ''}`);

const MAIN = ['insert ask_email as email from Common', 'start:', '  goto |', 'ask_name:', '  hold'].join('\n');

describe('completionsAt', () => {
  describe('after goto', () => {
    it('offers the steps of the flow, those its inserts bring in, end, flow and step', () => {
      assert.deepEqual(shown(MAIN), ['start[Main]', 'ask_name[Main]', 'email[Common]', 'end[]', 'flow[]', 'step[]']);
      assert.deepEqual(
        complete(MAIN).map((item) => item.kind),
        ['step', 'step', 'step', 'keyword', 'keyword', 'keyword'],
      );
    });

    it('sorts the steps before the keywords', () => {
      const items = complete(MAIN);
      const sorted = [...items].sort((a, b) => (a.sortText < b.sortText ? -1 : 1));
      assert.deepEqual(
        sorted.slice(-3).map((item) => item.label),
        ['end', 'flow', 'step'],
      );
    });

    it('replaces the word being typed, and nothing when none is', () => {
      const typing = 'start:\n  goto ask|\nask_name:\n  hold';
      const [item] = complete(typing);
      assert.deepEqual(item.replace, { start: typing.indexOf('ask'), end: typing.indexOf('ask') + 3 });
      const [empty] = complete(MAIN);
      assert.deepEqual(empty.replace, { start: MAIN.indexOf('|'), end: MAIN.indexOf('|') });
    });

    it('offers only steps after goto step', () => {
      assert.deepEqual(labels('start:\n  goto step |\nask_name:\n  hold'), ['start', 'ask_name']);
    });

    it('offers the flows after goto flow, and after @ with no space before it', () => {
      for (const source of ['start:\n  goto flow |', 'start:\n  goto confirm@|', 'start:\n  goto @|', 'start:\n  goto confirm@Com|']) {
        assert.deepEqual(labels(source), ['Common', 'Maths', 'Main'], source);
        assert.ok(
          complete(source).every((item) => item.kind === 'flow'),
          source,
        );
      }
      assert.deepEqual(labels('start:\n  goto confirm @|'), []);
    });

    it('reads a goto that follows other code on its line', () => {
      assert.deepEqual(labels('start:\n  say "a: goto" goto |'), ['start', 'end', 'flow', 'step']);
      assert.deepEqual(labels('start:\n  /* goto */ goto |'), ['start', 'end', 'flow', 'step']);
    });
  });

  describe('in inserts and imports', () => {
    it('offers the steps of the other flows after insert, labelled by flow, with the from they need', () => {
      assert.deepEqual(shown('insert |\nstart:\n  hold'), [
        'start[Common]->start from Common',
        'ask_email[Common]->ask_email from Common',
        'confirm[Common]->confirm from Common',
      ]);
    });

    it('offers only the steps of the flow a written from names', () => {
      assert.deepEqual(shown('insert conf| from Common'), ['start[Common]', 'ask_email[Common]', 'confirm[Common]']);
      assert.deepEqual(labels('insert {ask_email, |} from Common'), ['start', 'ask_email', 'confirm']);
      assert.deepEqual(labels('insert {|} from Maths'), []);
    });

    it('offers steps inside braces without from, by their name alone', () => {
      assert.deepEqual(shown('insert {start as home, |\nstart:\n  hold'), ['start[Common]', 'ask_email[Common]', 'confirm[Common]']);
      assert.deepEqual(labels('insert {\n  ask_email,\n  |\n} from Common'), ['start', 'ask_email', 'confirm']);
    });

    it('offers the functions of the other flows in imports, labelled by flow', () => {
      assert.deepEqual(shown('import |'), [
        'shout[Common]->shout from Common',
        'double[Maths]->double from Maths',
        'half[Maths]->half from Maths',
      ]);
      assert.deepEqual(shown('import {double, |}'), ['shout[Common]', 'double[Maths]', 'half[Maths]']);
      assert.deepEqual(shown('import {double, |} from Maths'), ['double[Maths]', 'half[Maths]']);
      assert.ok(complete('import |').every((item) => item.kind === 'function'));
    });

    it('offers nothing for an alias, nor after a complete declaration on its line', () => {
      assert.deepEqual(labels('insert {start as |} from Common'), []);
      assert.deepEqual(labels('import double as |'), []);
      assert.deepEqual(labels('import double from Maths |'), []);
    });

    it('offers the other flows after from', () => {
      assert.deepEqual(labels('import {double} from |'), ['Common', 'Maths']);
      assert.deepEqual(labels('insert start as home from Com|\nstart:\n  hold'), ['Common', 'Maths']);
    });
  });

  describe('where a statement starts', () => {
    const STEP_WORDS = ['say', 'goto', 'hold', 'hold_secure', 'remember', 'forget', 'do', 'if', 'foreach', 'while'];
    const COMPONENTS = ['Text', 'Question', 'Button', 'Card', 'Carousel', 'Image', 'Video', 'Audio', 'File', 'Url', 'Typing', 'Wait'];

    it('offers the statement words of a step and the components, at the start of a line', () => {
      const found = labels('start:\n  |');
      for (const word of [...STEP_WORDS, 'previous', 'debug', 'log', 'use', ...COMPONENTS]) assert.ok(found.includes(word), word);
      for (const word of ['return', 'break', 'continue', 'else', 'fn', 'import']) assert.ok(!found.includes(word), word);
      assert.deepEqual(
        complete('start:\n  |')
          .filter((item) => item.kind === 'component')
          .map((item) => item.label),
        COMPONENTS,
      );
      assert.deepEqual(labels('start:\n  sa|'), found);
    });

    it('marks use as deprecated and shows the parameters of a component', () => {
      const items = complete('start:\n  |');
      assert.equal(items.find((item) => item.label === 'use')?.deprecated, true);
      assert.equal(items.find((item) => item.label === 'say')?.deprecated, undefined);
      assert.equal(items.find((item) => item.label === 'Question')?.detail, 'Question(title?, buttons)');
    });

    it('offers break and continue inside a block, else after one', () => {
      const inLoop = labels('start:\n  foreach (x) in xs {\n    |\n  }');
      assert.ok(inLoop.includes('break') && inLoop.includes('continue') && inLoop.includes('say'));
      const afterIf = labels('start:\n  if (x) {\n    hold\n  }\n  |');
      assert.ok(afterIf.includes('else') && !afterIf.includes('break'));
      assert.ok(labels('start:\n  if (x) {\n  } else {\n    |').includes('break'));
    });

    it('offers what a function may hold: return, no say nor goto', () => {
      for (const source of ['fn f(x):\n  |', 'fn f(x) {\n  |']) {
        const found = labels(source);
        assert.ok(found.includes('return') && found.includes('do') && found.includes('if'), source);
        for (const word of ['say', 'goto', 'remember', 'hold', 'break', 'continue'])
          assert.ok(!found.includes(word), `${word} in ${source}`);
      }
    });

    it('offers nothing inside an object, a list or the arguments of a call', () => {
      assert.deepEqual(labels('start:\n  do x = {\n    |'), []);
      assert.deepEqual(labels('start:\n  say Question(\n    |'), []);
      assert.deepEqual(labels('start:\n  do x = [\n    |'), []);
    });

    it('offers the top-level words outside steps', () => {
      assert.deepEqual(labels('|'), ['import', 'insert', 'const', 'fn']);
      assert.deepEqual(labels('import double from Maths\n|'), ['import', 'insert', 'const', 'fn']);
    });

    it('offers the components after say', () => {
      assert.deepEqual(labels('start:\n  say |'), COMPONENTS);
    });

    it('answers a typed space only where a name must follow, not where it indents a line or follows say', () => {
      assert.deepEqual(labels('start:\n  |', { trigger: ' ' }), []);
      assert.deepEqual(labels('start:\n  say |', { trigger: ' ' }), []);
      assert.deepEqual(labels('start:\n  goto |', { trigger: ' ' }), ['start', 'end', 'flow', 'step']);
      assert.deepEqual(labels('import {double} from |', { trigger: ' ' }), ['Common', 'Maths']);
      assert.deepEqual(labels('start:\n  say |', { trigger: '@' }), COMPONENTS);
    });
  });

  describe('nowhere else', () => {
    it('offers nothing inside strings, their {{ }} and comments', () => {
      for (const source of [
        'start:\n  say "goto |"',
        'start:\n  say "goto |',
        'start:\n  say "first line\n  goto |"',
        'start:\n  say "{{ goto |}}"',
        'start:\n  say "{{|',
        'start:\n  // goto |',
        'start:\n  /* goto |',
        'start:\n  /* first line\n  goto | */',
        '// |',
        'import {double, /* | */} from Maths',
      ])
        assert.deepEqual(labels(source), [], source);
    });

    it('offers nothing in a step label, after a label on its line or after an expression', () => {
      assert.deepEqual(labels('sta|rt:\n  hold'), []);
      assert.deepEqual(labels('start: |'), []);
      assert.deepEqual(labels('start:\n  do x = |'), []);
      assert.deepEqual(labels('start:\n  hold |'), []);
    });

    it('answers every offset of any text without throwing, replacing a span around the cursor', () => {
      const root = path.resolve(__dirname, '..', '..', '..');
      const folder = path.join(root, 'test', 'fixtures', 'sample-bot', 'flows');
      const samples = fs
        .readdirSync(folder)
        .filter((file) => file.endsWith('.csml') && !file.endsWith('.cmds.csml'))
        .map((file) => fs.readFileSync(path.join(folder, file), 'utf8'));
      const random = createRandom(0xc0de);
      const pieces = [
        'goto ',
        '@',
        'insert {',
        'import ',
        ' from ',
        ',',
        '"',
        '{{',
        '}}',
        '/*',
        '*/',
        '//',
        '\n',
        'start:',
        '{',
        '}',
        '(',
        ' as ',
      ];
      for (let n = 0; n < 40; n++) {
        let text = '';
        for (let k = Math.floor(random(30)); k > 0; k--)
          text += random(10) < 8 ? pieces[Math.floor(random(pieces.length))] : String.fromCharCode(Math.floor(random(0x10000)));
        samples.push(text);
      }
      for (const text of samples) {
        const bot = new BotModel();
        const flow = bot.set('Main', 'Main', parseFlow(text));
        // A model read from other text, as when the document changed under a request, must not break it either.
        const stale = bot.set('Stale', 'Stale', parseFlow(samples[0]));
        for (let offset = 0; offset <= text.length; offset++) {
          for (const entry of [flow, stale]) {
            for (const item of completionsAt(text, offset, bot, entry)) {
              assert.ok(item.replace.start <= offset && offset <= item.replace.end, `${JSON.stringify(text)} at ${offset}`);
            }
          }
        }
      }
    });
  });
});
