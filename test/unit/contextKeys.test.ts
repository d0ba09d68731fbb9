import * as assert from 'node:assert/strict';
import { ContextKey, ContextKeys } from '../../src/ui/contextKeys';

describe('ContextKeys', () => {
  it('sends the first value of each key, then only changes', () => {
    const sent: [string, unknown][] = [];
    const keys = new ContextKeys((key, value) => sent.push([key, value]));
    keys.set(ContextKey.hasCredentials, false);
    keys.set(ContextKey.hasCredentials, false);
    keys.set(ContextKey.hasProfiles, false);
    keys.set(ContextKey.hasCredentials, true);
    keys.set(ContextKey.hasCredentials, true);
    assert.deepEqual(sent, [
      ['csml.hasCredentials', false],
      ['csml.hasProfiles', false],
      ['csml.hasCredentials', true],
    ]);
  });
});
