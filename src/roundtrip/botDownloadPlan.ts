import type { StudioClient } from '../studio/client';
import { DownloadPlan, planDownload } from './downloadPlan';
import { withPacedRetry } from '../studio/pacedRetry';
import type { Flow } from '../studio/schema';

export interface DownloadFetchOptions {
  readonly signal?: AbortSignal;
  readonly onWait?: (seconds: number) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** `GET /bot/flows`, through a cache that keeps the answer for the flow rows; the client's own by default. */
  readonly flows?: () => Promise<readonly Flow[]>;
}

/**
 * Everything a download writes, read from the Studio before a single file is touched: a failure on the way
 * leaves the folder as it was.
 */
export async function fetchDownloadPlan(client: StudioClient, options: DownloadFetchOptions = {}): Promise<DownloadPlan> {
  const paced = <T>(request: () => Promise<T>) => withPacedRetry(request, options);
  const bot = await paced(() => client.getBot(options.signal));
  const flows = await paced(options.flows ?? (() => client.getFlows(options.signal)));
  return planDownload(bot, flows);
}
