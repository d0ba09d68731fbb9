import { StudioClient } from '../studio/client';

/** A client for the Studio in effect now, and the identity of its cache (base URL and key). */
export interface StudioConnection {
  readonly client: StudioClient;
  readonly cacheKey: string;
}

/**
 * Builds a connection from the current settings and secrets, or throws a StudioError that says
 * what is missing (credentials, a valid base URL, the user's confirmation of a workspace origin).
 */
export type ConnectToStudio = () => Promise<StudioConnection>;
