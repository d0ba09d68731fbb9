import * as assert from 'node:assert/strict';
import { endpointUrl, isLoopbackHost, parseBaseUrl } from '../../src/studio/baseUrl';
import { StudioError } from '../../src/studio/errors';

function rejects(raw: string, pattern: RegExp): void {
  assert.throws(
    () => parseBaseUrl(raw),
    (error: unknown) => error instanceof StudioError && error.kind === 'invalidBaseUrl' && pattern.test(error.message),
  );
}

describe('parseBaseUrl', () => {
  it('accepts the documented https address and drops a trailing slash', () => {
    assert.equal(parseBaseUrl('https://clients.csml.dev/v1/api/').href, 'https://clients.csml.dev/v1/api');
  });

  it('accepts plain http only to this machine', () => {
    for (const raw of ['http://127.0.0.1:3000/v1/api', 'http://localhost:8080/api', 'http://[::1]:9/x', 'http://127.8.9.10/']) {
      assert.doesNotThrow(() => parseBaseUrl(raw), raw);
    }
    rejects('http://clients.csml.dev/v1/api', /plain http/);
    rejects('http://192.168.1.2/v1/api', /plain http/);
    rejects('http://127.0.0.1.evil.example/v1/api', /plain http/);
  });

  it('rejects what is not an https URL, user info, queries and fragments', () => {
    rejects('clients.csml.dev', /not a URL/);
    rejects('ftp://clients.csml.dev/v1/api', /https/);
    rejects('https://me:pw@clients.csml.dev/v1/api', /user name or password/);
    rejects('https://clients.csml.dev/v1/api?x=1', /query/);
  });

  it('joins endpoint paths after the base path', () => {
    const base = parseBaseUrl('https://clients.csml.dev/v1/api');
    assert.equal(endpointUrl(base, '/conversations/open').href, 'https://clients.csml.dev/v1/api/conversations/open');
  });

  it('knows loopback hosts', () => {
    assert.ok(isLoopbackHost('LOCALHOST'));
    assert.ok(isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('128.0.0.1'));
  });
});
