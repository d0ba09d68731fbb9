import * as assert from 'node:assert/strict';
import { BotModel } from '../../src/csml/botModel';
import { parseFlow } from '../../src/csml/flowParser';
import { codeBlock, escapeMarkdown, hoverAt, TextOf } from '../../src/csml/hover';

type Flows = Record<string, string>;

const lines = (...text: string[]) => text.join('\n');

const FLOWS: Flows = {
  Main: lines(
    '// Main: the entry',
    'import double from Maths',
    'start:',
    '  say "{{ double(1) }}"',
    '  goto ask',
    '  goto ask@Other',
    '  goto flow Other',
    'ask:',
    '  say "one"',
    '  say "two"',
    '',
    '// about next',
    'next:',
    '  goto end',
  ),
  Other: lines('start:', '  goto end', 'ask:', ...Array.from({ length: 12 }, (_, i) => `  say "line ${i + 1}"`)),
  Maths: lines('fn double(x):', '  return x * 2', '', 'start:', '  goto end'),
};

function bot(flows: Flows): BotModel {
  const model = new BotModel();
  for (const [name, text] of Object.entries(flows)) model.set(name, name, parseFlow(text));
  return model;
}

async function hover(flows: Flows, flow: string, text: string, textOf: TextOf = (key) => flows[key]): Promise<string | undefined> {
  const offset = flows[flow].indexOf(text);
  assert.ok(offset >= 0, `${text} not in ${flow}`);
  return (await hoverAt(bot(flows), flow, offset + 1, textOf))?.markdown;
}

describe('hover', () => {
  it('shows a step from its label up to the next step, under a line naming its flow', async () => {
    assert.equal(
      await hover(FLOWS, 'Main', 'ask\n'),
      lines('Step in flow Main', '', '```csml', 'ask:', '  say "one"', '  say "two"', '```'),
    );
  });

  it('shows at most eight lines of a long step, in another flow', async () => {
    const shown = await hover(FLOWS, 'Main', 'ask@Other');
    assert.ok(shown);
    const code = shown.split('\n').slice(3, -1);
    assert.deepEqual(code, ['ask:', ...Array.from({ length: 7 }, (_, i) => `  say "line ${i + 1}"`)]);
    assert.match(shown, /^Step in flow Other\n/);
  });

  it('shows a function at a call and at an import, and the top of a flow at its name', async () => {
    const fn = lines('Function in flow Maths', '', '```csml', 'fn double(x):', '  return x * 2', '```');
    assert.equal(await hover(FLOWS, 'Main', 'double('), fn);
    assert.equal(await hover(FLOWS, 'Main', 'double from'), fn);
    assert.equal(await hover(FLOWS, 'Main', 'Maths'), lines('Flow Maths', '', '```csml', FLOWS.Maths, '```'));
    assert.match((await hover(FLOWS, 'Main', 'Other\n')) ?? '', /^Flow Other\n\n```csml\nstart:\n {2}goto end\nask:\n/);
  });

  it('shows nothing on a declaration, on a name that stands for nothing, or when the text cannot be read', async () => {
    assert.equal(await hover(FLOWS, 'Main', 'ask:'), undefined);
    assert.equal(await hover(FLOWS, 'Main', 'say'), undefined);
    assert.equal(await hover(FLOWS, 'Main', 'ask\n', () => undefined), undefined);
  });

  it('shows nothing of a text that changed since its model was made', async () => {
    assert.equal(await hover(FLOWS, 'Main', 'ask@Other', (key) => (key === 'Other' ? `// moved\n${FLOWS.Other}` : FLOWS[key])), undefined);
  });

  it('reads the text through a promise too', async () => {
    assert.match((await hover(FLOWS, 'Main', 'ask\n', (key) => Promise.resolve(FLOWS[key]))) ?? '', /^Step in flow Main/);
  });

  it('chooses a fence longer than any run of backticks in the source', async () => {
    const flows: Flows = {
      Main: lines('start:', '  goto tricky', 'tricky:', '  say "````` ``` `"', '  goto end'),
    };
    const shown = await hover(flows, 'Main', 'tricky\n');
    assert.equal(shown, lines('Step in flow Main', '', '``````csml', 'tricky:', '  say "````` ``` `"', '  goto end', '``````'));
    assert.equal(codeBlock('plain'), '```csml\nplain\n```');
  });

  it('keeps markdown out of the line that names the flow', async () => {
    assert.equal(escapeMarkdown('*[x](command:run)<img>`\n# Title'), '\\*\\[x\\]\\(command\\:run\\)\\<img\\>\\` \\# Title');
    const flows: Flows = { Main: lines('start:', '  goto flow a_b\\c'), 'a_b\\c': 'start:\n  goto end' };
    assert.equal((await hover(flows, 'Main', 'a_b'))?.split('\n')[0], 'Flow a\\_b\\\\c');
  });

  it('shortens very long lines', async () => {
    const flows: Flows = { Main: lines('start:', '  goto long', `long: say "${'x'.repeat(1000)}"`) };
    const shown = (await hover(flows, 'Main', 'long\n')) ?? '';
    assert.ok(shown.length < 300, `${shown.length} characters`);
    assert.match(shown, /x…\n```$/);
  });
});
