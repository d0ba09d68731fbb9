/** What holds answers that belong to one set of settings and credentials. */
export interface StartOverTargets {
  /** Drops the kept Studio connection, so the next request reads settings and secrets again. */
  forgetConnection(): void;
  /** Drops the cached list of deployed flows. */
  forgetFlows(): void;
  readonly watch: { reset(): void; refreshAll(): Promise<void> };
  readonly poller: { resetBackoff(): void; pollNow(): Promise<void> };
  /** Reads the Studio address again, which keeps the palette's "Trust the Workspace Studio Address…" current. */
  recheckOrigin(): void;
  /** Whether the Conversations view is on screen: its users are asked again only then. */
  viewVisible(): boolean;
  readonly botName: { refresh(): void };
}

/**
 * The Studio address, the credentials or the trust in a workspace's address changed: every answer shown,
 * the bot's name included, may belong to the old ones, so they are dropped and asked for again.
 */
export class StartOver {
  constructor(private readonly targets: StartOverTargets) {}

  now(): void {
    const { watch, poller, botName } = this.targets;
    this.targets.forgetConnection();
    this.targets.forgetFlows();
    watch.reset();
    poller.resetBackoff();
    this.targets.recheckOrigin();
    void poller.pollNow();
    if (this.targets.viewVisible()) void watch.refreshAll();
    botName.refresh();
  }
}
