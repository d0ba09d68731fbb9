import type { ConnectToStudio } from '../../conversations/studioConnection';
import type { Bot } from '../../studio/schema';

/** Where the bot's name is shown (the Conversations view's description). */
export interface BotNameDisplay {
  show(bot: Bot): Promise<void>;
  forget(): void;
}

/**
 * Names the bot the credentials belong to, with one `GET /bot` per connection, and only while the view
 * is on screen. The credentials check already fetched the bot: that answer is used, not asked again.
 */
export class BotName {
  private named = false;
  private learnt: { cacheKey: string; bot: Bot } | undefined;
  private pending: Promise<void> | undefined;
  /** Bumped by refresh(): an answer for an older connection is not shown. */
  private generation = 0;

  constructor(
    private readonly connect: ConnectToStudio,
    private readonly display: BotNameDisplay,
    private readonly viewVisible: () => boolean,
  ) {}

  /** The bot that answered a credentials check on the connection `cacheKey`. */
  learn(cacheKey: string, bot: Bot): void {
    this.learnt = { cacheKey, bot };
  }

  /** The connection changed: forget the name shown, and show the new one if the view is there. */
  refresh(): void {
    this.named = false;
    this.pending = undefined;
    this.generation++;
    this.display.forget();
    if (this.viewVisible()) void this.show();
  }

  /** The view came on screen: name the bot if that has not been done for this connection. */
  viewShown(): void {
    if (!this.named) void this.show();
  }

  /** Resolves once the name is shown, or once showing it failed (the users' rows say why). */
  show(): Promise<void> {
    this.pending ??= this.fetchAndShow();
    return this.pending;
  }

  private async fetchAndShow(): Promise<void> {
    const generation = this.generation;
    try {
      const connection = await this.connect();
      // A checked bot is used once, right after its check: later, the Studio is asked.
      const learnt = this.learnt?.cacheKey === connection.cacheKey ? this.learnt.bot : undefined;
      if (learnt) this.learnt = undefined;
      const bot = learnt ?? (await connection.client.getBot());
      if (generation !== this.generation) return; // refreshed meanwhile: this answer is for the old connection
      this.named = true;
      await this.display.show(bot);
    } catch {
      // The users' rows already say what is wrong with the connection; a later look asks again.
      if (generation === this.generation) this.pending = undefined;
    }
  }
}
