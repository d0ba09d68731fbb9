import { SecretBackend } from '../../src/studio/credentialStore';

/** SecretStorage as VS Code shares it between windows: one map, change events to every listener. */
export class FakeSecretStorage implements SecretBackend {
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
