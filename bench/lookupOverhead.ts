/**
 * Look-up overhead: the extension's whole look-up path against the least a client must do, both
 * aimed at the same local emulator, interleaved so that both see the same machine at the same time.
 *
 *   A (extension): WatchList.refresh(user) -> createLookUp -> connect (credentials from the real
 *     CredentialStore, base URL parsed, a StudioClient built at the first look-up and kept, as
 *     StudioAccess.connect keeps it until settings, credentials or trust change) ->
 *     StudioClient.openConversation (signing, node-fetch over the keep-alive agents of
 *     createNodeFetch, capped body read, JSON parse, schema validation) -> FlowCatalog.find (warm
 *     cache) -> the WatchList state update and its change event.
 *   B (raw): one signed POST /conversations/open with node:http over an agent with the same
 *     settings ({ keepAlive: true, maxSockets: 8 }), body read and JSON.parse'd.
 */
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import { FlowCatalog } from '../src/conversations/flowCatalog';
import { createLookUp } from '../src/conversations/lookUp';
import { ConnectToStudio, keptConnection } from '../src/conversations/studioConnection';
import { KeyValueStore, WatchList } from '../src/conversations/watchList';
import { parseBaseUrl } from '../src/studio/baseUrl';
import { RequestRecord, StudioClient } from '../src/studio/client';
import { Fetch } from '../src/studio/http';
import { CredentialStore, SecretBackend } from '../src/studio/credentialStore';
import { createNodeFetch } from '../src/studio/nodeFetchTransport';
import { Credentials } from '../src/studio/signing';
import { startEmulatorProcess } from './emulatorProcess';
import { atMost, Report } from './report';
import { median, round, summary } from './stats';

const GROUP = 'lookup';
const CREDENTIALS: Credentials = { apiKey: 'bench-key', apiSecret: 'bench-secret-0123456789' };
/** In the sample bot, alice is in Onboarding at ask_name. */
const USER = 'alice';
const EXPECTED_FLOW = 'Onboarding';
const WARM_UP_PAIRS = 50;
const MEASURED_PAIRS = 200;
/** The extension's default csml.requestTimeoutSeconds. */
const TIMEOUT_MS = 10_000;

export interface ScenarioResult {
  extensionMs: number[];
  rawMs: number[];
  /** CPU time of this process per call (the emulator runs elsewhere): less sensitive to other load than wall time. */
  extensionCpuMs: number[];
  rawCpuMs: number[];
  flowsRequests: number;
  requestsSeen: number;
  rejected: number;
}

export async function runLookupOverhead(report: Report): Promise<void> {
  const loopback = await scenario(0);
  const extensionMedian = median(loopback.extensionMs);
  const rawMedian = median(loopback.rawMs);
  const overhead = extensionMedian - rawMedian;
  report.metric(GROUP, 'lookup_overhead_loopback_ms', round(overhead, 3), 'ms', atMost(1), {
    extension: summary(loopback.extensionMs),
    raw: summary(loopback.rawMs),
    medianOfPairedDifferences: round(median(loopback.extensionMs.map((a, i) => a - loopback.rawMs[i])), 3),
    cpuPerLookUpMs: { extension: round(median(loopback.extensionCpuMs), 3), raw: round(median(loopback.rawCpuMs), 3) },
    flowsRequestsDuringMeasuredRuns: loopback.flowsRequests,
  });
  report.note(
    GROUP,
    `loopback: extension median ${round(extensionMedian, 3)} ms, raw node:http median ${round(rawMedian, 3)} ms ` +
      `(${MEASURED_PAIRS} interleaved pairs after ${WARM_UP_PAIRS} warm-up pairs; overhead = difference of the medians);\n` +
      `  CPU time of this process per look-up (medians): extension ${round(median(loopback.extensionCpuMs), 3)} ms, raw ${round(median(loopback.rawCpuMs), 3)} ms.`,
  );

  const slow = await scenario(20);
  const ratio = median(slow.extensionMs) / median(slow.rawMs);
  report.metric(GROUP, 'lookup_ratio_20ms', round(ratio, 4), 'x', atMost(1.05), {
    extension: summary(slow.extensionMs),
    raw: summary(slow.rawMs),
    cpuPerLookUpMs: { extension: round(median(slow.extensionCpuMs), 3), raw: round(median(slow.rawCpuMs), 3) },
    flowsRequestsDuringMeasuredRuns: slow.flowsRequests,
  });
  report.note(
    GROUP,
    `emulator latencyMs 20: extension median ${round(median(slow.extensionMs), 3)} ms, raw median ${round(median(slow.rawMs), 3)} ms; ` +
      `CPU per look-up: extension ${round(median(slow.extensionCpuMs), 3)} ms, raw ${round(median(slow.rawCpuMs), 3)} ms.\n` +
      'Extension side (A) = WatchList.refresh -> createLookUp -> connect (real CredentialStore over an in-memory secret store,\n' +
      "  base URL parsed, StudioClient built at the first look-up and kept) -> signing, node-fetch over createNodeFetch()'s keep-alive agents,\n" +
      `  validation -> FlowCatalog.find (warm cache: ${loopback.flowsRequests + slow.flowsRequests} GET /bot/flows during the measured runs) -> WatchList state + change event.\n` +
      '  Without vscode: the tree model is measured as createLookUp(...) + the WatchList update (the TreeView rendering and\n' +
      "  the vscode settings reads are not included). Raw side (B) = node:http POST, same agent settings, signed, body JSON.parse'd.\n" +
      '  The emulator (sample bot) runs in its own process (out/test/emulator/main.js).',
  );
  for (const result of [loopback, slow]) {
    if (result.rejected > 0) throw new Error(`the emulator refused ${result.rejected} of ${result.requestsSeen} requests`);
    if (result.flowsRequests > 0)
      throw new Error(`the flow catalog was not warm: ${result.flowsRequests} GET /bot/flows during the measured runs`);
  }
}

