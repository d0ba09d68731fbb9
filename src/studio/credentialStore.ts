import { Emitter, Event } from '../common/emitter';
import { Credentials } from './signing';

/** The part of vscode.SecretStorage the store uses, so it can be tested with an in-memory fake. */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (event: { key: string }) => unknown): { dispose(): unknown };
}

export const API_KEY_SECRET = 'csml.apiKey';
export const API_SECRET_SECRET = 'csml.apiSecret';
const OUR_KEYS = new Set([API_KEY_SECRET, API_SECRET_SECRET]);

/**
 * The bot's API key and secret, kept only in SecretStorage. Reads are cached; the cache is dropped
 * whenever SecretStorage reports a change, including one made by another window.
 */
export class CredentialStore {
  private cached: Promise<Credentials | undefined> | undefined;
  private readonly changed = new Emitter<void>();
  private readonly subscription: { dispose(): unknown };
  readonly onDidChange: Event<void> = this.changed.event;

  constructor(private readonly backend: SecretBackend) {
    this.subscription = backend.onDidChange((event) => {
      if (!OUR_KEYS.has(event.key)) return;
      this.cached = undefined;
      this.changed.fire();
    });
  }

  get(): Promise<Credentials | undefined> {
    this.cached ??= this.read();
    return this.cached;
  }

  async set(credentials: Credentials): Promise<void> {
    this.cached = undefined;
    await this.backend.store(API_KEY_SECRET, credentials.apiKey);
    await this.backend.store(API_SECRET_SECRET, credentials.apiSecret);
    this.cached = undefined;
  }

  async clear(): Promise<void> {
    this.cached = undefined;
    await this.backend.delete(API_KEY_SECRET);
    await this.backend.delete(API_SECRET_SECRET);
    this.cached = undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(): Promise<Credentials | undefined> {
    const [apiKey, apiSecret] = await Promise.all([this.backend.get(API_KEY_SECRET), this.backend.get(API_SECRET_SECRET)]);
    return apiKey && apiSecret ? { apiKey, apiSecret } : undefined;
  }
}
