import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, Registry, StateStack, parseRawGrammar } from 'vscode-textmate';

// The CSML grammar, tokenized by the engine VS Code itself uses (vscode-textmate on the oniguruma WASM build).
// Each fixture in test/fixtures/grammar is CSML written from the CSML engine's parser; the assertions name the
// 1-based line and a piece of its text, and check the scopes of every token that piece overlaps.

const root = path.resolve(__dirname, '..', '..', '..');
const GRAMMAR = path.join(root, 'syntaxes', 'csml.tmLanguage.json');
const FIXTURES = path.join(root, 'test', 'fixtures', 'grammar');
const SAMPLE_FLOWS = path.join(root, 'test', 'fixtures', 'sample-bot', 'flows');

interface Token {
  start: number;
  end: number;
  scopes: string[];
}

interface Tokenized {
  name: string;
  lines: string[];
  tokens: Token[][];
}

let wasmLoaded: Promise<void> | undefined;

async function loadGrammar(): Promise<IGrammar> {
  wasmLoaded ??= oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  await wasmLoaded;
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.csml' ? parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
  });
  const grammar = await registry.loadGrammar('source.csml');
  assert.ok(grammar, 'the grammar loads');
  return grammar;
}

function tokenize(grammar: IGrammar, name: string, text: string): Tokenized {
  const lines = text.split(/\r?\n/);
  const tokens: Token[][] = [];
  let state: StateStack = INITIAL;
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, state);
    assert.equal(result.stoppedEarly, false, `${name}: tokenizing "${line}" stopped early`);
    tokens.push(result.tokens.map((token) => ({ start: token.startIndex, end: token.endIndex, scopes: token.scopes })));
    state = result.ruleStack;
  }
  return { name, lines, tokens };
}

/** Whether `scope` is `expected` or one of its refinements (`keyword.control` covers `keyword.control.goto.csml`). */
function scopeMatches(scope: string, expected: string): boolean {
  return scope === expected || scope.startsWith(`${expected}.`);
}

/** The scopes of each token overlapping the `occurrence`-th `text` on 1-based `line`. */
function scopesAt(file: Tokenized, line: number, text: string, occurrence = 1): string[][] {
  const content = file.lines[line - 1];
  assert.ok(content !== undefined, `${file.name} has no line ${line}`);
  let index = -1;
  for (let seen = 0; seen < occurrence; seen++) {
    index = content.indexOf(text, index + 1);
    assert.ok(index >= 0, `${file.name}:${line} "${content}" holds no ${occurrence > 1 ? `${occurrence}th ` : ''}"${text}"`);
  }
  const end = index + text.length;
  return file.tokens[line - 1].filter((token) => token.start < end && token.end > index).map((token) => token.scopes);
}

function describeScopes(scopes: string[][]): string {
  return scopes.map((stack) => stack.slice(1).join(' ')).join(' | ');
}

/** Every token covering the text carries `expected` (or a refinement of it). */
function expectScope(file: Tokenized, line: number, text: string, expected: string, occurrence = 1): void {
  const scopes = scopesAt(file, line, text, occurrence);
  const ok = scopes.every((stack) => stack.some((scope) => scopeMatches(scope, expected)));
  assert.ok(ok, `${file.name}:${line} "${text}" should be ${expected}, is ${describeScopes(scopes)}`);
}

/** No token covering the text carries `unexpected` (nor a refinement of it). */
function expectNoScope(file: Tokenized, line: number, text: string, unexpected: string, occurrence = 1): void {
  const scopes = scopesAt(file, line, text, occurrence);
  const bad = scopes.some((stack) => stack.some((scope) => scopeMatches(scope, unexpected)));
  assert.ok(!bad, `${file.name}:${line} "${text}" should not be ${unexpected}, is ${describeScopes(scopes)}`);
}

