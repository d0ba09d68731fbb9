/** The context keys the manifest's `when` clauses read, named once. */
export const ContextKey = {
  hasCredentials: 'csml.hasCredentials',
  hasProfiles: 'csml.hasProfiles',
  dotEnvCredentialsFound: 'csml.dotEnvCredentialsFound',
  originAwaitingConfirmation: 'csml.originAwaitingConfirmation',
} as const;

export type ContextKeyName = (typeof ContextKey)[keyof typeof ContextKey];

/**
 * Sends context keys to the workbench, each only when its value changes: every send is a round trip.
 * The first value is always sent, as the workbench may keep one from before an extension host restart.
 */
export class ContextKeys {
  private readonly sent = new Map<ContextKeyName, unknown>();

  constructor(private readonly send: (key: ContextKeyName, value: unknown) => void) {}

  set(key: ContextKeyName, value: boolean): void {
    if (this.sent.has(key) && this.sent.get(key) === value) return;
    this.sent.set(key, value);
    this.send(key, value);
  }
}
