import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { isRefusal, renameAt, renameTargetAt } from '../../src/csml/rename';

type Flows = Record<string, string>;

function bot(flows: Flows): BotModel {
  const model = new BotModel();
  for (const [name, text] of Object.entries(flows)) model.set(name, name, parseFlow(text));
  return model;
}

/** The offset just inside the `nth` occurrence of `text` in a flow. */
function at(flows: Flows, flow: string, text: string, nth = 0): number {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = flows[flow].indexOf(text, index + 1);
  assert.ok(index >= 0, `${text} not in ${flow}`);
  return index + 1;
}

/** The flows after the rename, only those it changed; throws with the refusal when it refuses. */
function renamed(flows: Flows, flow: string, text: string, newName: string, nth = 0): Flows {
  const plan = renameAt(bot(flows), flow, at(flows, flow, text, nth), newName);
  if (isRefusal(plan)) throw new Error(plan.refusal);
  const changed: Flows = {};
  for (const [key, spans] of plan.edits) {
    let result = flows[key];
    for (const span of [...spans].reverse()) result = result.slice(0, span.start) + newName + result.slice(span.end);
    changed[key] = result;
  }
  return changed;
}

function refusal(flows: Flows, flow: string, text: string, newName: string, nth = 0): string {
  const plan = renameAt(bot(flows), flow, at(flows, flow, text, nth), newName);
  assert.ok(isRefusal(plan), `the rename to ${newName} was not refused`);
  return plan.refusal;
}

const lines = (...text: string[]) => text.join('\n');

