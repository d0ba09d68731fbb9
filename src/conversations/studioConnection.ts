import { retryingOnce } from '../common/retryingOnce';
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

/**
 * Builds the connection once and hands out the same one until forget(): polling then reads no setting
 * and no secret. A refusal is not kept, so the next call asks again.
 */
export function keptConnection(build: ConnectToStudio): { readonly connect: ConnectToStudio; forget(): void } {
  const kept = retryingOnce(build);
  return { connect: kept.run, forget: kept.forget };
}
