import * as assert from 'node:assert/strict';
import { CHANGE_SETTLE_MS, CredentialStore } from '../../src/studio/credentialStore';
import { ContextKeys } from '../../src/ui/contextKeys';
import { CredentialsContext } from '../../src/ui/reactions/credentialsContext';
import { FakeSecretStorage } from '../support/fakeSecretStorage';

describe('CredentialsContext', () => {
  function setUp() {
    const store = new CredentialStore(new FakeSecretStorage());
    const keys: Record<string, unknown> = {};
    const profiles: (string | undefined)[] = [];
    const context = new CredentialsContext(store, new ContextKeys((key, value) => (keys[key] = value)), [
      { setProfile: (profile) => void profiles.push(profile) },
    ]);
    return { store, keys, profiles, context };
  }

  it('says there are no credentials and no profiles on a fresh install', async () => {
    const { keys, profiles, context } = setUp();
    await context.update();
    assert.equal(context.hasCredentials, false);
    assert.deepEqual(keys, { 'csml.hasCredentials': false, 'csml.hasProfiles': false });
    assert.deepEqual(profiles, [undefined]);
  });

  it('follows stored credentials, and names the active profile only when there are several', async () => {
    const { store, keys, profiles, context } = setUp();
    await store.set({ apiKey: 'k1', apiSecret: 's1' });
    await context.update();
    assert.equal(context.hasCredentials, true);
    assert.deepEqual(keys, { 'csml.hasCredentials': true, 'csml.hasProfiles': true });
    assert.equal(profiles.at(-1), undefined);
    await store.set({ apiKey: 'k2', apiSecret: 's2' }, 'staging');
    await context.update();
    assert.equal(profiles.at(-1), 'staging');
    await store.clear();
    await new Promise((resolve) => setTimeout(resolve, CHANGE_SETTLE_MS * 3));
    await context.update();
    assert.equal(profiles.at(-1), undefined);
    assert.equal(context.hasCredentials, true, 'the remaining profile becomes active');
    store.dispose();
  });
});
