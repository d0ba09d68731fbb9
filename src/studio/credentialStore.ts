import { hasControlCharacters } from '../common/controlCharacters';
import { Emitter, Event } from '../common/emitter';
import { Credentials } from './signing';

/** The part of vscode.SecretStorage the store uses, so it can be tested with an in-memory fake. */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (event: { key: string }) => unknown): { dispose(): unknown };
}

/** Where credentials lived before profiles: read once, moved into the "default" profile. */
export const LEGACY_API_KEY = 'csml.apiKey';
export const LEGACY_API_SECRET = 'csml.apiSecret';
/** The profile names and the active one: not secret, but kept here so every window sees changes. */
export const PROFILES_KEY = 'csml.profiles';
export const DEFAULT_PROFILE = 'default';
const PROFILE_PREFIX = 'csml.profile:';
export const CHANGE_SETTLE_MS = 20;

interface ProfileIndex {
  readonly names: readonly string[];
  readonly active?: string;
}

export interface ProfileState {
  readonly names: readonly string[];
  readonly active?: string;
  readonly credentials?: Credentials;
}

/**
 * Named sets of a bot's API key and secret, kept only in SecretStorage, one of them active.
 * Reads are cached; the cache is dropped whenever SecretStorage reports a change to one of these
 * keys, including a change made by another window.
 */
export class CredentialStore {
  private cached: Promise<ProfileState> | undefined;
  private pendingFire: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new Emitter<void>();
  private readonly subscription: { dispose(): unknown };
  readonly onDidChange: Event<void> = this.changed.event;

  constructor(private readonly backend: SecretBackend) {
    this.subscription = backend.onDidChange((event) => {
      if (!isOurs(event.key)) return;
      this.cached = undefined;
      // One change writes several keys: tell listeners once, after the burst.
      if (this.pendingFire) clearTimeout(this.pendingFire);
      this.pendingFire = setTimeout(() => {
        this.pendingFire = undefined;
        this.cached = undefined;
        this.changed.fire();
      }, CHANGE_SETTLE_MS);
    });
  }

  /** The active profile's credentials. */
  async get(): Promise<Credentials | undefined> {
    return (await this.state()).credentials;
  }

  state(): Promise<ProfileState> {
    this.cached ??= this.read();
    return this.cached;
  }

  /** Stores credentials under a profile (the active one, or "default") and makes it active. */
  async set(credentials: Credentials, profile?: string): Promise<void> {
    const index = await this.index();
    const name = profileNameProblem(profile ?? '') === undefined ? (profile as string) : (index.active ?? DEFAULT_PROFILE);
    await this.backend.store(PROFILE_PREFIX + name, JSON.stringify({ apiKey: credentials.apiKey, apiSecret: credentials.apiSecret }));
    await this.writeIndex({ names: index.names.includes(name) ? index.names : [...index.names, name], active: name });
  }

  async switchTo(profile: string): Promise<boolean> {
    const index = await this.index();
    if (!index.names.includes(profile)) return false;
    await this.writeIndex({ ...index, active: profile });
    return true;
  }

  /** Removes the active profile (or the one named); another one, if any, becomes active. */
  async clear(profile?: string): Promise<void> {
    const index = await this.index();
    const name = profile ?? index.active;
    if (name === undefined) return;
    await this.backend.delete(PROFILE_PREFIX + name);
    const names = index.names.filter((n) => n !== name);
    await this.writeIndex({ names, active: index.active === name ? names[0] : index.active });
  }

  dispose(): void {
    if (this.pendingFire) clearTimeout(this.pendingFire);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(): Promise<ProfileState> {
    const index = await this.index();
    if (index.active === undefined) return { names: index.names };
    const credentials = parseCredentials(await this.backend.get(PROFILE_PREFIX + index.active));
    return { names: index.names, active: index.active, credentials };
  }

  /** The profile index, moving credentials stored before profiles existed into "default" first. */
  private async index(): Promise<ProfileIndex> {
    const stored = parseIndex(await this.backend.get(PROFILES_KEY));
    if (stored) return stored;
    const [apiKey, apiSecret] = await Promise.all([this.backend.get(LEGACY_API_KEY), this.backend.get(LEGACY_API_SECRET)]);
    if (!apiKey || !apiSecret) return { names: [] };
    await this.backend.store(PROFILE_PREFIX + DEFAULT_PROFILE, JSON.stringify({ apiKey, apiSecret }));
    const migrated = { names: [DEFAULT_PROFILE], active: DEFAULT_PROFILE };
    await this.writeIndex(migrated);
    await this.backend.delete(LEGACY_API_KEY);
    await this.backend.delete(LEGACY_API_SECRET);
    return migrated;
  }

  private async writeIndex(index: ProfileIndex): Promise<void> {
    this.cached = undefined;
    await this.backend.store(PROFILES_KEY, JSON.stringify(index));
    this.cached = undefined;
  }
}

/** Why a profile name cannot be used, or undefined. */
export function profileNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter a name for the profile.';
  if (name.length > 64) return 'A profile name has at most 64 characters.';
  if (hasControlCharacters(name)) return 'A profile name cannot contain control characters.';
  return undefined;
}

function isOurs(key: string): boolean {
  return key === PROFILES_KEY || key === LEGACY_API_KEY || key === LEGACY_API_SECRET || key.startsWith(PROFILE_PREFIX);
}

function parseIndex(text: string | undefined): ProfileIndex | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { names?: unknown; active?: unknown };
    const names = Array.isArray(value.names) ? value.names.filter((n): n is string => typeof n === 'string') : [];
    const active = typeof value.active === 'string' && names.includes(value.active) ? value.active : undefined;
    return { names, active };
  } catch {
    return undefined;
  }
}

function parseCredentials(text: string | undefined): Credentials | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { apiKey?: unknown; apiSecret?: unknown };
    return typeof value.apiKey === 'string' && value.apiKey && typeof value.apiSecret === 'string' && value.apiSecret
      ? { apiKey: value.apiKey, apiSecret: value.apiSecret }
      : undefined;
  } catch {
    return undefined;
  }
}
