export interface Run {
  readonly signal: AbortSignal;
  /** Whether no run began after this one: only the latest may show its result. */
  isLatest(): boolean;
}

/**
 * Runs of the same work where only the newest counts: beginning one cancels the one before, and a result that
 * arrives late is recognised as stale even if it could not be cancelled.
 */
export class LatestRun {
  private current: { controller: AbortController; id: number } | undefined;
  private count = 0;

  begin(): Run {
    this.current?.controller.abort();
    const mine = { controller: new AbortController(), id: ++this.count };
    this.current = mine;
    return { signal: mine.controller.signal, isLatest: () => this.current === mine };
  }

  /** Cancels the run under way, if any; its result will not count. */
  cancel(): void {
    this.current?.controller.abort();
    this.current = undefined;
  }
}
