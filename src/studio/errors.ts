/** Every way a Studio request can fail, each with its own remedy. */
export type StudioErrorKind =
  | 'noCredentials'
  | 'invalidBaseUrl'
  | 'untrustedOrigin'
  | 'credentialsRejected'
  | 'notFound'
  | 'badRequest'
  | 'rateLimited'
  | 'server'
  | 'redirect'
  | 'network'
  | 'timeout'
  | 'tooLarge'
  | 'malformed'
  | 'cancelled';

export interface StudioErrorDetails {
  readonly status?: number;
  /** Seconds the server asked us to wait (429/503). */
  readonly retryAfterSeconds?: number;
  /** Where the request went: origin and path only, never a header. */
  readonly endpoint?: string;
}

/**
 * A failure whose message is one sentence that says what happened and what to do next.
 * Messages are built only from statuses, origins and paths, never from headers, so they are safe
 * to show and to log.
 */
export class StudioError extends Error {
  constructor(
    readonly kind: StudioErrorKind,
    message: string,
    readonly details: StudioErrorDetails = {},
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/** Turns anything thrown into a StudioError without ever exposing a raw stack or object to the user. */
export function asStudioError(value: unknown): StudioError {
  if (value instanceof StudioError) return value;
  const text = value instanceof Error ? value.message : String(value);
  return new StudioError('network', `The request failed unexpectedly (${text.slice(0, 200)}); try again.`);
}
