import * as assert from 'node:assert/strict';
import { Credentials } from '../../src/studio/signing';
import { ContextKeys } from '../../src/ui/contextKeys';
import { DotEnvOffer } from '../../src/ui/reactions/dotEnvOffer';

const FOUND = { uri: '/bot/.env', credentials: { apiKey: 'k', apiSecret: 's' } };

function setUp(options: { stored: boolean; found?: typeof FOUND; offered?: boolean; accept?: boolean }) {
  const keys: Record<string, unknown> = {};
  const asked: string[] = [];
  const imported: Credentials[] = [];
  const offer = new DotEnvOffer(
    async () => options.stored,
    {
      find: async () => options.found,
      offered: options.offered ?? false,
      offer: async (uri: string) => {
        asked.push(uri);
        return options.accept ?? false;
      },
    },
    new ContextKeys((key, value) => (keys[key] = value)),
    async (credentials) => void imported.push(credentials),
  );
  return { offer, keys, asked, imported };
}

describe('DotEnvOffer', () => {
  it('offers the import once, and checks and stores the credentials when the user accepts', async () => {
    const { offer, keys, asked, imported } = setUp({ stored: false, found: FOUND, accept: true });
    await offer.run();
    assert.deepEqual(keys, { 'csml.dotEnvCredentialsFound': true });
    assert.deepEqual(asked, ['/bot/.env']);
    assert.deepEqual(imported, [FOUND.credentials]);
  });

  it('leaves the welcome view’s import button but does not ask again in a workspace asked before', async () => {
    const { offer, keys, asked, imported } = setUp({ stored: false, found: FOUND, offered: true });
    await offer.run();
    assert.deepEqual(keys, { 'csml.dotEnvCredentialsFound': true });
    assert.deepEqual(asked, []);
    assert.deepEqual(imported, []);
  });

  it('imports nothing when the user declines', async () => {
    const { offer, asked, imported } = setUp({ stored: false, found: FOUND, accept: false });
    await offer.run();
    assert.equal(asked.length, 1);
    assert.deepEqual(imported, []);
  });

  it('looks for nothing while credentials are stored', async () => {
    const { offer, keys, asked } = setUp({ stored: true, found: FOUND, accept: true });
    await offer.run();
    assert.deepEqual(keys, {});
    assert.deepEqual(asked, []);
  });

  it('says no .env was found', async () => {
    const { offer, keys, asked } = setUp({ stored: false });
    await offer.run();
    assert.deepEqual(keys, { 'csml.dotEnvCredentialsFound': false });
    assert.deepEqual(asked, []);
  });
});
