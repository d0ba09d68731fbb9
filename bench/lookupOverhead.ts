/**
 * Look-up overhead: the extension's whole look-up path against the least a client must do, all aimed
 * at the same local emulator, interleaved so that every side sees the same machine at the same time.
 *
 *   A (extension): WatchList.refresh(user) -> createLookUp -> connect (credentials from the real
 *     CredentialStore, base URL parsed, a StudioClient built at the first look-up and kept, as
 *     StudioAccess.connect keeps it until settings, credentials or trust change) ->
 *     StudioClient.openConversation (signing, node-fetch over the keep-alive agents of
 *     createNodeFetch, capped body read, JSON parse, schema validation) -> FlowCatalog.find (warm
 *     cache) -> the WatchList state update and its change event.
 *   N (bare node-fetch): the same signed request (URL, method, headers with the HMAC signature, body)
 *     with node-fetch's fetch, the very module createNodeFetch loads, over an agent with the same
 *     settings ({ keepAlive: true, maxSockets: 8 }), then response.json().
 *   R (raw node:http): the same signed request with node:http over such an agent, body read and JSON.parse'd.
 *
 * The target is A against N: what the extension adds to node-fetch, which it keeps as its HTTP client.
 * A against R and N against R (node-fetch's own cost) are reported for information.
 */
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { FlowCatalog } from '../src/conversations/flowCatalog';
import { createLookUp } from '../src/conversations/lookUp';
import { ConnectToStudio, keptConnection } from '../src/conversations/studioConnection';
import { KeyValueStore } from '../src/common/keyValueStore';
import { WatchList } from '../src/conversations/watchList';
import { parseBaseUrl } from '../src/studio/baseUrl';
import { RequestRecord, StudioClient } from '../src/studio/client';
import { Fetch } from '../src/studio/http';
import { CredentialStore, SecretBackend } from '../src/studio/credentialStore';
import { createNodeFetch } from '../src/studio/nodeFetchTransport';
import { Credentials } from '../src/studio/signing';
import { repoRoot } from '../test/host/codeServer';
import { EmulatorProcess, startEmulatorProcess } from './emulatorProcess';
import { atMost, Report } from './report';
import { median, percentile, round, summary } from './stats';

const GROUP = 'lookup';
const CREDENTIALS: Credentials = { apiKey: 'bench-key', apiSecret: 'bench-secret-0123456789' };
/** In the sample bot, alice is in Onboarding at ask_name. */
const USER = 'alice';
const EXPECTED_FLOW = 'Onboarding';
const WARM_UP_ROUNDS = 50;
/** The target: pairs of (extension, bare node-fetch) at 20 ms, in alternating order. */
const TARGET_PAIRS = 300;
/** The figures for information: rounds of the three sides, their order rotating through all six. */
const INFO_ROUNDS = 200;
const LATENCY_MS = 20;
/** The extension's default csml.requestTimeoutSeconds. */
const TIMEOUT_MS = 10_000;

type NodeFetch = typeof import('node-fetch').default;

/** Wall-clock and CPU time of each measured call of one side. */
interface Samples {
  readonly wallMs: number[];
  /** CPU time of this process per call (the emulator runs elsewhere): less sensitive to other load than wall time. */
  readonly cpuMs: number[];
}

interface Side {
  readonly name: string;
  readonly call: () => Promise<void>;
}

