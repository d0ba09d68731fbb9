import type { ProfileState } from '../../studio/credentialStore';
import { ContextKey, ContextKeys } from '../contextKeys';

/** What shows the active credentials profile when there are several. */
export interface ProfileDisplay {
  setProfile(profile: string | undefined): void;
}

/**
 * Keeps what depends on the stored credentials in step with them: the `when` clauses' context keys
 * (welcome view, palette entries) and the profile named in the status bar and the view.
 */
export class CredentialsContext {
  private stored = false;
  private read = false;

  constructor(
    private readonly store: { state(): Promise<ProfileState> },
    private readonly contextKeys: ContextKeys,
    private readonly displays: readonly ProfileDisplay[],
  ) {}

  /** Whether credentials were stored at the last update. */
  get hasCredentials(): boolean {
    return this.stored;
  }

  /** Whether the secrets were read at least once: before that, hasCredentials says nothing yet. */
  get known(): boolean {
    return this.read;
  }

  async update(): Promise<void> {
    const state = await this.store.state();
    this.stored = state.credentials !== undefined;
    this.read = true;
    this.contextKeys.set(ContextKey.hasCredentials, this.stored);
    this.contextKeys.set(ContextKey.hasProfiles, state.names.length > 0);
    const profile = state.names.length > 1 ? state.active : undefined;
    for (const display of this.displays) display.setProfile(profile);
  }
}
