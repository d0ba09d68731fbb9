import * as assert from 'node:assert/strict';
import { MAX_USER_ID_LENGTH, rememberRecent, userIdProblem } from '../../src/conversations/userId';

describe('userIdProblem', () => {
  it('rejects empty, blank, too long and control characters', () => {
    assert.match(userIdProblem('') ?? '', /cannot be empty/);
    assert.match(userIdProblem('  \u3000 ') ?? '', /cannot be empty/);
    assert.match(userIdProblem('x'.repeat(MAX_USER_ID_LENGTH + 1)) ?? '', /at most 256/);
    assert.match(userIdProblem('x'.repeat(10_000)) ?? '', /this one has 10000/);
    assert.match(userIdProblem('a\tb') ?? '', /control characters/);
    assert.match(userIdProblem('a\nb') ?? '', /control characters/);
    assert.match(userIdProblem('a\u0085b') ?? '', /control characters/);
  });

  it('accepts ids that only look odd, to be sent exactly as typed', () => {
    for (const id of [
      'alice',
      ' spaced ',
      'x'.repeat(MAX_USER_ID_LENGTH),
      '\u202Eevil',
      '😀 user',
      '../../etc/passwd',
      'https://a.b/?q=1',
      '{"user_id":"x"}',
    ]) {
      assert.equal(userIdProblem(id), undefined, id);
    }
  });
});

describe('rememberRecent', () => {
  it('puts the newest first without duplicates, keeping at most the limit', () => {
    assert.deepEqual(rememberRecent(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
    assert.deepEqual(rememberRecent(['a', 'b', 'c'], 'd', 3), ['d', 'a', 'b']);
  });
});
