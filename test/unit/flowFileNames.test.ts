import * as assert from 'node:assert/strict';
import { hasControlCharacters } from '../../src/common/controlCharacters';
import { flowFiles } from '../../src/roundtrip/flowFileNames';

/** The reason a lone name is refused for, failing when it is accepted. */
function refusal(name: string): string {
  const { accepted, refused } = flowFiles([name]);
  assert.deepEqual(accepted, [], `${JSON.stringify(name)} was accepted`);
  assert.equal(refused.length, 1);
  assert.equal(refused[0].name, name);
  return refused[0].reason;
}

function acceptedNames(names: readonly string[]): string[] {
  return flowFiles(names).accepted.map((file) => file.name);
}

describe('flowFiles', () => {
  it('names a flow’s two files after it, dots kept, in the order given', () => {
    const { accepted, refused } = flowFiles(['Billing.Legacy', 'Default', 'Ça va', '注文', 'a-b_c 2']);
    assert.deepEqual(refused, []);
    assert.deepEqual(accepted, [
      { name: 'Billing.Legacy', source: 'Billing.Legacy.csml', commands: 'Billing.Legacy.cmds.csml' },
      { name: 'Default', source: 'Default.csml', commands: 'Default.cmds.csml' },
      { name: 'Ça va', source: 'Ça va.csml', commands: 'Ça va.cmds.csml' },
      { name: '注文', source: '注文.csml', commands: '注文.cmds.csml' },
      { name: 'a-b_c 2', source: 'a-b_c 2.csml', commands: 'a-b_c 2.cmds.csml' },
    ]);
  });

  it('refuses empty and blank names', () => {
    assert.match(refusal(''), /empty/);
    assert.match(refusal('   '), /blank/);
    assert.match(refusal('\u3000\t'), /blank/);
  });

  it('refuses names that could leave the flows folder', () => {
    assert.match(refusal('../evil'), /"\/"/);
    assert.match(refusal('a/b'), /"\/"/);
    assert.match(refusal('a\\b'), /"\\"/);
    assert.match(refusal('..'), /"\.\."/);
    assert.match(refusal('a..b'), /"\.\."/);
    assert.match(refusal('..evil'), /"\.\."/);
  });

  it('refuses control characters: NUL, C0, DEL and C1', () => {
    for (const name of ['x\u0000y', 'x\u0007', 'a\nb', 'tab\there', 'x\u001f', 'x\u007f', 'x\u0085', 'x\u009f']) {
      assert.match(refusal(name), /control character/, JSON.stringify(name));
    }
  });

  it('refuses characters Windows forbids in file names, each named', () => {
    for (const char of ['<', '>', ':', '"', '|', '?', '*']) {
      const reason = refusal(`a${char}b`);
      assert.ok(reason.includes(`"${char}"`) && /Windows/.test(reason), reason);
    }
  });

  it('refuses a leading space, and a trailing space or dot', () => {
    assert.match(refusal(' lead'), /starts with a space/);
    assert.match(refusal('trail '), /ends with a space/);
    assert.match(refusal('trailing.'), /ends with a dot/);
    assert.match(refusal('.'), /ends with a dot/);
  });

  it('refuses Windows device names in any case, with or without an extension', () => {
    for (const name of [
      'CON',
      'con',
      'con.txt',
      'Lpt1',
      'PRN',
      'aux',
      'NUL.x.y',
      'COM9',
      'com1.Legacy',
      'LPT¹',
      'COM³',
      'CON .x',
      'conin$',
    ]) {
      assert.match(refusal(name), /device on Windows/, name);
    }
    assert.deepEqual(acceptedNames(['CONTACT', 'Console', 'COM10', 'LPT', 'xCON', 'Auxiliary', 'nul_flow']), [
      'CONTACT',
      'Console',
      'COM10',
      'LPT',
      'xCON',
      'Auxiliary',
      'nul_flow',
    ]);
  });

  it('refuses names longer than 200 UTF-16 units, or whose file name would pass 255 bytes', () => {
    assert.deepEqual(acceptedNames(['a'.repeat(200)]), ['a'.repeat(200)]);
    assert.match(refusal('a'.repeat(201)), /longer than 200/);
    // 😀 is two UTF-16 units, so 101 of them are 202.
    assert.match(refusal('😀'.repeat(101)), /longer than 200/);
    // 82 characters of 3 UTF-8 bytes each: 246 bytes, 256 with `.cmds.csml`.
    assert.deepEqual(acceptedNames(['注'.repeat(81)]), ['注'.repeat(81)]);
    assert.match(refusal('注'.repeat(82)), /255 bytes/);
  });

  it('refuses a name whose file would be read as another flow’s commands, in any case', () => {
    const { accepted, refused } = flowFiles(['X', 'X.cmds', 'Y.CMDS', 'z.Cmds']);
    assert.deepEqual(
      accepted.map((file) => file.name),
      ['X'],
    );
    assert.deepEqual(
      refused.map((flow) => flow.name),
      ['X.cmds', 'Y.CMDS', 'z.Cmds'],
    );
    for (const flow of refused) assert.match(flow.reason, /commands of another flow/);
    assert.deepEqual(acceptedNames(['X.cmdsx', 'cmds', 'X.cmd']), ['X.cmdsx', 'cmds', 'X.cmd']);
  });

  it('refuses every name that differs from another only by case, and keeps the others', () => {
    const { accepted, refused } = flowFiles(['Billing', 'Default', 'billing', 'BILLING']);
    assert.deepEqual(
      accepted.map((file) => file.name),
      ['Default'],
    );
    assert.deepEqual(
      refused.map((flow) => flow.name),
      ['Billing', 'billing', 'BILLING'],
    );
    for (const flow of refused) assert.match(flow.reason, /only by case/);
  });

  it('compares case beyond ASCII, and names equal once normalised', () => {
    assert.deepEqual(acceptedNames(['Été', 'ÉTÉ', 'Other']), ['Other']);
    assert.deepEqual(acceptedNames(['e\u0301', '\u00e9']), []);
    assert.deepEqual(acceptedNames(['E\u0301', '\u00e9']), []);
    assert.deepEqual(acceptedNames(['Straße', 'STRASSE']), []);
    assert.deepEqual(acceptedNames(['Ωmega', 'ωmega']), []);
    assert.deepEqual(acceptedNames(['e\u0301', 'e']), ['e\u0301', 'e']);
  });

  it('refuses every copy of a repeated name, reporting it once', () => {
    const { accepted, refused } = flowFiles(['Dup', 'Other', 'Dup', 'Dup']);
    assert.deepEqual(
      accepted.map((file) => file.name),
      ['Other'],
    );
    assert.deepEqual(refused, [{ name: 'Dup', reason: 'the Studio sent more than one flow with this name' }]);
  });

  it('refuses a name that could not be stored as it is: a lone surrogate', () => {
    assert.match(refusal('a\ud800'), /broken Unicode/);
    assert.match(refusal('\udc00b'), /broken Unicode/);
    assert.deepEqual(acceptedNames(['a😀']), ['a😀']);
  });

  it('takes names that are object keys of JavaScript as plain names', () => {
    const { accepted, refused } = flowFiles(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    assert.deepEqual(refused, []);
    assert.deepEqual(
      accepted.map((file) => file.source),
      ['__proto__.csml', 'constructor.csml', 'toString.csml', 'hasOwnProperty.csml'],
    );
  });

  it('gives reasons that read as a clause after "was not written:"', () => {
    const { refused } = flowFiles([
      '../evil',
      'a/b',
      'a\\b',
      'x\u0000y',
      'x\u0007',
      '',
      '   ',
      'CON',
      'con.txt',
      'Lpt1',
      'trailing.',
      'a:b',
    ]);
    assert.equal(refused.length, 12);
    for (const flow of refused) {
      assert.ok(/^[a-z"]/.test(flow.reason) && !flow.reason.endsWith('.'), flow.reason);
      assert.ok(!hasControlCharacters(flow.reason), 'a reason holds a control character');
    }
  });

  it('refuses names with invisible formatting characters', () => {
    const { accepted, refused } = flowFiles(['Main', 'Ma\u200Bin', 'evil\u202Elmth', 'ok\uFEFF']);
    assert.deepEqual(
      accepted.map((file) => file.name),
      ['Main'],
    );
    assert.deepEqual(
      refused.map((flow) => flow.reason),
      Array(3).fill('its name holds an invisible formatting character'),
    );
  });
});