describe('the CSML grammar', () => {
  let grammar: IGrammar;
  let constructs: Tokenized;
  let decoys: Tokenized;
  let refused: Tokenized;
  const fixture = (name: string) => tokenize(grammar, name, fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

  before(async () => {
    grammar = await loadGrammar();
    constructs = fixture('constructs.csml');
    decoys = fixture('decoys.csml');
    refused = fixture('refused.csml');
  });

  it('is the grammar the manifest contributes for the csml language, and .cmds.csml files are another language', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: {
        languages: { id: string; extensions?: string[]; filenamePatterns?: string[]; configuration?: string }[];
        grammars: { language: string; scopeName: string; path: string }[];
      };
    };
    const { languages, grammars } = manifest.contributes;
    const csml = languages.find((language) => language.id === 'csml');
    assert.deepEqual(csml?.extensions, ['.csml']);
    assert.ok(csml?.configuration && fs.existsSync(path.join(root, csml.configuration)));
    // VS Code prefers a filename pattern to an extension, so these files leave the csml language.
    assert.deepEqual(languages.find((language) => language.id === 'csml-commands')?.filenamePatterns, ['*.cmds.csml']);
    const contributed = grammars.find((entry) => entry.language === 'csml');
    assert.equal(contributed?.scopeName, 'source.csml');
    assert.equal(path.join(root, contributed.path), GRAMMAR);
    const raw = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8')) as { scopeName: string };
    assert.equal(raw.scopeName, 'source.csml');
  });

  it('colours line and block comments, and nothing inside them', () => {
    expectScope(constructs, 1, '/*', 'punctuation.definition.comment.begin');
    expectScope(constructs, 2, 'grammar.test.ts checks', 'comment.block');
    expectScope(constructs, 2, '*/', 'punctuation.definition.comment.end');
    expectScope(decoys, 1, 'goto end, say "x", if (x) {, start:', 'comment.line.double-slash');
    expectNoScope(decoys, 1, 'goto', 'keyword');
    expectScope(decoys, 3, 'not_a_step:', 'comment.block');
    expectNoScope(decoys, 3, 'not_a_step', 'entity.name.function.step');
    expectScope(decoys, 4, 'goto nowhere', 'comment.block');
    expectScope(decoys, 15, '// goto in a trailing comment', 'comment.line.double-slash');
  });

  it('colours double-quoted strings with their escapes, over several lines, and keeps keywords and labels in them as text', () => {
    expectScope(constructs, 21, 'Tab', 'string.quoted.double');
    expectScope(constructs, 21, '\\t', 'constant.character.escape');
    expectScope(constructs, 21, '\\"', 'constant.character.escape');
    expectScope(constructs, 21, '\\\\', 'constant.character.escape');
    expectScope(constructs, 21, ' and backslash ', 'string.quoted.double');
    expectScope(constructs, 70, 'text with goto end inside', 'string.quoted.double');
    expectNoScope(constructs, 70, 'goto', 'keyword');
    expectScope(decoys, 7, 'say goto if else remember: none', 'string.quoted.double');
    expectNoScope(decoys, 7, 'say goto if else remember', 'keyword');
    expectNoScope(decoys, 8, 'start', 'entity.name.function.step');
    expectScope(decoys, 9, 'goto flow Billing', 'string.quoted.double');
    expectNoScope(decoys, 9, 'Billing', 'entity.name.type.flow');
    expectScope(decoys, 10, '// not a comment, /* nor this */', 'string.quoted.double');
    expectNoScope(decoys, 10, '//', 'comment');
  });

  it('colours the inside of {{ }} as an embedded expression, with \\"strings\\" and objects of its own', () => {
    expectScope(constructs, 20, '{{', 'punctuation.section.interpolation.begin');
    expectScope(constructs, 20, '}}', 'punctuation.section.interpolation.end');
    expectScope(constructs, 20, '_memory', 'meta.embedded');
    expectScope(constructs, 20, '_memory', 'variable.language');
    expectScope(constructs, 20, 'name', 'variable.other.property');
    expectScope(constructs, 20, 'event', 'variable.language');
    expectNoScope(constructs, 20, ', you said ', 'meta.embedded');
    expectScope(constructs, 53, 'MAX_TRIES', 'variable.other.readwrite');
    expectScope(constructs, 68, 'inner', 'string.quoted.double.inner');
    expectScope(constructs, 68, 'Length', 'support.function.builtin');
    expectScope(constructs, 68, 'k', 'support.type.property-name');
    expectScope(constructs, 68, '1', 'constant.numeric');
    expectScope(constructs, 68, '{{}}', 'punctuation.section.interpolation');
    expectScope(constructs, 68, '"', 'punctuation.definition.string.end', 6);
    expectScope(constructs, 70, 'count', 'meta.embedded');
    expectScope(decoys, 15, 'goto', 'string.quoted.double.inner');
    expectNoScope(decoys, 15, 'goto', 'keyword');
    expectScope(decoys, 15, ' inside an interpolation is a string', 'string.quoted.double');
    expectNoScope(decoys, 15, ' inside an interpolation is a string', 'meta.embedded');
  });

  it('colours numbers, booleans and null, and never a name that holds digits', () => {
    expectScope(constructs, 22, '1500', 'constant.numeric.integer');
    expectScope(constructs, 39, '3.5', 'constant.numeric.decimal');
    expectScope(constructs, 39, '.5', 'constant.numeric.decimal', 2);
    expectScope(constructs, 39, '-', 'keyword.operator.arithmetic');
    expectScope(constructs, 40, 'true', 'constant.language.boolean');
    expectScope(constructs, 40, 'null', 'constant.language.null');
    expectScope(constructs, 48, 'false', 'constant.language.boolean');
    expectScope(decoys, 18, 'x-1', 'variable.other.readwrite');
    expectNoScope(decoys, 18, '1', 'constant.numeric');
    expectScope(decoys, 18, '2', 'constant.numeric.integer');
  });

  it('colours step labels, the only unquoted name: of CSML, wherever a step may start', () => {
    expectScope(constructs, 19, 'start', 'entity.name.function.step');
    expectScope(constructs, 19, ':', 'punctuation.separator.step');
    expectScope(constructs, 85, 'checkout', 'entity.name.function.step');
    expectScope(constructs, 85, 'say', 'keyword.other.statement');
    expectScope(constructs, 85, 'goto', 'keyword.control.goto');
    expectScope(constructs, 86, 'again', 'entity.name.function.step');
    expectNoScope(constructs, 86, 'later', 'entity.name.function.step');
    expectScope(decoys, 22, 'next', 'entity.name.function.step');
    expectScope(decoys, 12, 'menu', 'support.type.property-name');
    expectNoScope(decoys, 12, 'menu', 'entity.name.function.step');
    expectScope(decoys, 13, 'goto', 'support.type.property-name');
    expectNoScope(decoys, 13, 'goto', 'keyword');
    expectNoScope(constructs, 53, 'careful', 'entity.name.function.step');
    expectNoScope(constructs, 62, '}}: {{', 'entity.name.function.step');
  });

  it('marks unquoted object keys, which the engine refuses, and still finds the next step after a block left open', () => {
    expectScope(refused, 4, 'size', 'invalid.illegal.unquoted-key');
    expectNoScope(refused, 4, 'size', 'entity.name.function.step');
    expectScope(refused, 5, 'extra_cheese', 'invalid.illegal.unquoted-key');
    expectScope(refused, 9, 'next', 'entity.name.function.step');
    expectNoScope(refused, 9, 'next', 'meta.braces');
    expectScope(refused, 10, 'say', 'keyword.other.statement');
  });

  it('colours function declarations with their parameters, in both forms', () => {
    expectScope(constructs, 11, 'fn', 'storage.type.function');
    expectScope(constructs, 11, 'double', 'entity.name.function');
    expectNoScope(constructs, 11, 'double', 'entity.name.function.step');
    expectScope(constructs, 11, 'x', 'variable.parameter');
    expectScope(constructs, 14, 'add', 'entity.name.function');
    expectScope(constructs, 14, 'b', 'variable.parameter');
    expectScope(constructs, 14, '{', 'punctuation.section.braces.begin');
    expectScope(constructs, 12, 'return', 'keyword.control.return');
    expectScope(constructs, 51, 'v', 'variable.parameter');
  });

  it('colours every form of goto, its step targets as labels and its flow targets as types', () => {
    expectScope(constructs, 74, 'goto', 'keyword.control.goto');
    expectScope(constructs, 74, 'step', 'keyword.other.step');
    expectScope(constructs, 74, 'checkout', 'entity.name.label.step');
    expectScope(constructs, 75, 'flow', 'keyword.other.flow');
    expectScope(constructs, 75, 'Billing', 'entity.name.type.flow');
    expectScope(constructs, 76, 'checkout', 'entity.name.label.step');
    expectScope(constructs, 76, '@', 'punctuation.separator.flow');
    expectScope(constructs, 76, 'Billing', 'entity.name.type.flow');
    expectScope(constructs, 77, 'Billing', 'entity.name.type.flow');
    expectScope(constructs, 78, 'checkout', 'entity.name.label.step');
    expectScope(constructs, 79, '$', 'punctuation.definition.variable');
    expectScope(constructs, 79, 'next_step', 'variable.other.readwrite');
    expectNoScope(constructs, 79, 'next_step', 'entity.name.label');
    expectScope(constructs, 80, 'vars', 'variable.other.readwrite');
    expectScope(constructs, 80, 'step', 'variable.other.property', 2);
    expectScope(constructs, 81, 's', 'variable.other.readwrite');
    expectScope(constructs, 81, 'f', 'variable.other.readwrite');
    expectScope(constructs, 82, 'in', 'keyword.other.in', 2);
    expectScope(constructs, 82, 'bot', 'variable.other.readwrite');
    expectScope(constructs, 83, 'end', 'constant.language.end');
    expectScope(constructs, 59, 'end', 'constant.language.end');
    expectScope(decoys, 20, 'next', 'entity.name.label.step');
    expectScope(constructs, 72, 'previous', 'keyword.control.previous');
    expectScope(constructs, 72, 'step', 'keyword.other.step');
    expectScope(constructs, 73, 'flow', 'keyword.other.flow');
  });

  it('colours the control keywords', () => {
    expectScope(constructs, 56, 'if', 'keyword.control.conditional');
    expectScope(constructs, 58, 'else', 'keyword.control.conditional');
    expectScope(constructs, 58, 'if', 'keyword.control.conditional');
    expectScope(constructs, 60, 'foreach', 'keyword.control.loop');
    expectScope(constructs, 60, 'item', 'variable.parameter.loop');
    expectScope(constructs, 60, 'in', 'keyword.other.in');
    expectScope(constructs, 61, 'continue', 'keyword.control.loop');
    expectScope(constructs, 64, 'while', 'keyword.control.loop');
    expectScope(constructs, 66, 'break', 'keyword.control.loop');
    expectScope(constructs, 32, 'hold', 'keyword.control.hold');
    expectScope(constructs, 71, 'hold_secure', 'keyword.control.hold');
  });

  it('colours the statement keywords, and no name that merely starts with one', () => {
    for (const [line, word] of [
      [21, 'say'],
      [33, 'remember'],
      [35, 'forget'],
      [37, 'do'],
      [52, 'debug'],
      [53, 'log'],
      [55, 'use'],
    ] as const)
      expectScope(constructs, line, word, 'keyword.other.statement');
    expectScope(constructs, 36, '*', 'constant.language.wildcard');
    expectScope(constructs, 53, 'warn', 'constant.language.log-level');
    expectScope(constructs, 34, 'as', 'keyword.other.as');
    expectScope(constructs, 50, 'match', 'keyword.operator.match');
    expectScope(constructs, 50, '!match', 'keyword.operator.match');
    expectScope(decoys, 16, 'ifttt', 'variable.other.readwrite');
    for (const name of ['elsewhere', 'hold_on', 'goto_count', 'saying']) {
      expectScope(decoys, 17, name, 'variable.other.readwrite');
      expectNoScope(decoys, 17, name, 'keyword');
    }
  });

  it('colours imports, inserts and constants', () => {
    expectScope(constructs, 3, 'import', 'keyword.control.import');
    expectScope(constructs, 3, 'getWeather', 'entity.name.function');
    expectScope(constructs, 3, 'from', 'keyword.control.from');
    expectScope(constructs, 3, 'utils', 'entity.name.type.flow');
    expectScope(constructs, 4, 'formatPrice', 'entity.name.function');
    expectScope(constructs, 4, 'as', 'keyword.other.as');
    expectScope(constructs, 4, 'price', 'entity.name.function');
    expectScope(constructs, 5, 'modules', 'keyword.other.modules');
    expectScope(constructs, 5, 'buttons', 'entity.name.type.module');
    expectScope(constructs, 6, 'insert', 'keyword.control.insert');
    expectScope(constructs, 6, 'faq', 'entity.name.label.step');
    expectScope(constructs, 7, 'farewell', 'entity.name.label.step');
    expectScope(constructs, 7, 'common', 'entity.name.type.flow');
    expectScope(constructs, 8, 'const', 'storage.type.const');
    expectScope(constructs, 8, 'MAX_TRIES', 'variable.other.constant');
  });

  it('colours the special variables, the built-in components and functions, and other calls', () => {
    expectScope(constructs, 33, 'event', 'variable.language');
    expectScope(constructs, 52, '_metadata', 'variable.language');
    expectScope(constructs, 52, '_context', 'variable.other.property');
    expectScope(constructs, 85, '_env', 'variable.language');
    for (const [line, component] of [
      [21, 'Text'],
      [22, 'Typing'],
      [23, 'Question'],
      [23, 'Button'],
      [24, 'Card'],
      [24, 'Url'],
      [25, 'Carousel'],
      [26, 'Image'],
      [27, 'Video'],
      [28, 'Audio'],
      [29, 'File'],
      [30, 'Wait'],
    ] as const)
      expectScope(constructs, line, component, 'support.class.component');
    expectScope(constructs, 31, 'Component', 'variable.language.component');
    expectScope(constructs, 31, 'PizzaCard', 'support.class.component.custom');
    for (const [line, builtin] of [
      [43, 'HTTP'],
      [44, 'OneOf'],
      [45, 'Floor'],
      [45, 'Random'],
      [46, 'UUID'],
      [47, 'Time'],
      [48, 'Exists'],
      [68, 'Length'],
    ] as const)
      expectScope(constructs, line, builtin, 'support.function.builtin');
    expectScope(constructs, 39, 'add', 'entity.name.function.call');
    expectScope(constructs, 39, 'double', 'entity.name.function.call');
    expectNoScope(constructs, 39, 'add', 'support');
    expectScope(constructs, 43, 'get', 'entity.name.function.member');
    expectScope(constructs, 43, 'send', 'entity.name.function.member');
    expectScope(constructs, 23, 'buttons', 'variable.parameter.named');
    expectScope(constructs, 23, 'payload', 'variable.parameter.named');
    expectScope(constructs, 31, 'size', 'variable.parameter.named');
  });

  it('colours operators and the keys of object literals', () => {
    expectScope(constructs, 38, '+=', 'keyword.operator.assignment.compound');
    expectScope(constructs, 37, '=', 'keyword.operator.assignment');
    expectScope(constructs, 48, '&&', 'keyword.operator.logical');
    expectScope(constructs, 48, '!', 'keyword.operator.logical');
    expectScope(constructs, 48, '>=', 'keyword.operator.comparison');
    expectScope(constructs, 49, '==', 'keyword.operator.comparison');
    expectScope(constructs, 49, '!=', 'keyword.operator.comparison');
    expectScope(constructs, 39, '%', 'keyword.operator.arithmetic');
    expectScope(constructs, 40, 'name', 'support.type.property-name');
    expectScope(constructs, 40, '"name"', 'string.quoted.double');
    expectScope(constructs, 40, 'Ada', 'string.quoted.double');
    expectNoScope(constructs, 40, 'Ada', 'support.type.property-name');
    expectScope(constructs, 40, 'ok', 'support.type.property-name');
    expectScope(constructs, 42, 'age', 'string.quoted.double');
    expectNoScope(constructs, 42, 'age', 'support.type.property-name');
  });

  it('reads the sample bot as valid CSML: each step label a step, nothing marked invalid', () => {
    for (const file of fs.readdirSync(SAMPLE_FLOWS).filter((name) => name.endsWith('.csml') && !name.endsWith('.cmds.csml'))) {
      const flow = tokenize(grammar, file, fs.readFileSync(path.join(SAMPLE_FLOWS, file), 'utf8'));
      let steps = 0;
      flow.lines.forEach((line, index) => {
        const label = /^([A-Za-z_][\w-]*):/.exec(line);
        if (label && !scopesAt(flow, index + 1, label[1])[0].some((scope) => scope.startsWith('comment'))) {
          expectScope(flow, index + 1, label[1], 'entity.name.function.step');
          steps++;
        }
        for (const token of flow.tokens[index]) {
          assert.ok(!token.scopes.some((scope) => scope.startsWith('invalid')), `${file}:${index + 1} "${line}" has an invalid token`);
        }
      });
      assert.ok(steps >= 3, `${file} has ${steps} steps`);
    }
  });
});

