import * as assert from 'node:assert/strict';
import { asciiLower } from '../../src/csml/names';

describe('asciiLower', () => {
  it('lower-cases A to Z only, as the engine compares names', () => {
    assert.equal(asciiLower('GoTo'), 'goto');
    assert.equal(asciiLower('already_lower'), 'already_lower');
    // Letters beyond ASCII keep their case, even beside ASCII capitals.
    assert.equal(asciiLower('ÉTAPE'), 'Étape');
    assert.equal(asciiLower('İSTANBUL'), 'İstanbul');
  });
});