export async function runLookupOverhead(report: Report): Promise<void> {
  const nodeFetch = loadNodeFetchAsTheTransportDoes();

  // For information: loopback, the three sides interleaved.
  const { info: loopback } = await withEmulator(0, nodeFetch, async (sides, flowsCount) => ({
    info: await interleave(sides, INFO_ROUNDS, permutationOrder, flowsCount),
  }));
  const [lbExt, lbFetch, lbRaw] = loopback.samples;
  report.info(GROUP, 'lookup_overhead_loopback_ms', round(median(lbExt.wallMs) - median(lbRaw.wallMs), 3), 'ms', {
    comparedWith: 'raw node:http',
    extension: summary(lbExt.wallMs),
    bareNodeFetch: summary(lbFetch.wallMs),
    raw: summary(lbRaw.wallMs),
    medianOfPairedDifferences: round(median(differences(lbExt.wallMs, lbRaw.wallMs)), 3),
    cpuPerLookUpMs: cpuMedians(loopback.samples),
    flowsRequestsDuringMeasuredRuns: loopback.flowsRequests,
  });
  report.note(
    GROUP,
    `loopback, ${INFO_ROUNDS} rounds of the three sides (order rotating) after ${WARM_UP_ROUNDS} warm-up rounds: medians extension ${ms(lbExt.wallMs)}, ` +
      `bare node-fetch ${ms(lbFetch.wallMs)}, raw node:http ${ms(lbRaw.wallMs)}; lookup_overhead_loopback_ms = extension - raw (difference of the medians);\n` +
      `  CPU time of this process per look-up (medians): extension ${ms(lbExt.cpuMs)}, bare node-fetch ${ms(lbFetch.cpuMs)}, raw ${ms(lbRaw.cpuMs)}.`,
  );

  const slow = await withEmulator(LATENCY_MS, nodeFetch, async (sides, flowsCount) => ({
    target: await interleave(sides.slice(0, 2), TARGET_PAIRS, alternatingOrder, flowsCount),
    info: await interleave(sides, INFO_ROUNDS, permutationOrder, flowsCount),
  }));

  // The target: the extension's whole path minus a bare node-fetch request, pair by pair.
  const [ext, bare] = slow.target.samples;
  const overPairs = differences(ext.wallMs, bare.wallMs);
  report.metric(GROUP, 'lookup_overhead_over_node_fetch_ms', round(median(overPairs), 3), 'ms', atMost(0.3), {
    latencyMs: LATENCY_MS,
    pairs: TARGET_PAIRS,
    warmUpPairs: WARM_UP_ROUNDS,
    pairedDifferences: summary(overPairs),
    extension: summary(ext.wallMs),
    bareNodeFetch: summary(bare.wallMs),
    cpuPerLookUpMs: cpuMedians(slow.target.samples),
    cpuPairedDifferenceMs: round(median(differences(ext.cpuMs, bare.cpuMs)), 3),
    flowsRequestsDuringMeasuredRuns: slow.target.flowsRequests,
  });
  report.note(
    GROUP,
    `emulator latencyMs ${LATENCY_MS}, ${TARGET_PAIRS} pairs after ${WARM_UP_ROUNDS} warm-up pairs, the order within a pair alternating:\n` +
      `  lookup_overhead_over_node_fetch_ms = median of (extension's whole look-up - bare node-fetch request) over the pairs ` +
      `(p10 ${round(percentile(overPairs, 10), 3)} ms, p90 ${round(percentile(overPairs, 90), 3)} ms);\n` +
      `  medians extension ${ms(ext.wallMs)}, bare node-fetch ${ms(bare.wallMs)}; CPU per look-up (medians) extension ${ms(ext.cpuMs)}, bare node-fetch ${ms(bare.cpuMs)},\n` +
      `  paired CPU difference ${round(median(differences(ext.cpuMs, bare.cpuMs)), 3)} ms.`,
  );

  // For information: the extension and node-fetch against raw node:http at 20 ms.
  const [iExt, iFetch, iRaw] = slow.info.samples;
  report.info(GROUP, 'lookup_ratio_20ms', round(median(iExt.wallMs) / median(iRaw.wallMs), 4), 'x', {
    comparedWith: 'raw node:http',
    extension: summary(iExt.wallMs),
    raw: summary(iRaw.wallMs),
    cpuPerLookUpMs: cpuMedians(slow.info.samples),
    flowsRequestsDuringMeasuredRuns: slow.info.flowsRequests,
  });
  const fetchCost = differences(iFetch.wallMs, iRaw.wallMs);
  report.info(GROUP, 'node_fetch_cost_20ms_ms', round(median(fetchCost), 3), 'ms', {
    definition: 'median of (bare node-fetch request - raw node:http request) over the rounds',
    pairedDifferences: summary(fetchCost),
    bareNodeFetch: summary(iFetch.wallMs),
    raw: summary(iRaw.wallMs),
    cpuPairedDifferenceMs: round(median(differences(iFetch.cpuMs, iRaw.cpuMs)), 3),
  });
  report.note(
    GROUP,
    `emulator latencyMs ${LATENCY_MS}, ${INFO_ROUNDS} rounds of the three sides (order rotating) after ${WARM_UP_ROUNDS} warm-up rounds: medians extension ${ms(iExt.wallMs)}, ` +
      `bare node-fetch ${ms(iFetch.wallMs)}, raw node:http ${ms(iRaw.wallMs)};\n` +
      `  lookup_ratio_20ms = median extension / median raw; node_fetch_cost_20ms_ms = median of (bare node-fetch - raw) per round, node-fetch's own cost;\n` +
      `  CPU per request (medians): extension ${ms(iExt.cpuMs)}, bare node-fetch ${ms(iFetch.cpuMs)}, raw ${ms(iRaw.cpuMs)}.\n` +
      'Extension side = WatchList.refresh -> createLookUp -> connect (real CredentialStore over an in-memory secret store,\n' +
      "  base URL parsed, StudioClient built at the first look-up and kept) -> signing, node-fetch over createNodeFetch()'s keep-alive agents,\n" +
      `  validation -> FlowCatalog.find (warm cache: ${loopback.flowsRequests + slow.target.flowsRequests + slow.info.flowsRequests} GET /bot/flows during the measured runs) -> WatchList state + change event.\n` +
      '  Without vscode: the tree model is measured as createLookUp(...) + the WatchList update (the TreeView rendering and\n' +
      '  the vscode settings reads are not included). Bare node-fetch side = the same signed POST (URL, method, headers with a fresh HMAC\n' +
      `  signature, body) with the very node-fetch module createNodeFetch loads here (${nodeFetch.resolved}; the .vsix ships the same code\n` +
      '  bundled as dist/node-fetch.js), over an agent with the same settings, then response.json().\n' +
      "  Raw side = node:http POST, same agent settings, signed, body JSON.parse'd.\n" +
      '  The emulator (sample bot) runs in its own process (out/test/emulator/main.js).',
  );
}

