import { TreeView, workspace } from 'vscode';
import { parseBotJson } from '../csml/botWorkspace';
import { Bot } from '../studio/schema';
import { BotNameDisplay } from './reactions/botName';

/**
 * Shows which bot the stored credentials belong to in the view's description, and warns when the
 * folder's `bot.json` names another bot: credentials of the wrong bot are a classic mistake.
 */
export class BotIdentity implements BotNameDisplay {
  private bot: Bot | undefined;
  private profile: string | undefined;
  private localName: Promise<string | undefined> | undefined;

  constructor(private readonly view: TreeView<unknown>) {}

  /** The active credentials profile, shown next to the bot's name when there are several. */
  setProfile(profile: string | undefined): void {
    this.profile = profile;
    if (this.bot) this.view.description = this.describe(this.bot);
  }

  private describe(bot: Bot): string {
    return this.profile ? `${bot.name} · ${this.profile}` : bot.name;
  }

  forget(): void {
    this.bot = undefined;
    this.localName = undefined;
    this.view.description = undefined;
    this.view.message = undefined;
  }

  async show(bot: Bot): Promise<void> {
    this.bot = bot;
    this.localName ??= this.readLocalName();
    const local = await this.localName;
    if (this.bot !== bot) return;
    this.view.description = this.describe(bot);
    this.view.message =
      local !== undefined && local.trim().toLowerCase() !== bot.name.trim().toLowerCase()
        ? `The credentials are those of the bot "${bot.name}", but this folder's bot.json is "${local}": set the credentials of this folder's bot.`
        : undefined;
  }

  private async readLocalName(): Promise<string | undefined> {
    const [file] = await workspace.findFiles('**/bot.json', '**/node_modules/**', 1);
    if (!file) return undefined;
    try {
      return parseBotJson(new TextDecoder().decode(await workspace.fs.readFile(file)))?.name;
    } catch {
      return undefined;
    }
  }
}
