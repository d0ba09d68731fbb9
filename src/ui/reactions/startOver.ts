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
 * Settings, credentials or trust changed: every answer shown may belong to the old ones, so they are
 * dropped and asked for again.
 */
export class StartOver {
  constructor(private readonly targets: StartOverTargets) {}

  /** The address, the key or the trust in the address changed. */
  now(): void {
    const { watch, poller } = this.targets;
    this.targets.forgetConnection();
    this.targets.forgetFlows();
    watch.reset();
    poller.resetBackoff();
    this.targets.recheckOrigin();
    void poller.pollNow();
    if (this.targets.viewVisible()) void watch.refreshAll();
  }

  /** The bot itself may have changed too (other credentials or another Studio): its name is asked again. */
  withAnotherBot(): void {
    this.now();
    this.targets.botName.refresh();
  }
}
