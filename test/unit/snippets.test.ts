import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlow } from '../../src/csml/flowParser';
import { FlowModel } from '../../src/csml/flowModel';

const root = path.resolve(__dirname, '..', '..', '..');

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets', 'csml.json'), 'utf8')) as Record<string, Snippet>;

/** The text a snippet writes when each placeholder keeps its default, a tab indenting by two spaces. */
function expand(body: string[]): string {
  const defaults = new Map<string, string>();
  let text = body.join('\n');
  // Innermost first: `${0:say $1}` holds a mirror of tab stop 1.
  const placeholder = /\$\{(\d+):([^{}]*)\}/;
  for (let match = placeholder.exec(text); match; match = placeholder.exec(text)) {
    if (!defaults.has(match[1])) defaults.set(match[1], match[2]);
    text = text.slice(0, match.index) + match[2] + text.slice(match.index + match[0].length);
  }
  text = text.replace(/\$\{?(\d+)\}?/g, (_, stop: string) => defaults.get(stop) ?? '');
  return text.replace(/\t/g, '  ');
}

/** A snippet of statements written in a step, followed by another step that only a closed bracket lets the parser see. */
function inStep(body: string[]): FlowModel {
  const statements = expand(body)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return parseFlow(`start:\n${statements}\nnext:\n  goto start\n`);
}

const steps = (model: FlowModel) => model.steps.map((step) => step.name.text);

describe('snippets', () => {
  it('each have a prefix, a description and a body', () => {
    assert.ok(Object.keys(snippets).length >= 4);
    for (const [name, snippet] of Object.entries(snippets)) {
      assert.match(snippet.prefix, /^[a-z]+$/, name);
      assert.ok(snippet.description.endsWith('.'), name);
      assert.ok(Array.isArray(snippet.body) && snippet.body.length > 0, name);
    }
  });

  it('are contributed for CSML and shipped in the package', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { snippets?: { language: string; path: string }[] };
    };
    assert.deepEqual(manifest.contributes.snippets, [{ language: 'csml', path: './snippets/csml.json' }]);
    const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split(/\r?\n/);
    assert.ok(shipped.includes('!snippets/csml.json'));
  });

  it('writes a step: its label and an indented body', () => {
    const model = parseFlow(expand(snippets['Step'].body));
    assert.deepEqual(steps(model), ['step_name']);
    assert.deepEqual(
      model.gotos.map((goto) => goto.step?.text),
      ['end'],
    );
  });

  it('writes a question with buttons, all brackets closed', () => {
    const model = inStep(snippets['Question with buttons'].body);
    assert.deepEqual(steps(model), ['start', 'next']);
    assert.deepEqual(
      model.calls.map((call) => call.text),
      ['Question', 'Button', 'Button'],
    );
    assert.equal(model.blocks.length, 4);
  });

  it('writes an if and its else', () => {
    const model = inStep(snippets['If / else'].body);
    assert.deepEqual(steps(model), ['start', 'next']);
    // The condition's parentheses, the call's, and the two blocks.
    assert.equal(model.blocks.length, 4);
  });

  it('writes a foreach whose body uses its item', () => {
    const text = expand(snippets['Foreach'].body);
    assert.equal(text, 'foreach (item, index) in items {\n  say item\n}');
    assert.deepEqual(steps(inStep(snippets['Foreach'].body)), ['start', 'next']);
  });

  it('writes a function that returns its parameter', () => {
    const model = parseFlow(`${expand(snippets['Function'].body)}\nstart:\n  do name(1)\n`);
    assert.deepEqual(
      model.functions.map((fn) => [fn.name.text, fn.parameters.map((parameter) => parameter.text)]),
      [['name', ['value']]],
    );
    assert.deepEqual(steps(model), ['start']);
  });
});
