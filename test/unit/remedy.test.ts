import * as assert from 'node:assert/strict';
import { remedyFor } from '../../src/ui/remedy';

describe('remedyFor', () => {
  it('sends credential failures to Set API Credentials and an unconfirmed address to its confirmation', () => {
    assert.equal(remedyFor('noCredentials')?.command, 'csml.setCredentials');
    assert.equal(remedyFor('credentialsRejected')?.command, 'csml.setCredentials');
    assert.equal(remedyFor('untrustedOrigin')?.command, 'csml.confirmApiOrigin');
  });

  it('offers no command where none fixes the failure', () => {
    for (const kind of ['network', 'timeout', 'server', 'rateLimited', 'malformed'] as const)
      assert.equal(remedyFor(kind), undefined, kind);
  });
});