describe('rename', () => {
  describe('a step', () => {
    const FLOWS: Flows = {
      Main: lines(
        'start:',
        '  goto ask',
        'ask:',
        '  say "ask: goto ask"',
        '  // goto ask',
        '  goto step ask',
        '  goto ask@Main',
        '  goto ask@main',
        '  goto ask@Main in OtherBot',
        '  goto $ask',
      ),
      Other: lines('start:', '  goto ask@Main', '  goto ask', 'ask:', '  goto end'),
      Inserting: lines('insert ask from Main', 'insert {ask as question} from Main', 'start:', '  goto ask', '  goto question'),
    };

    it('renames the label and every goto and insert that names it, across flows', () => {
      assert.deepEqual(renamed(FLOWS, 'Main', 'ask:', 'question_1'), {
        Main: lines(
          'start:',
          '  goto question_1',
          'question_1:',
          '  say "ask: goto ask"',
          '  // goto ask',
          '  goto step question_1',
          '  goto question_1@Main',
          '  goto question_1@main',
          '  goto ask@Main in OtherBot',
          '  goto $ask',
        ),
        Other: lines('start:', '  goto question_1@Main', '  goto ask', 'ask:', '  goto end'),
        Inserting: lines(
          'insert question_1 from Main',
          'insert {question_1 as question} from Main',
          'start:',
          '  goto question_1',
          '  goto question',
        ),
      });
    });

    it('gives the same plan from a goto in another flow as from the label', () => {
      const fromLabel = renamed(FLOWS, 'Main', 'ask:', 'q');
      assert.deepEqual(renamed(FLOWS, 'Other', 'ask@Main', 'q'), fromLabel);
      assert.deepEqual(renamed(FLOWS, 'Inserting', 'ask from', 'q'), fromLabel);
    });

    it('renames a goto into a flow that inserts the step, as the engine follows it there, but not one through an alias', () => {
      const flows = { ...FLOWS, Third: lines('start:', '  goto ask@Inserting', '  goto question@Inserting') };
      assert.equal(renamed(flows, 'Main', 'ask:', 'q').Third, lines('start:', '  goto q@Inserting', '  goto question@Inserting'));
      const later = { ...flows, Third: `${flows.Third}\n  goto later@Inserting` };
      assert.match(refusal(later, 'Main', 'ask:', 'later'), /^A goto later in flow Third leads nowhere today/);
    });

    it('leaves the gotos of an alias alone even when the alias is the step’s own name', () => {
      const flows = { Main: FLOWS.Main, Same: lines('insert ask as ask from Main', 'start:', '  goto ask') };
      assert.equal(renamed(flows, 'Main', 'ask:', 'q').Same, lines('insert q as ask from Main', 'start:', '  goto ask'));
    });

    it('leaves another flow’s step of the same name alone', () => {
      assert.deepEqual(renamed(FLOWS, 'Other', 'ask:', 'other_ask'), {
        Other: lines('start:', '  goto ask@Main', '  goto other_ask', 'other_ask:', '  goto end'),
      });
    });

    it('refuses at an alias and at a goto that uses it, and says what to rename instead', () => {
      const model = bot(FLOWS);
      for (const offset of [at(FLOWS, 'Inserting', 'question}'), at(FLOWS, 'Inserting', 'goto question') + 5]) {
        const target = renameTargetAt(model, 'Inserting', offset);
        assert.ok(isRefusal(target));
        assert.match(target.refusal, /^This is an alias of step ask of flow Main: rename the step at its label/);
      }
    });

    it('tells prepareRename the span and name under the cursor', () => {
      const target = renameTargetAt(bot(FLOWS), 'Other', at(FLOWS, 'Other', 'ask@Main'));
      assert.ok(!isRefusal(target));
      assert.equal(FLOWS.Other.slice(target.span.start, target.span.end), 'ask');
      assert.deepEqual([target.symbol.kind, target.symbol.flow.name, target.symbol.name], ['step', 'Main', 'ask']);
    });

    it('refuses the start step, and renaming a step to start', () => {
      assert.match(refusal(FLOWS, 'Main', 'start:', 'begin'), /The start step is where every conversation of flow Main begins/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'start'), /would change where every conversation of the flow begins/);
    });

    it('refuses a name taken in the flow that declares the step or in a flow that inserts it without alias', () => {
      const flows = { ...FLOWS, Main: `${FLOWS.Main}\ntaken:\n  goto ask` };
      assert.equal(refusal(flows, 'Main', 'ask:', 'taken'), 'Flow Main already has a step taken: choose another name.');
      const inserting = { ...FLOWS, Inserting: `${FLOWS.Inserting}\nmine:\n  goto end` };
      assert.equal(
        refusal(inserting, 'Main', 'ask:', 'mine'),
        'Flow Inserting inserts ask and already has a step mine: choose another name.',
      );
      assert.equal(
        refusal(FLOWS, 'Main', 'ask:', 'question'),
        'Flow Inserting already brings in a step question with an insert: choose another name.',
      );
    });

    it('refuses a name a goto leading nowhere already uses', () => {
      const flows = { ...FLOWS, Other: `${FLOWS.Other}\n  goto later@Main` };
      assert.match(refusal(flows, 'Main', 'ask:', 'later'), /^A goto later in flow Other leads nowhere today and would lead to this step/);
    });

    it('refuses names the engine would not read as a step name', () => {
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'Goto'), /"Goto" is a reserved word of CSML/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'null'), /reserved word/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', '12'), /"12" reads as a number in CSML/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', '1e5'), /reads as a number/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'inf'), /reads as a number/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'two words'), /"two words" is not a CSML name/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'a@b'), /is not a CSML name/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'line\nbreak'), /^"line break" is not a CSML name/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', ''), /cannot be empty/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'end'), /`goto end` ends the conversation/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'from'), /"from" is a keyword of CSML/);
      assert.match(refusal(FLOWS, 'Main', 'ask:', 'é'.repeat(128)), /too long for CSML, which allows 255 bytes/);
    });

    it('accepts what the engine accepts: digits first, dashes, other scripts, 255 bytes', () => {
      for (const name of ['1st', 'ask-again', 'étape_2', 'a'.repeat(255)]) {
        assert.equal(renamed(FLOWS, 'Main', 'ask:', name).Main.split('\n')[2], `${name}:`);
      }
    });

    it('changes nothing when the name stays the same', () => {
      assert.deepEqual(renamed(FLOWS, 'Main', 'ask:', 'ask'), {});
    });

    it('refuses a name that stands for steps of two flows', () => {
      const flows = { Main: lines('start:', '  goto ask@Twin'), Twin: 'ask:\n  goto end', 'sub/Twin': 'ask:\n  goto end' };
      const model = new BotModel();
      for (const [key, text] of Object.entries(flows)) model.set(key, key.replace('sub/', ''), parseFlow(text));
      const target = renameTargetAt(model, 'Main', at(flows, 'Main', 'ask@'));
      assert.ok(isRefusal(target));
      assert.match(target.refusal, /stands for 2 steps of different flows/);
    });
  });

  describe('a function', () => {
    const FLOWS: Flows = {
      Maths: lines('fn double(x):', '  return x * 2', 'fn quad(x):', '  return double(double(x))', 'start:', '  say "{{ double(1) }}"'),
      Direct: lines('import double from Maths', 'start:', '  say "{{ double(2) }}"', '  do y = x.double(3)'),
      Braced: lines('import { double, quad as four } from Maths', 'start:', '  do double(1)', '  do four(1)'),
      Aliased: lines('import double as twice from Maths', 'start:', '  do twice(2)', '  do double(2)'),
      Anywhere: lines('import quad', 'start:', '  do quad(2)'),
      Own: lines('import double from Maths', 'fn double(x):', '  return x', 'start:', '  do double(1)'),
    };

    it('renames the fn name, the calls in its flow, the imports and the calls of flows that import it without alias', () => {
      assert.deepEqual(renamed(FLOWS, 'Maths', 'double(x):', 'twofold', 0), {
        Maths: lines(
          'fn twofold(x):',
          '  return x * 2',
          'fn quad(x):',
          '  return twofold(twofold(x))',
          'start:',
          '  say "{{ twofold(1) }}"',
        ),
        Direct: lines('import twofold from Maths', 'start:', '  say "{{ twofold(2) }}"', '  do y = x.double(3)'),
        Braced: lines('import { twofold, quad as four } from Maths', 'start:', '  do twofold(1)', '  do four(1)'),
        Aliased: lines('import twofold as twice from Maths', 'start:', '  do twice(2)', '  do double(2)'),
        Own: lines('import twofold from Maths', 'fn double(x):', '  return x', 'start:', '  do double(1)'),
      });
    });

    it('lets the new name be an alias a flow gives the function, since that flow calls it by its alias', () => {
      assert.equal(
        renamed(FLOWS, 'Maths', 'double(x):', 'twice').Aliased,
        lines('import twice as twice from Maths', 'start:', '  do twice(2)', '  do double(2)'),
      );
    });

    it('renames from a call and from an import without from', () => {
      assert.deepEqual(renamed(FLOWS, 'Anywhere', 'quad(', 'fourfold'), {
        Maths: lines(
          'fn double(x):',
          '  return x * 2',
          'fn fourfold(x):',
          '  return double(double(x))',
          'start:',
          '  say "{{ double(1) }}"',
        ),
        Braced: lines('import { double, fourfold as four } from Maths', 'start:', '  do double(1)', '  do four(1)'),
        Anywhere: lines('import fourfold', 'start:', '  do fourfold(2)'),
      });
    });

    it('refuses at an alias and at a call through it', () => {
      const model = bot(FLOWS);
      for (const offset of [at(FLOWS, 'Aliased', 'twice'), at(FLOWS, 'Aliased', 'twice(')]) {
        const target = renameTargetAt(model, 'Aliased', offset);
        assert.ok(isRefusal(target));
        assert.match(target.refusal, /^This is an alias of function double of flow Maths: rename the function at its fn line/);
      }
    });

    it('refuses a name taken where the function is declared or imported, and built-ins', () => {
      assert.equal(refusal(FLOWS, 'Maths', 'double(x):', 'quad'), 'Flow Maths already has a function quad: choose another name.');
      assert.equal(refusal(FLOWS, 'Maths', 'double(x):', 'four'), 'Flow Braced already imports a function four: choose another name.');
      const own = { ...FLOWS, Direct: `${FLOWS.Direct}\nfn half(x):\n  return x / 2` };
      assert.equal(
        refusal(own, 'Maths', 'double(x):', 'half'),
        'Flow Direct imports double and already has a function half: choose another name.',
      );
      assert.match(refusal(FLOWS, 'Maths', 'double(x):', 'HTTP'), /"HTTP" is a built-in of CSML/);
      assert.match(refusal(FLOWS, 'Maths', 'double(x):', 'Button'), /is a built-in of CSML/);
      assert.match(refusal(FLOWS, 'Maths', 'double(x):', 'return'), /"return" is a keyword of CSML/);
      assert.match(refusal(FLOWS, 'Maths', 'double(x):', 'if'), /reserved word/);
    });

    it('refuses a name already called where calls would reach the renamed function', () => {
      const calling = { ...FLOWS, Direct: `${FLOWS.Direct}\n  do Triple(1)` };
      assert.match(
        refusal(calling, 'Maths', 'double(x):', 'Triple'),
        /^Flow Direct already calls Triple\(…\), which would reach this function/,
      );
    });

    it('refuses when an import without from could take the function from two flows', () => {
      const flows = { ...FLOWS, Spare: lines('fn quad(x):', '  return x') };
      assert.match(
        refusal(flows, 'Maths', 'quad(x):', 'fourfold'),
        /^The import of quad in flow Anywhere could take it from more than one flow/,
      );
    });
  });

  it('refuses flows, and places that name nothing', () => {
    const flows = { Main: lines('start:', '  goto flow Other', '  say "hello"'), Other: 'start:\n  goto end' };
    const model = bot(flows);
    const onFlow = renameTargetAt(model, 'Main', at(flows, 'Main', 'Other'));
    assert.ok(isRefusal(onFlow));
    assert.match(onFlow.refusal, /takes its name from its file/);
    const onNothing = renameTargetAt(model, 'Main', at(flows, 'Main', 'hello'));
    assert.ok(isRefusal(onNothing));
    assert.match(onNothing.refusal, /^Only steps and functions can be renamed/);
  });
});
