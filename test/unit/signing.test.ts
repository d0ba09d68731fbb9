import * as assert from 'node:assert/strict';
import { signRequest } from '../../src/studio/signing';

describe('signRequest', () => {
  it('matches the first known-answer vector of the spec', () => {
    const headers = signRequest({ apiKey: 'my-api-key', apiSecret: 'my-api-secret' }, 1700000000);
    assert.equal(headers['X-Api-Key'], 'my-api-key|1700000000');
    assert.equal(headers['X-Api-Signature'], 'sha256=4b5131500882a595d35ce71a7ea886826e822a8ec2836f0af6c464d84e01b282');
  });

  it('matches the second vector, whose secret is not ASCII (UTF-8 bytes)', () => {
    const headers = signRequest({ apiKey: 'demo-key', apiSecret: 'ünïcødé-sécret' }, 1767225600);
    assert.equal(headers['X-Api-Key'], 'demo-key|1767225600');
    assert.equal(headers['X-Api-Signature'], 'sha256=750455f03d584503c266bd943d01b154df9df9b207cfb2bd4907df9250b90be0');
  });

  it('uses whole seconds, so a fractional clock still signs what the server recomputes', () => {
    const whole = signRequest({ apiKey: 'k', apiSecret: 's' }, 1700000000);
    const fractional = signRequest({ apiKey: 'k', apiSecret: 's' }, 1700000000.987);
    assert.deepEqual(fractional, whole);
  });

  it('signs every second differently and never contains the secret', () => {
    const a = signRequest({ apiKey: 'k', apiSecret: 'the-secret' }, 1);
    const b = signRequest({ apiKey: 'k', apiSecret: 'the-secret' }, 2);
    assert.notEqual(a['X-Api-Signature'], b['X-Api-Signature']);
    assert.ok(!JSON.stringify(a).includes('the-secret'));
  });
});