/**
 * node-fetch as createNodeFetch gets it: required from the transport's own compiled file, so Node
 * resolves the same file and hands out the same module instance the extension side uses.
 */
function loadNodeFetchAsTheTransportDoes(): { fetch: NodeFetch; resolved: string } {
  const transportRequire = createRequire(require.resolve('../src/studio/nodeFetchTransport'));
  const resolved = path.relative(repoRoot(), transportRequire.resolve('node-fetch'));
  return { fetch: (transportRequire('node-fetch') as typeof import('node-fetch')).default, resolved };
}

interface Interleaved {
  /** One per side, in the order the sides were given. */
  readonly samples: Samples[];
  /** GET /bot/flows the extension sent during the measured rounds (0 when its flow catalog stayed warm). */
  readonly flowsRequests: number;
}

/** Side indices in the order they run in round `round`. */
type Order = (round: number, sides: number) => number[];

/** Pairs: A then B, then B then A. */
const alternatingOrder: Order = (round, sides) => {
  const order = [...Array(sides).keys()];
  return round % 2 === 0 ? order : order.reverse();
};

/** Three sides: each of the six orders in turn, so every side runs first, second and last equally often. */
const permutationOrder: Order = (round, sides) => {
  const all = permutations([...Array(sides).keys()]);
  return all[round % all.length];
};

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Runs warm-up rounds, then `rounds` measured rounds of every side, in the order `order` gives. */
async function interleave(sides: Side[], rounds: number, order: Order, flowsCount: () => number): Promise<Interleaved> {
  const samples: Samples[] = sides.map(() => ({ wallMs: [], cpuMs: [] }));
  let flowsBefore = 0;
  for (let i = 0; i < WARM_UP_ROUNDS + rounds; i++) {
    if (i === WARM_UP_ROUNDS) flowsBefore = flowsCount();
    for (const index of order(i, sides.length)) {
      const sample = await timed(sides[index].call);
      if (i >= WARM_UP_ROUNDS) {
        samples[index].wallMs.push(sample.wallMs);
        samples[index].cpuMs.push(sample.cpuMs);
      }
    }
  }
  return { samples, flowsRequests: flowsCount() - flowsBefore };
}