/** A transport shaped like createNodeFetch()'s; the parameter lets another transport be compared on the same footing. */
export type TransportFactory = () => { fetch: Fetch; dispose(): void };

export async function scenario(latencyMs: number, makeTransport: TransportFactory = createNodeFetch): Promise<ScenarioResult> {
  const emulator = await startEmulatorProcess({ ...CREDENTIALS, latencyMs });
  const transport = makeTransport();
  const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const records: RequestRecord[] = [];
    const extension = await extensionLookUp(emulator.baseUrl, transport.fetch, records);
    const raw = rawLookUp(emulator.baseUrl, rawAgent);

    const extensionMs: number[] = [];
    const rawMs: number[] = [];
    const extensionCpuMs: number[] = [];
    const rawCpuMs: number[] = [];
    let flowsBefore = 0;
    for (let i = 0; i < WARM_UP_PAIRS + MEASURED_PAIRS; i++) {
      if (i === WARM_UP_PAIRS) flowsBefore = records.filter((r) => r.path.endsWith('/bot/flows')).length;
      const a = await timed(extension);
      const b = await timed(raw);
      if (i >= WARM_UP_PAIRS) {
        extensionMs.push(a.wallMs);
        rawMs.push(b.wallMs);
        extensionCpuMs.push(a.cpuMs);
        rawCpuMs.push(b.cpuMs);
      }
    }
    const flowsRequests = records.filter((r) => r.path.endsWith('/bot/flows')).length - flowsBefore;
    const log = await emulator.requests();
    return {
      extensionMs,
      rawMs,
      extensionCpuMs,
      rawCpuMs,
      flowsRequests,
      requestsSeen: log.length,
      rejected: log.filter((r) => r.authOk === false || (r.status !== null && r.status >= 400)).length,
    };
  } finally {
    transport.dispose();
    rawAgent.destroy();
    await emulator.stop();
  }
}

async function timed(work: () => Promise<void>): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** The extension's path from a refresh to the updated state, built as extension.ts wires it. */
async function extensionLookUp(baseUrlSetting: string, fetch: Fetch, records: RequestRecord[]): Promise<() => Promise<void>> {
  const credentialStore = new CredentialStore(memorySecrets());
  await credentialStore.set(CREDENTIALS);
  let lastLogLine = '';
  const build: ConnectToStudio = async () => {
    const credentials = await credentialStore.get();
    if (!credentials) throw new Error('no credentials in the in-memory secret store');
    const baseUrl = parseBaseUrl(baseUrlSetting);
    const client = new StudioClient({
      baseUrl,
      credentials,
      fetch,
      timeoutMs: TIMEOUT_MS,
      // What the extension's Logger.request writes to the output channel.
      onRequest: (record) => {
        records.push(record);
        lastLogLine = `[http] ${record.method} ${record.path} ${record.status ?? 'no answer'} ${record.ms} ms`;
      },
    });
    return { client, cacheKey: `${baseUrl.href}\n${credentials.apiKey}` };
  };
  const watch = new WatchList(createLookUp(keptConnection(build).connect, new FlowCatalog()), memoryStore());
  let changes = 0;
  // The status bar and the tree read the user's row on every change.
  watch.onDidChange((userId) => {
    if (userId !== undefined && watch.get(userId)) changes++;
  });
  void watch.add(USER);
  return async () => {
    const state = await watch.refresh(USER);
    if (state.kind !== 'open' || state.flow?.name !== EXPECTED_FLOW) {
      const why = state.kind === 'error' ? state.error.message : JSON.stringify(state).slice(0, 200);
      throw new Error(`the extension's look-up did not name the flow (${why}; last log line: ${lastLogLine})`);
    }
    if (changes === 0) throw new Error('the watch list fired no change');
  };
}

/** The raw baseline: one signed request with node:http, body read and parsed. */
function rawLookUp(baseUrl: string, agent: http.Agent): () => Promise<void> {
  const url = new URL(`${baseUrl}/conversations/open`);
  const body = JSON.stringify({ user_id: USER });
  const secret = Buffer.from(CREDENTIALS.apiSecret, 'utf8');
  return () =>
    new Promise<void>((resolve, reject) => {
      const keyHeader = `${CREDENTIALS.apiKey}|${Math.floor(Date.now() / 1000)}`;
      const signature = createHmac('sha256', secret).update(keyHeader, 'utf8').digest('hex');
      const request = http.request(
        {
          agent,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            'X-Api-Key': keyHeader,
            'X-Api-Signature': `sha256=${signature}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            try {
              const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { conversation?: unknown };
              if (response.statusCode !== 200 || !json.conversation) throw new Error(`raw request answered ${response.statusCode}`);
              resolve();
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
}

/** An in-memory SecretStorage. */
function memorySecrets(): SecretBackend {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    store: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
    onDidChange: () => ({ dispose: () => undefined }),
  };
}

function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => void values.set(key, value),
  };
}
