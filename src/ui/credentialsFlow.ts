import { hasControlCharacters } from '../common/controlCharacters';
import { ProgressLocation, QuickPickItem, ThemeIcon, window } from 'vscode';
import { CredentialStore, profileNameProblem } from '../studio/credentialStore';
import { asStudioError } from '../studio/errors';
import { Bot } from '../studio/schema';
import { Credentials } from '../studio/signing';
import { Logger } from './log';
import { StudioAccess } from './studioAccess';
import { StudioConnection } from '../conversations/studioConnection';

export type CheckOutcome = 'stored' | 'storedUnverified' | 'rejected' | 'cancelled';

/** Asking for, checking and storing the bot's API key and secret. */
export class CredentialsFlow {
  constructor(
    private readonly store: CredentialStore,
    private readonly access: StudioAccess,
    private readonly logger: Logger,
    /** Told which bot answered a successful check, so nobody asks for it again. */
    private readonly onChecked: (cacheKey: string, bot: Bot) => void = () => undefined,
  ) {}

  /**
   * `CSML: Set API Credentials`: key, then secret in a password box, checked before storing in the
   * active profile (or a new one, when `profile` names it).
   */
  async askAndStore(profile?: string): Promise<CheckOutcome> {
    const title = profile === undefined ? 'CSML: Set API Credentials' : `CSML: Add Credentials Profile "${profile}"`;
    const apiKey = await window.showInputBox({
      title: `${title} (1/2)`,
      prompt: "The bot's API key, from CSML Studio (your bot's API channel).",
      placeHolder: 'API key',
      ignoreFocusOut: true,
      validateInput: credentialProblem('key'),
    });
    if (apiKey === undefined) return 'cancelled';
    const apiSecret = await window.showInputBox({
      title: `${title} (2/2)`,
      prompt: "The bot's API secret. It is kept in VS Code's secret storage and never shown again.",
      placeHolder: 'API secret',
      password: true,
      ignoreFocusOut: true,
      validateInput: credentialProblem('secret'),
    });
    if (apiSecret === undefined) return 'cancelled';
    return this.checkAndStore({ apiKey: apiKey.trim(), apiSecret: apiSecret.trim() }, profile);
  }

  /** `CSML: Add Credentials Profile…`: a name, then the key and secret of another bot. */
  async addProfile(): Promise<CheckOutcome> {
    const { names } = await this.store.state();
    const name = await window.showInputBox({
      title: 'CSML: Add Credentials Profile',
      prompt: 'A name for this bot\'s credentials, e.g. "Pizza bot (staging)".',
      ignoreFocusOut: true,
      validateInput: (value) =>
        profileNameProblem(value) ??
        (names.includes(value.trim()) ? `A profile named "${value.trim()}" exists; pick another name.` : undefined),
    });
    if (name === undefined) return 'cancelled';
    return this.askAndStore(name.trim());
  }

  /** `CSML: Switch Credentials Profile…` */
  async switchProfile(): Promise<string | undefined> {
    const { names, active } = await this.store.state();
    type Item = QuickPickItem & { profile?: string };
    const items: Item[] = [
      ...names.map((name) => ({
        label: name,
        profile: name,
        description: name === active ? 'active' : undefined,
        iconPath: new ThemeIcon(name === active ? 'check' : 'key'),
      })),
      { label: 'Add Credentials Profile…', iconPath: new ThemeIcon('add') },
    ];
    const picked = await window.showQuickPick(items, {
      title: 'CSML: Switch Credentials Profile',
      placeHolder: 'The bot whose conversations you want to see',
    });
    if (!picked) return undefined;
    if (picked.profile === undefined) {
      await this.addProfile();
      return (await this.store.state()).active;
    }
    await this.store.switchTo(picked.profile);
    this.logger.info(`switched to profile ${picked.profile}`);
    return picked.profile;
  }

  /** One signed `GET /bot`: rejected credentials are never stored; unreachable ones are, if the user says so. */
  async checkAndStore(credentials: Credentials, profile?: string): Promise<CheckOutcome> {
    let failure: ReturnType<typeof asStudioError> | undefined;
    let bot: Bot | undefined;
    let connection: StudioConnection | undefined;
    try {
      const checking = this.access.connectWith(credentials);
      connection = checking;
      bot = await window.withProgress(
        { location: ProgressLocation.Notification, title: 'Checking the credentials with CSML Studio…', cancellable: true },
        (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return checking.client.getBot(controller.signal);
        },
      );
    } catch (error) {
      failure = asStudioError(error);
    }
    if (bot && connection) {
      this.onChecked(connection.cacheKey, bot);
      await this.store.set(credentials, profile);
      this.logger.info('credentials checked and stored');
      void window.showInformationMessage(
        `CSML Studio accepted the credentials of the bot "${bot.name}"; they are stored in VS Code's secret storage.`,
      );
      return 'stored';
    }
    if (!failure || failure.kind === 'cancelled') return 'cancelled';
    if (failure.kind === 'credentialsRejected') {
      this.logger.warn('credentials rejected; nothing stored');
      const again = 'Enter Them Again';
      const choice = await window.showErrorMessage(`${failure.message} Nothing was stored.`, again);
      return choice === again ? this.askAndStore(profile) : 'rejected';
    }
    const storeAnyway = 'Store Unverified';
    const choice = await window.showWarningMessage(`The credentials could not be checked: ${failure.message}`, storeAnyway);
    if (choice !== storeAnyway) return 'cancelled';
    await this.store.set(credentials, profile);
    this.logger.info('credentials stored without a check');
    return 'storedUnverified';
  }

  /** `CSML: Clear API Credentials`: the active profile's, after a modal question. */
  async clear(): Promise<boolean> {
    const { names, active } = await this.store.state();
    if (active === undefined) {
      void window.showInformationMessage('No CSML Studio credentials are stored.');
      return false;
    }
    const clear = 'Clear Credentials';
    const which = names.length > 1 ? ` of the profile "${active}"` : '';
    const choice = await window.showWarningMessage(
      `Remove the CSML Studio API key and secret${which} from VS Code's secret storage?`,
      { modal: true, detail: 'Look-ups and the status bar stop until you set them again.' },
      clear,
    );
    if (choice !== clear) return false;
    await this.store.clear();
    this.logger.info('credentials cleared');
    return true;
  }
}

function credentialProblem(what: 'key' | 'secret'): (value: string) => string | undefined {
  return (value) => {
    const text = value.trim();
    if (text === '') return `Enter the API ${what}.`;
    if (/\s/.test(text) || hasControlCharacters(text)) return `An API ${what} has no spaces or control characters; paste it again.`;
    if (what === 'key' && text.includes('|')) return 'An API key has no "|" character; paste the key alone.';
    return undefined;
  };
}
