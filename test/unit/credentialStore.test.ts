import * as assert from 'node:assert/strict';
import {
  CHANGE_SETTLE_MS,
  CredentialStore,
  DEFAULT_PROFILE,
  LEGACY_API_KEY,
  LEGACY_API_SECRET,
  PROFILES_KEY,
} from '../../src/studio/credentialStore';
import { FakeSecretStorage } from '../support/fakeSecretStorage';

const settled = () => new Promise((resolve) => setTimeout(resolve, CHANGE_SETTLE_MS * 3));

describe('CredentialStore', () => {
  it('stores credentials in the "default" profile and reads them back', async () => {
    const secrets = new FakeSecretStorage();
    const store = new CredentialStore(secrets);
    assert.equal(await store.get(), undefined);
    await store.set({ apiKey: 'key-1', apiSecret: 'secret-1' });
    assert.deepEqual(await store.get(), { apiKey: 'key-1', apiSecret: 'secret-1' });
    assert.deepEqual(await store.state(), {
      names: [DEFAULT_PROFILE],
      active: DEFAULT_PROFILE,
      credentials: { apiKey: 'key-1', apiSecret: 'secret-1' },
    });
    assert.ok(!secrets.values.get(PROFILES_KEY)?.includes('secret-1'), 'the profile index must not hold secrets');
    store.dispose();
  });

  it('moves credentials stored before profiles existed into the "default" profile', async () => {
    const secrets = new FakeSecretStorage();
    secrets.values.set(LEGACY_API_KEY, 'old-key');
    secrets.values.set(LEGACY_API_SECRET, 'old-secret');
    const store = new CredentialStore(secrets);
    assert.deepEqual(await store.get(), { apiKey: 'old-key', apiSecret: 'old-secret' });
    assert.equal((await store.state()).active, DEFAULT_PROFILE);
    assert.equal(secrets.values.has(LEGACY_API_KEY), false);
    assert.equal(secrets.values.has(LEGACY_API_SECRET), false);
    store.dispose();
  });

  it('ignores half of an old pair', async () => {
    const secrets = new FakeSecretStorage();
    secrets.values.set(LEGACY_API_KEY, 'only-key');
    const store = new CredentialStore(secrets);
    assert.equal(await store.get(), undefined);
    store.dispose();
  });

  it('keeps several named profiles and switches between them', async () => {
    const store = new CredentialStore(new FakeSecretStorage());
    await store.set({ apiKey: 'pizza-key', apiSecret: 'pizza-secret' }, 'Pizza bot');
    await store.set({ apiKey: 'bank-key', apiSecret: 'bank-secret' }, 'Bank bot');
    assert.deepEqual((await store.state()).names, ['Pizza bot', 'Bank bot']);
    assert.equal((await store.get())?.apiKey, 'bank-key');
    assert.equal(await store.switchTo('Pizza bot'), true);
    assert.equal((await store.get())?.apiKey, 'pizza-key');
    assert.equal(await store.switchTo('nope'), false);
    await store.clear();
    assert.deepEqual(await store.state(), {
      names: ['Bank bot'],
      active: 'Bank bot',
      credentials: { apiKey: 'bank-key', apiSecret: 'bank-secret' },
    });
    await store.clear();
    assert.deepEqual(await store.state(), { names: [] });
    store.dispose();
  });

  it('caches reads until SecretStorage reports a change to one of its keys', async () => {
    const secrets = new FakeSecretStorage();
    const store = new CredentialStore(secrets);
    await store.set({ apiKey: 'k', apiSecret: 's' });
    await store.get();
    const reads = secrets.reads;
    await store.get();
    assert.equal(secrets.reads, reads);
    secrets.emit('someone.else');
    await store.get();
    assert.equal(secrets.reads, reads);
    store.dispose();
  });

  it('sees a change made by another window, and tells its listeners once per change', async () => {
    const shared = new FakeSecretStorage();
    const thisWindow = new CredentialStore(shared);
    const otherWindow = new CredentialStore(shared);
    await thisWindow.set({ apiKey: 'old', apiSecret: 'old-secret' });
    assert.equal((await thisWindow.get())?.apiKey, 'old');
    await settled();
    let changes = 0;
    thisWindow.onDidChange(() => changes++);
    await otherWindow.set({ apiKey: 'new', apiSecret: 'new-secret' });
    await settled();
    assert.equal(changes, 1);
    assert.deepEqual(await thisWindow.get(), { apiKey: 'new', apiSecret: 'new-secret' });
    await otherWindow.clear();
    assert.equal(await thisWindow.get(), undefined);
    thisWindow.dispose();
    otherWindow.dispose();
  });

  it('stops listening when disposed', async () => {
    const shared = new FakeSecretStorage();
    const store = new CredentialStore(shared);
    let changes = 0;
    store.onDidChange(() => changes++);
    store.dispose();
    const other = new CredentialStore(shared);
    await other.set({ apiKey: 'a', apiSecret: 'b' });
    await settled();
    assert.equal(changes, 0);
    other.dispose();
  });
});
