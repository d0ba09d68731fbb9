/** The part of vscode.Memento that the layers below the UI use, so they can be tested with a Map. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A list of strings kept under `key`; anything else a store holds there (an older format, a hand edit) reads as empty. */
export function readStringList(store: KeyValueStore, key: string): string[] {
  const value = store.get<unknown>(key);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
