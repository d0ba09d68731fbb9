import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { missingTargetFixes, TargetFix } from '../../src/csml/missingTargetFixes';
import { editDistance, nearestNames } from '../../src/csml/nearestNames';

function bot(flows: Record<string, string>): BotModel {
  const model = new BotModel();
  for (const [name, text] of Object.entries(flows)) model.set(name, name, parseFlow(text));
  return model;
}

/** The fixes of the missing target written `written` in flow `key`, each applied to its flow's text. */
function fixes(flows: Record<string, string>, key: string, written: string): { title: string; result: string }[] {
  const model = bot(flows);
  const start = flows[key].indexOf(written);
  return missingTargetFixes(model, key, start, (flow) => flows[flow]).map((fix) => ({ title: fix.title, result: applied(flows, fix) }));
}

function applied(flows: Record<string, string>, fix: TargetFix): string {
  switch (fix.kind) {
    case 'rename':
      return flows[fix.key].slice(0, fix.span.start) + fix.text + flows[fix.key].slice(fix.span.end);
    case 'insert':
      return flows[fix.key].slice(0, fix.offset) + fix.text + flows[fix.key].slice(fix.offset);
    case 'createFlow':
      return `${fix.name}.csml beside ${fix.besideKey}:\n${fix.contents}`;
  }
}

describe('nearestNames', () => {
  it('offers the names a typo would have meant, closest first, a case difference before all', () => {
    assert.deepEqual(nearestNames('sumary', ['summary', 'start', 'Sumary', 'sum']), ['Sumary', 'summary']);
    assert.deepEqual(nearestNames('menu', ['mneu', 'menus', 'help']), ['menus', 'mneu']);
    assert.deepEqual(nearestNames('nowhere', ['start', 'ask']), []);
  });

  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('mneu', 'menu'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
});

describe('missingTargetFixes', () => {
  it('creates a missing step after the step that goes to it, indented as the flow is', () => {
    const flows = { Main: 'start:\n    goto sumary // next\n\nsummary:\n    say "done"' };
    const found = fixes(flows, 'Main', 'sumary');
    assert.deepEqual(
      found.map((fix) => fix.title),
      ["Change to 'summary'", "Create step 'sumary'"],
    );
    assert.equal(found[1].result, 'start:\n    goto sumary // next\n\nsumary:\n    goto end\n\nsummary:\n    say "done"');
    assert.equal(found[0].result, 'start:\n    goto summary // next\n\nsummary:\n    say "done"');
  });

  it('creates a step of another flow at its end, and offers its close names', () => {
    const flows = { Main: 'start:\n  goto ak@Other', Other: 'start:\n  goto end\nask:\n  hold\n' };
    const found = fixes(flows, 'Main', 'ak@');
    assert.deepEqual(
      found.map((fix) => fix.title),
      ["Change to 'ask'", "Create step 'ak' in Other"],
    );
    assert.equal(found[1].result, 'start:\n  goto end\nask:\n  hold\n\nak:\n  goto end\n');
  });

  it("writes the new step with the flow's own line ends", () => {
    const flows = { Main: 'start:\r\n  goto ask\r\nend_here:\r\n  goto end\r\n' };
    const found = fixes(flows, 'Main', 'ask');
    assert.equal(found.at(-1)?.result, 'start:\r\n  goto ask\r\n\r\nask:\r\n  goto end\r\nend_here:\r\n  goto end\r\n');
  });

  it('offers an alias an insert brings in as a close name', () => {
    const flows = { Main: 'insert ask as question from Other\nstart:\n  goto questin', Other: 'start:\n  goto ask\nask:\n  hold' };
    assert.deepEqual(
      fixes(flows, 'Main', 'questin').map((fix) => fix.title),
      ["Change to 'question'", "Create step 'questin'"],
    );
  });

  it('creates a missing flow with the step the goto names, or changes to a close flow name', () => {
    const flows = { Main: 'start:\n  goto ask@Othr', Other: 'start:\n  goto end' };
    const found = fixes(flows, 'Main', 'Othr');
    assert.deepEqual(
      found.map((fix) => fix.title),
      ["Change to 'Other'", "Create flow 'Othr'"],
    );
    assert.equal(found[1].result, 'Othr.csml beside Main:\nstart:\n  goto end\n\nask:\n  goto end\n');
    assert.equal(found[0].result, 'start:\n  goto ask@Other');
  });

  it('never offers to create a file from a name that could leave the folder, nor a step named by a number', () => {
    const flows = { Main: 'start:\n  goto flow a\\b\n  goto 12' };
    assert.deepEqual(fixes(flows, 'Main', 'a\\b'), []);
    assert.deepEqual(fixes(flows, 'Main', '12'), []);
  });
});
