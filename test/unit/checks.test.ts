import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { checkFlow, reachedSteps } from '../../src/csml/checks';
import { parseFlow } from '../../src/csml/flowParser';

function bot(flows: Record<string, string>): BotModel {
  const model = new BotModel();
  for (const [name, text] of Object.entries(flows)) model.set(name, name, parseFlow(text));
  return model;
}

/** Each problem of a flow as `code severity`. */
function problems(model: BotModel, flow: string, withReach = true): string[] {
  const entry = model.get(flow);
  assert.ok(entry);
  return checkFlow(model, entry, withReach ? reachedSteps(model) : undefined).map((problem) => `${problem.code} ${problem.severity}`);
}

describe('checkFlow', () => {
  const FLOWS = {
    Main: [
      'start:',
      '  goto ask',
      'ask:',
      '  goto nowhere',
      '  goto ask@Other',
      '  goto gone@Other',
      '  goto @Missing',
      '  goto flow other',
      '  goto end',
      '  goto s@F in OtherBot',
      'lonely:',
      '  say "x"',
    ].join('\n'),
    Other: ['start:', '  goto ask', 'ask:', '  goto start@Main'].join('\n'),
  };

  it('warns about a goto to a step or a flow the bot lacks, and says the conversation would end there', () => {
    const model = bot(FLOWS);
    const main = model.get('Main');
    assert.ok(main);
    const found = checkFlow(model, main);
    const source = FLOWS.Main;
    assert.deepEqual(
      found.map((problem) => `${problem.code}: ${source.slice(problem.start, problem.end)}`),
      ['missing-step: nowhere', 'missing-step: gone', 'missing-flow: Missing'],
    );
    assert.match(found[0].message, /No step "nowhere" in this flow: the conversation would end here/);
    assert.match(found[1].message, /in flow Other/);
    assert.ok(found.every((problem) => problem.severity === 'warning'));
  });

  it('leaves goto end, dynamic gotos, other bots and a flow matched ignoring case alone', () => {
    const model = bot(FLOWS);
    assert.deepEqual(problems(model, 'Other'), []);
    const main = problems(model, 'Main', false);
    assert.equal(main.length, 3);
  });

  it('hints at steps nothing goes to, faded, but never at start', () => {
    const model = bot(FLOWS);
    const main = model.get('Main');
    assert.ok(main);
    const hints = checkFlow(model, main, reachedSteps(model)).filter((problem) => problem.code === 'unreachable-step');
    assert.deepEqual(
      hints.map((hint) => FLOWS.Main.slice(hint.start, hint.end)),
      ['lonely'],
    );
    assert.equal(hints[0].unnecessary, true);
    assert.equal(hints[0].severity, 'hint');
  });

  it('calls no step unreachable while a dynamic goto may go anywhere', () => {
    const model = bot({ ...FLOWS, Dyn: 'start:\n  goto $next' });
    assert.equal(reachedSteps(model), undefined);
  });

  it('counts a step inserted elsewhere, or named through an insert alias, as reached', () => {
    const model = bot({
      Main: 'insert ask as question from Lib\nstart:\n  goto question',
      Lib: 'start:\n  say "x"\nask:\n  hold\nunused:\n  hold',
    });
    const lib = model.get('Lib');
    assert.ok(lib);
    assert.deepEqual(
      checkFlow(model, lib, reachedSteps(model)).map((problem) => problem.code),
      ['unreachable-step'],
    );
    const main = model.get('Main');
    assert.ok(main);
    // The engine, though, runs an inserted step by its own name: `goto question` would end the conversation.
    assert.deepEqual(
      checkFlow(model, main).map((problem) => `${problem.code} ${problem.message}`),
      [
        'inserted-step-alias The engine runs an inserted step by the name it has in Lib, not by its alias, so "question" is not found and the conversation would end: insert ask without "as" and go to ask.',
      ],
    );
  });

  it('says where the engine would not find an inserted step: from another flow, unless that flow inserts it too', () => {
    const model = bot({
      Main: 'start:\n  goto pay@Billing',
      Billing: 'insert pay from Lib\nstart:\n  goto pay',
      Other: 'insert pay from Lib\nstart:\n  goto pay@Billing',
      Lib: 'start:\n  goto end\npay:\n  goto end',
    });
    const problems = (name: string) => {
      const flow = model.get(name);
      assert.ok(flow);
      return checkFlow(model, flow).map((problem) => `${problem.code} ${problem.message}`);
    };
    assert.deepEqual(problems('Main'), [
      'inserted-step-elsewhere The engine looks for inserted steps only among the inserts of the flow a goto is in, so step "pay" of Billing is not found from here and the conversation would end: go to a step Billing declares, which then goes to it.',
    ]);
    assert.deepEqual(problems('Billing'), []);
    assert.deepEqual(problems('Other'), []);
  });
});
