import { parseBaseUrl } from '../../src/studio/baseUrl';
import { RequestRecord, StudioClient } from '../../src/studio/client';
import { RequestPacer } from '../../src/studio/requestPacer';
import { createNodeFetch } from '../../src/studio/nodeFetchTransport';
import { Credentials } from '../../src/studio/signing';
import { sampleEmulatorOptions } from '../emulator/fixtures';
import { EmulatorOptions, StudioEmulator } from '../emulator/studioEmulator';

/** Recognisable on purpose: leak tests search every output for these. */
export const TEST_CREDENTIALS: Credentials = { apiKey: 'test-key-PLAINKEY', apiSecret: 'test-secret-S3CR3T-VALUE' };

/** An emulator loaded with the sample bot, and clients of the real production transport aimed at it. */
export class StudioHarness {
  readonly emulator: StudioEmulator;
  readonly records: RequestRecord[] = [];
  private readonly transport = createNodeFetch();

  constructor(options: EmulatorOptions = {}) {
    this.emulator = new StudioEmulator({
      apiKey: TEST_CREDENTIALS.apiKey,
      apiSecret: TEST_CREDENTIALS.apiSecret,
      ...sampleEmulatorOptions(),
      ...options,
    });
  }

  start(): Promise<void> {
    return this.emulator.start();
  }

  async stop(): Promise<void> {
    this.transport.dispose();
    await this.emulator.stop();
  }

  client(
    overrides: { credentials?: Credentials; timeoutMs?: number; now?: () => number; baseUrl?: string; pacer?: RequestPacer } = {},
  ): StudioClient {
    return new StudioClient({
      baseUrl: parseBaseUrl(overrides.baseUrl ?? this.emulator.baseUrl),
      credentials: overrides.credentials ?? TEST_CREDENTIALS,
      fetch: this.transport.fetch,
      timeoutMs: overrides.timeoutMs ?? 2000,
      now: overrides.now,
      pacer: overrides.pacer,
      onRequest: (record) => this.records.push(record),
    });
  }
}

/**
 * A harness for the enclosing mocha suite: started before its tests, stopped after them, and with no fault or
 * recorded request carried from one test to the next.
 */
export function harnessForSuite(options?: EmulatorOptions): StudioHarness {
  const harness = new StudioHarness(options);
  before(() => harness.start());
  after(() => harness.stop());
  afterEach(() => {
    harness.emulator.clearFaults();
    harness.emulator.clearRequests();
  });
  return harness;
}