/**
 * Starts the emulator at `latencyMs`, builds the three sides against it (extension, bare node-fetch,
 * raw node:http), runs `measure`, and checks the emulator accepted every request and the flow
 * catalog stayed warm.
 */
async function withEmulator<T extends Record<string, Interleaved>>(
  latencyMs: number,
  nodeFetch: { fetch: NodeFetch },
  measure: (sides: Side[], flowsCount: () => number) => Promise<T>,
): Promise<T> {
  const emulator: EmulatorProcess = await startEmulatorProcess({ ...CREDENTIALS, latencyMs });
  const transport = createNodeFetch();
  const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const records: RequestRecord[] = [];
    const sides: Side[] = [
      { name: 'extension', call: await extensionLookUp(emulator.baseUrl, transport.fetch, records) },
      { name: 'bare node-fetch', call: bareNodeFetchLookUp(emulator.baseUrl, nodeFetch.fetch, bareAgent) },
      { name: 'raw node:http', call: rawLookUp(emulator.baseUrl, rawAgent) },
    ];
    const flowsCount = () => records.filter((r) => r.path.endsWith('/bot/flows')).length;
    const result = await measure(sides, flowsCount);
    const log = await emulator.requests();
    const rejected = log.filter((r) => r.authOk === false || (r.status !== null && r.status >= 400)).length;
    if (rejected > 0) throw new Error(`the emulator refused ${rejected} of ${log.length} requests (latency ${latencyMs} ms)`);
    for (const run of Object.values(result))
      if (run.flowsRequests > 0)
        throw new Error(
          `the flow catalog was not warm: ${run.flowsRequests} GET /bot/flows during the measured runs (latency ${latencyMs} ms)`,
        );
    return result;
  } finally {
    transport.dispose();
    bareAgent.destroy();
    rawAgent.destroy();
    await emulator.stop();
  }
}

/** a[i] - b[i]: samples taken in the same round. */
function differences(a: number[], b: number[]): number[] {
  return a.map((value, i) => value - b[i]);
}

function cpuMedians(samples: Samples[]): { extension: number; bareNodeFetch: number; raw?: number } {
  const [extension, bareNodeFetch, raw] = samples.map((s) => round(median(s.cpuMs), 3));
  return { extension, bareNodeFetch, ...(raw !== undefined ? { raw } : {}) };
}

/** The median of `values`, printed in ms. */
function ms(values: number[]): string {
  return `${round(median(values), 3)} ms`;
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

/** The headers the extension's StudioClient sends with a signed POST, signed afresh for this request. */
function signedHeaders(secret: Buffer): Record<string, string> {
  const keyHeader = `${CREDENTIALS.apiKey}|${Math.floor(Date.now() / 1000)}`;
  const signature = createHmac('sha256', secret).update(keyHeader, 'utf8').digest('hex');
  return {
    Accept: 'application/json',
    'X-Api-Key': keyHeader,
    'X-Api-Signature': `sha256=${signature}`,
    'Content-Type': 'application/json',
  };
}

/** The bare node-fetch request: the same signed POST with node-fetch's fetch, then response.json(). */
function bareNodeFetchLookUp(baseUrl: string, fetch: NodeFetch, agent: http.Agent): () => Promise<void> {
  const url = `${baseUrl}/conversations/open`;
  const body = JSON.stringify({ user_id: USER });
  const secret = Buffer.from(CREDENTIALS.apiSecret, 'utf8');
  return async () => {
    const response = await fetch(url, { method: 'POST', headers: signedHeaders(secret), body, agent });
    const json = (await response.json()) as { conversation?: unknown };
    if (response.status !== 200 || !json.conversation) throw new Error(`the bare node-fetch request answered ${response.status}`);
  };
}

/** The raw baseline: one signed request with node:http, body read and parsed. */
function rawLookUp(baseUrl: string, agent: http.Agent): () => Promise<void> {
  const url = new URL(`${baseUrl}/conversations/open`);
  const body = JSON.stringify({ user_id: USER });
  const secret = Buffer.from(CREDENTIALS.apiSecret, 'utf8');
  return () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...signedHeaders(secret), 'Content-Length': Buffer.byteLength(body) },
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
              reject(error instanceof Error ? error : new Error(String(error)));
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
