import { parseBaseUrl } from '../src/studio/baseUrl';
import { StudioClient } from '../src/studio/client';
import { createNodeFetch } from '../src/studio/nodeFetchTransport';
import { RequestPacer } from '../src/studio/requestPacer';
import { StudioEmulator, StudioFlow } from '../test/emulator/studioEmulator';

const CREDENTIALS = { apiKey: 'bench-key', apiSecret: 'bench-secret' };

/**
 * The emulator with these flows, answering every request after `latencyMs`, and a client of the production
 * transport through one request pacer, as every request of a key goes in the extension. `use` gets both.
 */
export async function withPacedStudio<T>(
  flows: StudioFlow[],
  latencyMs: number,
  use: (emulator: StudioEmulator, client: StudioClient) => Promise<T>,
): Promise<T> {
  const emulator = new StudioEmulator({ ...CREDENTIALS, flows, latencyMs });
  await emulator.start();
  const transport = createNodeFetch();
  try {
    const client = new StudioClient({
      baseUrl: parseBaseUrl(emulator.baseUrl),
      credentials: CREDENTIALS,
      fetch: transport.fetch,
      timeoutMs: 10_000,
      pacer: new RequestPacer(),
    });
    return await use(emulator, client);
  } finally {
    transport.dispose();
    await emulator.stop();
  }
}
