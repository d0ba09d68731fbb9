import * as assert from 'node:assert/strict';
import { API_KEY_SECRET, API_SECRET_SECRET, CredentialStore, SecretBackend } from '../../src/studio/credentialStore';

/** SecretStorage as VS Code shares it between windows: one map, change events to every listener. */
class FakeSecretStorage implements SecretBackend {
  readonly values = new Map<string, string>();
  private readonly listeners = new Set<(event: { key: string }) => unknown>();
  reads = 0;

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.emit(key);
  }
  async delete(key: string): Promise<void> {
    if (this.values.delete(key)) this.emit(key);
  }
  onDidChange(listener: (event: { key: string }) => unknown) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  emit(key: string): void {
    for (const listener of this.listeners) listener({ key });
  }
}

describe('CredentialStore', () => {
  it('stores both values under their own keys and reads them back', async () => {
    const secrets = new FakeSecretStorage();
    const store = new CredentialStore(secrets);
    assert.equal(await store.get(), undefined);
    await store.set({ apiKey: 'key-1', apiSecret: 'secret-1' });
    assert.deepEqual(await store.get(), { apiKey: 'key-1', apiSecret: 'secret-1' });
    assert.equal(secrets.values.get(API_KEY_SECRET), 'key-1');
    assert.equal(secrets.values.get(API_SECRET_SECRET), 'secret-1');
  });

  it('needs both halves', async () => {
    const secrets = new FakeSecretStorage();
    secrets.values.set(API_KEY_SECRET, 'only-key');
    assert.equal(await new CredentialStore(secrets).get(), undefined);
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
  });

  it('sees a change made by another window, and tells its listeners', async () => {
    const shared = new FakeSecretStorage();
    const thisWindow = new CredentialStore(shared);
    const otherWindow = new CredentialStore(shared);
    await thisWindow.set({ apiKey: 'old', apiSecret: 'old-secret' });
    assert.equal((await thisWindow.get())?.apiKey, 'old');
    let changes = 0;
    thisWindow.onDidChange(() => changes++);
    await otherWindow.set({ apiKey: 'new', apiSecret: 'new-secret' });
    assert.ok(changes >= 1);
    assert.deepEqual(await thisWindow.get(), { apiKey: 'new', apiSecret: 'new-secret' });
    await otherWindow.clear();
    assert.equal(await thisWindow.get(), undefined);
  });

  it('stops listening when disposed', async () => {
    const shared = new FakeSecretStorage();
    const store = new CredentialStore(shared);
    let changes = 0;
    store.onDidChange(() => changes++);
    store.dispose();
    await new CredentialStore(shared).set({ apiKey: 'a', apiSecret: 'b' });
    assert.equal(changes, 0);
  });
});