describe('the CSML editing rules (language-configuration.json)', () => {
  const configuration = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string; blockComment: [string, string] };
    autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
    folding: { offSide: boolean; markers: { start: string; end: string } };
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string; indentNextLinePattern: string };
    onEnterRules: { beforeText: string; action: { indent: string } }[];
  };

  it('comments with // and /* */, and closes {{ with }} in strings too', () => {
    assert.equal(configuration.comments.lineComment, '//');
    assert.deepEqual(configuration.comments.blockComment, ['/*', '*/']);
    const interpolation = configuration.autoClosingPairs.find((pair) => pair.open === '{{');
    assert.equal(interpolation?.close, '}}');
    assert.ok(!interpolation.notIn?.includes('string'));
    assert.deepEqual(configuration.autoClosingPairs.find((pair) => pair.open === '"')?.notIn, ['string', 'comment']);
  });

  it('takes CSML names, with their dashes and accents, as words', () => {
    const words = (text: string) => text.match(new RegExp(configuration.wordPattern, 'g'));
    assert.deepEqual(words('do x-1 = 2'), ['do', 'x-1', '2']);
    assert.deepEqual(words('goto $étape-2@Billing'), ['goto', 'étape-2', 'Billing']);
    assert.deepEqual(words('do a = -3.5 + .5'), ['do', 'a', '-3.5', '.5']);
    assert.deepEqual(words('say "a\\nb"'), ['say', 'a', 'nb']);
  });

  it('indents after a step label, an open bracket or a function header, and outdents labels and closing brackets', () => {
    const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
    const enterAfterLabel = new RegExp(configuration.onEnterRules[0].beforeText);
    for (const line of [
      'start:',
      'ask_name: // asks',
      'thanks: say "x"',
      '  if (x) {',
      '  say Question(',
      '  do a = [',
      'fn f(x):',
      'fn f(x) {',
    ])
      assert.ok(increase.test(line), `indent after ${line}`);
    for (const line of ['  say "a: b"', '  // note: x', '  do x = {"a": 1}', '  say "{{ x }}"', '  return x'])
      assert.ok(!increase.test(line), `no indent after ${line}`);
    for (const line of ['}', '  ]', '  )', '  next:']) assert.ok(decrease.test(line), `outdent ${line}`);
    for (const line of ['  say "a"', '  "key": 1', '  next: say "x"']) assert.ok(!decrease.test(line), `no outdent for ${line}`);
    assert.ok(enterAfterLabel.test('start:') && !enterAfterLabel.test('  "key":'));
    assert.equal(configuration.onEnterRules[0].action.indent, 'indent');
  });

  it('folds steps by their indentation, keeping the blank line before the next label outside the fold', () => {
    assert.equal(configuration.folding.offSide, true);
    assert.ok(new RegExp(configuration.folding.markers.start).test('  // #region prices'));
    assert.ok(new RegExp(configuration.folding.markers.end).test('// #endregion'));
  });
});
