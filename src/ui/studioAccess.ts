import { ConnectToStudio, keptConnection, StudioConnection } from '../conversations/studioConnection';
import { parseBaseUrl } from '../studio/baseUrl';
import { StudioClient } from '../studio/client';
import { CredentialStore } from '../studio/credentialStore';
import { StudioError } from '../studio/errors';
import { Fetch } from '../studio/http';
import { pacerFor } from '../studio/requestPacer';
import { Credentials } from '../studio/signing';
import { Logger } from './log';
import { OriginTrust } from './originTrust';
import * as settings from './settings';

/** Builds Studio clients from the settings and secrets in effect, refusing where credentials must not go. */
export class StudioAccess {
  /**
   * @param onOriginChecked told, each time the address in use is read (whenever a connection is built or
   *   asked for), which origin chosen by the workspace still waits for the user's yes (undefined when none does).
   */
  constructor(
    private readonly credentials: CredentialStore,
    private readonly trust: OriginTrust,
    private readonly fetch: Fetch,
    private readonly logger: Logger,
    private readonly onOriginChecked: (awaiting: string | undefined) => void = () => undefined,
  ) {}

  private readonly kept = keptConnection(() => this.build());

  /** The connection for the settings and secrets in effect, built at the first request and kept until forget(). */
  readonly connect: ConnectToStudio = this.kept.connect;

  /** Settings, credentials or trust changed: the next request builds its connection afresh. */
  forget(): void {
    this.kept.forget();
  }

  private async build(): Promise<StudioConnection> {
    const credentials = await this.credentials.get();
    if (!credentials) {
      // Nothing is sent, but the palette should still offer to trust the address, for when there is.
      this.originAwaitingConfirmation();
      throw new StudioError(
        'noCredentials',
        'No API credentials are stored yet; run "CSML: Set API Credentials" to add your bot\'s key and secret.',
      );
    }
    return this.connectWith(credentials);
  }

  /** A client for given credentials (used to check new ones before storing them). */
  connectWith(credentials: Credentials): StudioConnection {
    const baseUrl = this.baseUrl();
    const client = new StudioClient({
      baseUrl,
      credentials,
      fetch: this.fetch,
      timeoutMs: settings.requestTimeoutMs(),
      onRequest: (record) => this.logger.request(record),
      // One pacer per key and address, kept across rebuilt clients: polling, chat and deploy share its budget.
      pacer: pacerFor(credentials.apiKey, baseUrl.href),
    });
    return { client, cacheKey: `${baseUrl.href}\n${credentials.apiKey}` };
  }

  /** The origin a workspace chose that still waits for the user's yes, if any. */
  originAwaitingConfirmation(): string | undefined {
    try {
      return this.checkAddress().awaiting;
    } catch {
      return undefined;
    }
  }

  private baseUrl(): URL {
    const { url, awaiting } = this.checkAddress();
    if (awaiting) {
      const declined = this.trust.isDeclined(awaiting) ? 'You declined it earlier' : 'Nothing is sent there until you confirm it';
      throw new StudioError(
        'untrustedOrigin',
        `This workspace sets csml.apiBaseUrl to ${awaiting}. ${declined}: run "CSML: Trust the Workspace Studio Address…" or remove the setting from the workspace.`,
      );
    }
    return url;
  }

  /** The address in use, and its origin if the workspace chose it and the user has not said yes. Throws when it is not a URL. */
  private checkAddress(): { url: URL; awaiting?: string } {
    const setting = settings.apiBaseUrl();
    let awaiting: string | undefined;
    try {
      const url = parseBaseUrl(setting.value);
      awaiting = setting.fromWorkspace && !this.trust.isTrusted(url.origin) ? url.origin : undefined;
      return { url, awaiting };
    } finally {
      this.onOriginChecked(awaiting);
    }
  }
}
