import * as assert from 'node:assert/strict';
import { hasControlCharacters, withoutControlCharacters } from '../../src/common/controlCharacters';

describe('control characters', () => {
  it('finds C0, DEL and C1 controls, and nothing in ordinary text', () => {
    for (const text of ['a\tb', 'a\nb', '\u0000', 'x\u007f', 'x\u0085', '\u009f'])
      assert.equal(hasControlCharacters(text), true, JSON.stringify(text));
    for (const text of ['alice', 'Zoë 42', 'a b', '用户', '\u00a0']) assert.equal(hasControlCharacters(text), false, JSON.stringify(text));
  });

  it('turns each run of controls and bidi overrides into one space', () => {
    assert.equal(withoutControlCharacters('bad\r\n\tkey\u202eevil\u2066!'), 'bad key evil !');
    assert.equal(withoutControlCharacters('plain'), 'plain');
  });
});
