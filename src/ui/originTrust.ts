import { Memento, window } from 'vscode';
import { readStringList } from '../common/keyValueStore';

const TRUSTED_KEY = 'csml.trustedOrigins';
const DECLINED_KEY = 'csml.declinedOrigins';

/**
 * The user's answer, per origin, to "send signed requests to the Studio address this workspace
 * chose?". A repository's settings are written by its author; credentials follow only a yes.
 */
export class OriginTrust {
  constructor(private readonly state: Memento) {}

  isTrusted(origin: string): boolean {
    return this.list(TRUSTED_KEY).includes(origin);
  }

  isDeclined(origin: string): boolean {
    return this.list(DECLINED_KEY).includes(origin);
  }

  /** Asks once, in a modal dialog, and remembers the answer. */
  async ask(origin: string): Promise<boolean> {
    const trust = 'Trust and Send Requests';
    const answer = await window.showWarningMessage(
      `This workspace sets the CSML Studio address to ${origin}. Send your bot's signed API requests there?`,
      {
        modal: true,
        detail:
          'Signed requests prove your API key for a few minutes. Trust only an address you know runs the CSML Studio API; otherwise remove csml.apiBaseUrl from the workspace settings.',
      },
      trust,
    );
    const trusted = answer === trust;
    await this.remember(origin, trusted);
    return trusted;
  }

  private async remember(origin: string, trusted: boolean): Promise<void> {
    const add = trusted ? TRUSTED_KEY : DECLINED_KEY;
    const remove = trusted ? DECLINED_KEY : TRUSTED_KEY;
    await this.state.update(add, [...this.list(add).filter((o) => o !== origin), origin]);
    await this.state.update(
      remove,
      this.list(remove).filter((o) => o !== origin),
    );
  }

  private list(key: string): string[] {
    return readStringList(this.state, key);
  }
}
