import type { Credentials } from '../../studio/signing';
import { ContextKey, ContextKeys } from '../contextKeys';

/** A Studio CLI `.env` with a key and a secret, and asking the user about it. */
export interface DotEnvSource<Location> {
  find(): Promise<{ uri: Location; credentials: Credentials } | undefined>;
  /** Whether this workspace was asked already: it is asked once. */
  readonly offered: boolean;
  /** True when the user chose to import. */
  offer(uri: Location): Promise<boolean>;
}

/**
 * Once the window is up and while no credentials are stored: looks for the Studio CLI's `.env`, lets
 * the welcome view offer its import, and asks once per workspace whether to import it.
 */
export class DotEnvOffer<Location> {
  constructor(
    private readonly hasStoredCredentials: () => Promise<boolean>,
    private readonly source: DotEnvSource<Location>,
    private readonly contextKeys: ContextKeys,
    private readonly checkAndStore: (credentials: Credentials) => Promise<unknown>,
  ) {}

  async run(): Promise<void> {
    if (await this.hasStoredCredentials()) return;
    const found = await this.source.find();
    this.contextKeys.set(ContextKey.dotEnvCredentialsFound, found !== undefined);
    if (found && !this.source.offered && (await this.source.offer(found.uri))) await this.checkAndStore(found.credentials);
  }
}
