/**
 * A local stand-in for the CSML Studio API (see shared/spec/csml-studio-api.md), served over real HTTP so the
 * client under test exercises its whole network path: signing, status codes, slow or broken answers.
 * Node's `http` only: it runs in unit tests, in another process for integration tests, and behind the demo.
 */
import * as http from 'node:http';
import { parseFlow } from '../../src/csml/flowParser';
import { validateFlows } from './flowValidation';
import type { Socket } from 'node:net';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

// ---------------------------------------------------------------------------------------------------------------
// Data shapes, as the Studio documents them. Index signatures let tests add undocumented fields the client must keep.
// ---------------------------------------------------------------------------------------------------------------

export interface StudioClient {
  channel_id: string;
  user_id: string;
  bot_id: string;
  [extra: string]: unknown;
}

export interface StudioConversation {
  id: string;
  client: StudioClient;
  /** A flow id, or (the engine accepts both) a flow name. */
  flow_id: string;
  step_id: string;
  metadata: unknown;
  status: string;
  last_interaction_at: string;
  created_at: string;
  [extra: string]: unknown;
}

export interface StudioFlow {
  id: string;
  bot_id: string;
  organization_id: string;
  name: string;
  description: string;
  commands: string[];
  content: string;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}

/** What `GET /bot` answers, without its `flows` array (the emulator adds that from its flows). */
export interface StudioBot {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  /** A flow id. */
  default_flow: string;
  created_at: string;
  updated_at: string;
  env: unknown;
  [extra: string]: unknown;
}

/** A built version of the bot, as `POST /bot/build` and `GET /bot/build` answer it: the flows as they were then. */
export interface StudioBuild {
  /** The bot's id. */
  id: string;
  name: string;
  /** A flow id. */
  default_flow: string;
  created_at: string;
  version_id: string;
  engine_version: string;
  flows: StudioFlow[];
}

/** The engine version every build reports. */
export const EMULATOR_ENGINE_VERSION = '1.11.2';

// ---------------------------------------------------------------------------------------------------------------
// Options, faults and the request log.
// ---------------------------------------------------------------------------------------------------------------

export interface DemoOptions {
  /** How often each demo user's open conversation moves to its next step. */
  stepIntervalMs: number;
  /** Users whose conversations move; default `alice` and `bob`. `carol` never has an open conversation. */
  users?: string[];
}

export interface EmulatorOptions {
  apiKey?: string;
  apiSecret?: string;
  /** More API channels of the same bot, each with a key and secret of its own (a bot can have several). */
  otherChannels?: Array<{ apiKey: string; apiSecret: string }>;
  bot?: StudioBot;
  flows?: StudioFlow[];
  conversations?: Record<string, StudioConversation | null> | Map<string, StudioConversation | null>;
  /** The channel that owns the key: it appears in every conversation created here and in chat answers. */
  channelId?: string;
  /** Accepted clock difference, each way. */
  replayWindowSeconds?: number;
  /** Milliseconds clock; tests freeze it to check the replay window. */
  now?: () => number;
  /** Fixed delay added to every API answer (never to control endpoints). */
  latencyMs?: number;
  basePath?: string;
  /**
   * The body of "no open conversation" is undocumented; the client must accept all three shapes:
   * `conversation: null` (default), the key absent, or `conversation: {}`.
   */
  noOpenConversationShape?: 'null' | 'absent' | 'empty-object';
  /**
   * `PUT /bot/flows/:id` is documented as 204 but also shown answering the flow; the client must accept both:
   * `'empty'` (default) answers 204 without a body, `'flow'` answers 200 with the updated flow.
   */
  putFlowAnswer?: 'empty' | 'flow';
  demo?: DemoOptions;
}

export interface Fault {
  /** Only requests whose path (after basePath, without query) equals this; the full path is accepted too. */
  path?: string;
  /** Only requests with this method. */
  method?: string;
  /** How many requests it applies to; unlimited until cleared when absent. */
  times?: number;
  /**
   * Applies only to the nth (1-based) request that otherwise matches it, counted from when it was added, then
   * is removed. Not together with `times`.
   */
  nth?: number;
  /** Apply after the credentials were accepted instead of before (the default, so a fault needs no signature). */
  afterAuth?: boolean;
  status?: number;
  headers?: Record<string, string>;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Raw body (sent as `application/json` unless `headers` says otherwise: garbled API answers are the point). */
  body?: string;
  /** JSON body. */
  json?: unknown;
  /** Wait, then answer with the fault or normally. */
  delayMs?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Send the headers at once, then the body in `chunks` pieces, one every `intervalMs`. */
  trickle?: { chunks: number; intervalMs: number };
  /** Send the headers and part of the body, then destroy the socket. */
  reset?: boolean;
  /** Answer with a redirect to this Location (status 302 unless `status` is another 3xx). */
  redirectTo?: string;
}

/** What became of a request: still being worked on, answered, deliberately left hanging, cut, or given up by the client. */
export type RequestOutcome = 'pending' | 'answered' | 'hung' | 'reset' | 'aborted';

export interface RecordedRequest {
  method: string;
  /** The request target as sent, query included. */
  url: string;
  /** The path after basePath for API requests; the whole path otherwise. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status sent, or null while none was (or never will be, for a hung request). */
  status: number | null;
  /** Whether the credentials were accepted; null when they were not checked (fault, unknown path). */
  authOk: boolean | null;
  outcome: RequestOutcome;
  /** Emulator clock (ms) when the request arrived. */
  receivedAt: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Internals.
// ---------------------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Access = 'private' | 'public';

interface Route {
  method: string;
  pattern: RegExp;
  access: Access;
  handle: (params: string[], body: string, query: URLSearchParams) => Answer;
}

interface Waiter {
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
}

const CONTROL_PREFIX = '/__emulator';
// A bot posted for validation carries every flow's content, and one flow can be several MB.
const MAX_BODY_BYTES = 40 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';
const EMPTY_ANSWER: Readonly<Answer> = { status: 204, headers: {}, body: '' };
const CHAT_CONTENT_TYPES = new Set(['text', 'image', 'video', 'audio', 'file', 'url', 'payload', 'flow_trigger']);
/** The payloads of the buttons under every question the emulator asks; "stop", typed or clicked, ends the conversation. */
const NEXT_PAYLOAD = 'next';
const STOP_PAYLOAD = 'stop';
const DEFAULT_DEMO_USERS = ['alice', 'bob'];
const USER_WITHOUT_CONVERSATION = 'carol';

const DEFAULT_IDS = {
  organization: '0c5c1f7e-2d1a-4d0e-9a51-6f1b2c3d4e50',
  bot: '7a0f3c52-9b1e-4f6a-8d2c-1e5b7a9c3d10',
  channel: 'c4e1a2b3-5d6f-4a7b-8c9d-0e1f2a3b4c50',
  flow: '1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5',
};
const DEFAULT_TIMESTAMP = '2024-01-15T09:00:00.000Z';

export class StudioEmulator {
  /** Every request outside the control endpoints, in arrival order. */
  readonly requests: RecordedRequest[] = [];

  /** Every key and secret accepted: the main channel's first. */
  private readonly channels: Array<{ apiKey: string; apiSecret: string }>;
  private readonly channelId: string;
  private readonly windowSeconds: number;
  private readonly now: () => number;
  private readonly latencyMs: number;
  private readonly basePath: string;
  private readonly noOpenShape: 'null' | 'absent' | 'empty-object';
  private readonly putFlowAnswer: 'empty' | 'flow';
  private readonly demo?: DemoOptions;
  private readonly routes: Route[];

  private bot: StudioBot;
  private flows: StudioFlow[];
  private readonly conversations = new Map<string, StudioConversation | null>();
  private faults: Fault[] = [];
  /** How many matching requests each `nth` fault has seen. */
  private readonly faultCounts = new WeakMap<Fault, number>();
  private readonly builds: StudioBuild[] = [];
  private waiters: Waiter[] = [];

  private server?: http.Server;
  private listening?: { host: string; port: number };
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private demoTimer?: NodeJS.Timeout;

  constructor(options: EmulatorOptions = {}) {
    this.channels = [
      { apiKey: options.apiKey ?? 'emulator-key', apiSecret: options.apiSecret ?? 'emulator-secret' },
      ...(options.otherChannels ?? []),
    ];
    this.channelId = options.channelId ?? DEFAULT_IDS.channel;
    this.windowSeconds = options.replayWindowSeconds ?? 300;
    this.now = options.now ?? Date.now;
    this.latencyMs = options.latencyMs ?? 0;
    this.basePath = normaliseBasePath(options.basePath ?? '/v1/api');
    this.noOpenShape = options.noOpenConversationShape ?? 'null';
    this.putFlowAnswer = options.putFlowAnswer ?? 'empty';
    this.demo = options.demo;
    this.flows = clone(options.flows ?? [defaultFlow()]);
    this.bot = clone(options.bot ?? defaultBot(this.flows));
    const initial = options.conversations instanceof Map ? options.conversations : new Map(Object.entries(options.conversations ?? {}));
    for (const [userId, conversation] of initial) this.setConversation(userId, conversation);
    if (this.demo) this.seedDemoUsers(this.demo);
    this.routes = this.buildRoutes();
  }

  // ----- lifecycle ------------------------------------------------------------------------------------------

  async start(port = 0, host = '127.0.0.1'): Promise<void> {
    if (this.server) throw new Error('The emulator is already started');
    const server = http.createServer((req, res) => this.onRequest(req, res));
    // A hung request must stay hung until stop(), whatever Node's defaults say.
    server.requestTimeout = 0;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('The emulator is not listening on TCP');
    this.server = server;
    this.listening = { host, port: address.port };
    if (this.demo) {
      this.demoTimer = setInterval(() => this.advanceDemoUsers(), Math.max(1, this.demo.stepIntervalMs));
      // The demo must never be what keeps a test process alive.
      this.demoTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.demoTimer) clearInterval(this.demoTimer);
    this.demoTimer = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // close() alone waits for open keep-alive and hung connections: end them now.
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** `http://host:port`. */
  get origin(): string {
    if (!this.listening) throw new Error('The emulator is not started');
    const { host, port } = this.listening;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** The API base URL the client should be configured with, e.g. `http://127.0.0.1:PORT/v1/api`. */
  get baseUrl(): string {
    return this.origin + this.basePath;
  }

  // ----- data -----------------------------------------------------------------------------------------------

  setConversation(userId: string, conversation: StudioConversation | null): void {
    this.conversations.set(userId, conversation === null ? null : clone(conversation));
  }

  /** The stored conversation (open or not), or null when there is none. */
  getConversation(userId: string): StudioConversation | null {
    const conversation = this.conversations.get(userId);
    return conversation ? clone(conversation) : null;
  }

  setFlows(flows: StudioFlow[]): void {
    this.flows = clone(flows);
  }

  getFlows(): StudioFlow[] {
    return clone(this.flows);
  }

  /**
   * A colleague's edit in the Studio, behind the extension's back: the flow (by id or name, case-insensitively,
   * as the engine resolves it) gets this content and a later `updated_at`. Throws when there is no such flow.
   */
  editFlowAsColleague(nameOrId: string, content: string): StudioFlow {
    const flow = this.findFlow(nameOrId);
    if (!flow) throw new Error(`No flow with id or name ${nameOrId}`);
    flow.content = content;
    this.touch(flow);
    return clone(flow);
  }

  /** Every version built so far, oldest first. */
  getBuilds(): StudioBuild[] {
    return clone(this.builds);
  }

  // ----- faults and the request log ----------------------------------------------------------------------------

  fault(fault: Fault): void {
    const problem = faultProblem(fault);
    if (problem) throw new Error(`Invalid fault: ${problem}`);
    this.faults.push(clone(fault));
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /**
   * The most API requests (those in `requests`) that arrived, by the emulator's clock, within any 1,000 ms
   * (a sliding window, start included, end excluded), to hold a client to the Studio's 50 requests per second.
   */
  maxRequestsPerSecond(): number {
    const times = this.requests.map((record) => record.receivedAt).sort((a, b) => a - b);
    let best = 0;
    let end = 0;
    // The busiest window can always start at a request, so only those starts are tried.
    for (let start = 0; start < times.length; start++) {
      while (end < times.length && times[end] < times[start] + 1000) end++;
      best = Math.max(best, end - start);
    }
    return best;
  }

  /**
   * Resolves with the log once at least `count` requests have an outcome (answered, hung, reset or aborted),
   * so a test can look at their statuses right away.
   */
  waitForRequests(count: number, timeoutMs = 2000): Promise<RecordedRequest[]> {
    if (this.settledCount() >= count) return Promise.resolve([...this.requests]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: (requests) => {
          clearTimeout(timer);
          resolve(requests);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`Expected ${count} request(s) within ${timeoutMs} ms, got ${this.settledCount()}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  // ----- request handling -----------------------------------------------------------------------------------

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.serve(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      sendAnswer(res, jsonAnswer(500, errorBody(500, `Emulator error: ${String(error)}`)), this.now());
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const pathname = new URL(target, 'http://emulator.invalid').pathname;
    const body = await readBody(req);
    if (pathname === CONTROL_PREFIX || pathname.startsWith(CONTROL_PREFIX + '/')) {
      sendAnswer(res, this.control(req.method ?? 'GET', pathname.slice(CONTROL_PREFIX.length), body), this.now());
      return;
    }
    const apiPath = this.apiPathOf(pathname);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: target,
      path: apiPath ?? pathname,
      headers: { ...req.headers },
      body: body.text,
      status: null,
      authOk: null,
      outcome: 'pending',
      receivedAt: this.now(),
    };
    this.requests.push(record);
    res.on('finish', () => this.settle(record, 'answered'));
    res.on('close', () => this.settle(record, 'aborted'));
    await this.answerApi(req, res, record, apiPath, body);
  }

  /** The pipeline of one API request: latency, early fault, routing, credentials, late fault, handler. */
  private async answerApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RecordedRequest,
    apiPath: string | undefined,
    body: RequestBody,
  ): Promise<void> {
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    const method = record.method;
    let delivery: Fault | undefined;

    const early = this.takeFault(method, record.path, false);
    if (early) {
      if (await this.runFault(early, res, record)) return;
      delivery = early;
    }

    const send = (answer: Answer): void => this.deliver(res, record, answer, delivery);
    if (apiPath === undefined) {
      send(jsonAnswer(404, errorBody(404, `Not found: the API is served under ${this.basePath}`)));
      return;
    }
    const matching = this.routes.filter((route) => route.pattern.test(apiPath));
    if (matching.length === 0) {
      send(jsonAnswer(404, errorBody(404, `No endpoint at ${apiPath}`)));
      return;
    }
    const route = matching.find((candidate) => candidate.method === method);
    if (!route) {
      const allow = matching.map((candidate) => candidate.method).join(', ');
      send({ ...jsonAnswer(405, errorBody(405, `${method} is not allowed on ${apiPath}`)), headers: { 'content-type': JSON_TYPE, allow } });
      return;
    }

    const refusal = route.access === 'private' ? this.privateAuthProblem(req.headers) : this.publicAuthProblem(req.headers);
    record.authOk = refusal === undefined;
    if (refusal !== undefined) {
      send(jsonAnswer(401, errorBody(401, refusal)));
      return;
    }

    const late = this.takeFault(method, apiPath, true);
    if (late) {
      if (await this.runFault(late, res, record)) return;
      delivery = late;
    }

    if (body.tooLarge) {
      send(jsonAnswer(413, errorBody(413, `Request body larger than ${MAX_BODY_BYTES} bytes`)));
      return;
    }
    const params = route.pattern.exec(apiPath)?.slice(1).map(decodePathPart) ?? [];
    send(route.handle(params, body.text, new URL(record.url, 'http://emulator.invalid').searchParams));
  }

  /** Applies a fault; true when it answered (or deliberately never will), false to go on with a normal answer. */
  private async runFault(fault: Fault, res: http.ServerResponse, record: RecordedRequest): Promise<boolean> {
    if (fault.delayMs !== undefined && fault.delayMs > 0) await this.sleep(fault.delayMs);
    if (fault.hang) {
      this.settle(record, 'hung');
      return true;
    }
    const answer = faultAnswer(fault);
    if (!answer) return false;
    this.deliver(res, record, answer, fault);
    return true;
  }

  private takeFault(method: string, path: string, afterAuth: boolean): Fault | undefined {
    const matching = this.faults.filter(
      (fault) =>
        (fault.afterAuth ?? false) === afterAuth &&
        (fault.method === undefined || fault.method.toUpperCase() === method) &&
        (fault.path === undefined || fault.path === path || fault.path === this.basePath + path),
    );
    // Every `nth` fault counts each request it matches, even one another fault takes, so its count stays predictable.
    for (const fault of matching) {
      if (fault.nth !== undefined) this.faultCounts.set(fault, (this.faultCounts.get(fault) ?? 0) + 1);
    }
    const fault = matching.find((candidate) => candidate.nth === undefined || this.faultCounts.get(candidate) === candidate.nth);
    // An `nth` fault is spent at its nth request, whether it or an earlier fault answered that one.
    this.faults = this.faults.filter((candidate) => candidate.nth === undefined || (this.faultCounts.get(candidate) ?? 0) < candidate.nth);
    if (!fault) return undefined;
    const index = this.faults.indexOf(fault);
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }

  /** Sends an answer, with the delivery quirks (extra headers, trickle, reset) of the fault in force, if any. */
  private deliver(res: http.ServerResponse, record: RecordedRequest, answer: Answer, mode?: Fault): void {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...answer.headers, ...(mode?.headers ?? {}) })) {
      headers[name.toLowerCase()] = value;
    }
    if (mode?.retryAfter !== undefined) headers['retry-after'] = String(mode.retryAfter);
    const body = Buffer.from(answer.body, 'utf8');
    record.status = answer.status;
    if (mode?.reset) {
      this.sendThenCut(res, record, answer.status, headers, body);
    } else if (mode?.trickle) {
      this.sendSlowly(res, answer.status, headers, body, mode.trickle);
    } else {
      sendAnswer(res, { status: answer.status, headers, body: answer.body }, this.now());
    }
  }

  private sendThenCut(
    res: http.ServerResponse,
    record: RecordedRequest,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ): void {
    // The full length is announced so the client can tell the body stopped short.
    res.writeHead(status, { ...headers, 'content-length': String(body.length), date: httpDate(this.now()) });
    res.flushHeaders();
    this.settle(record, 'reset');
    const socket = res.socket;
    const cut = (): void => {
      // A short pause lets the partial body reach the client before the connection dies.
      this.later(20, () => socket?.destroy());
    };
    const part = body.subarray(0, Math.floor(body.length / 2));
    if (part.length > 0) res.write(part, cut);
    else cut();
  }

  private sendSlowly(
    res: http.ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
    trickle: { chunks: number; intervalMs: number },
  ): void {
    res.writeHead(status, { ...headers, 'content-length': String(body.length), date: httpDate(this.now()) });
    res.flushHeaders();
    const count = Math.max(1, Math.floor(trickle.chunks));
    const size = Math.max(1, Math.ceil(body.length / count));
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < body.length; offset += size) pieces.push(body.subarray(offset, offset + size));
    const next = (): void => {
      if (res.destroyed) return;
      const piece = pieces.shift();
      if (piece === undefined) {
        res.end();
        return;
      }
      res.write(piece);
      if (pieces.length === 0) res.end();
      else this.later(trickle.intervalMs, next);
    };
    this.later(trickle.intervalMs, next);
  }

  private settle(record: RecordedRequest, outcome: Exclude<RequestOutcome, 'pending'>): void {
    if (record.outcome !== 'pending') return;
    record.outcome = outcome;
    const settled = this.settledCount();
    const ready = this.waiters.filter((waiter) => settled >= waiter.count);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => settled < waiter.count);
    for (const waiter of ready) waiter.resolve([...this.requests]);
  }

  private settledCount(): number {
    return this.requests.filter((record) => record.outcome !== 'pending').length;
  }

  private apiPathOf(pathname: string): string | undefined {
    if (this.basePath === '') return pathname;
    if (pathname === this.basePath) return '/';
    return pathname.startsWith(this.basePath + '/') ? pathname.slice(this.basePath.length) : undefined;
  }

  /** A timer that stop() cancels; the work it would have done is simply dropped. */
  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  // ----- credentials ----------------------------------------------------------------------------------------

  /** Why the private-endpoint headers are refused, or undefined when they are accepted. */
  private privateAuthProblem(headers: http.IncomingHttpHeaders): string | undefined {
    const keyHeader = headers['x-api-key'];
    if (typeof keyHeader !== 'string' || keyHeader === '') return 'Missing X-Api-Key header';
    const parts = /^(.+)\|(\d+)$/.exec(keyHeader);
    if (!parts) return "Malformed X-Api-Key header: private endpoints expect '<API key>|<unix time in whole seconds>'";
    const channel = this.channelOf(parts[1]);
    if (!channel) return 'Unknown API key';
    const signature = headers['x-api-signature'];
    if (typeof signature !== 'string' || signature === '') return 'Missing X-Api-Signature header';
    if (!/^sha256=[0-9a-f]{64}$/.test(signature)) {
      return "Malformed X-Api-Signature header: expected 'sha256=' followed by 64 lowercase hex digits";
    }
    const expected = 'sha256=' + createHmac('sha256', channel.apiSecret).update(keyHeader, 'utf8').digest('hex');
    if (!sameText(signature, expected)) return 'Invalid X-Api-Signature: the signature does not match the API key and secret';
    // Checked last, so a clock complaint means everything else was right.
    const timestamp = Number(parts[2]);
    const serverSeconds = Math.floor(this.now() / 1000);
    const skew = timestamp - serverSeconds;
    if (Math.abs(skew) > this.windowSeconds) {
      const direction = skew < 0 ? 'behind' : 'ahead of';
      const hint = timestamp > 1e11 ? ' (it looks like milliseconds: whole seconds are expected)' : '';
      return (
        `Request timestamp ${timestamp}${hint} is ${Math.abs(skew)} s ${direction} the server clock (${serverSeconds}); ` +
        `requests are accepted within ${this.windowSeconds} s: check the system clock`
      );
    }
    return undefined;
  }

  private publicAuthProblem(headers: http.IncomingHttpHeaders): string | undefined {
    const keyHeader = headers['x-api-key'];
    if (typeof keyHeader !== 'string' || keyHeader === '') return 'Missing X-Api-Key header';
    if (keyHeader.includes('|')) return 'Public endpoints take the bare API key in X-Api-Key, without a timestamp';
    return this.channelOf(keyHeader) ? undefined : 'Unknown API key';
  }

  private channelOf(apiKey: string): { apiKey: string; apiSecret: string } | undefined {
    return this.channels.find((channel) => sameText(apiKey, channel.apiKey));
  }

  // ----- endpoints ------------------------------------------------------------------------------------------

  private buildRoutes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/bot$/, access: 'private', handle: () => this.getBot() },
      { method: 'GET', pattern: /^\/bot\/flows$/, access: 'private', handle: () => jsonAnswer(200, this.flows) },
      { method: 'POST', pattern: /^\/bot\/flows$/, access: 'private', handle: (_params, body) => this.createFlow(body) },
      { method: 'GET', pattern: /^\/bot\/flows\/([^/]+)$/, access: 'private', handle: ([id]) => this.getFlow(id) },
      { method: 'PUT', pattern: /^\/bot\/flows\/([^/]+)$/, access: 'private', handle: ([id], body) => this.updateFlow(id, body) },
      { method: 'DELETE', pattern: /^\/bot\/flows\/([^/]+)$/, access: 'private', handle: ([id]) => this.deleteFlow(id) },
      { method: 'POST', pattern: /^\/bot\/build$/, access: 'private', handle: () => this.build() },
      { method: 'GET', pattern: /^\/bot\/build$/, access: 'private', handle: (_params, _body, query) => this.getBuild(query) },
      { method: 'POST', pattern: /^\/bot\/validate$/, access: 'private', handle: (_params, body) => this.validate(body) },
      { method: 'POST', pattern: /^\/conversations\/open$/, access: 'private', handle: (_params, body) => this.openConversation(body) },
      { method: 'POST', pattern: /^\/chat$/, access: 'public', handle: (_params, body) => this.chat(body) },
    ];
  }

  private getBot(): Answer {
    const summaries = this.flows.map(({ content: _content, ...summary }) => summary);
    return jsonAnswer(200, { ...this.bot, flows: summaries });
  }

  private getFlow(id: string): Answer {
    const flow = this.flowById(id);
    return flow ? jsonAnswer(200, flow) : jsonAnswer(404, errorBody(404, `No flow with id ${id}`));
  }

  private createFlow(body: string): Answer {
    const request = parseJson(body);
    if (request === undefined) return jsonAnswer(400, errorBody(400, 'Request body is not valid JSON'));
    if (!isObject(request))
      return jsonAnswer(400, errorBody(400, 'Request body must be a JSON object: {name, description, commands, content}'));
    const { name, content } = request;
    if (typeof name !== 'string' || name.trim() === '')
      return jsonAnswer(400, errorBody(400, 'name is required and must be a non-empty string'));
    if (typeof content !== 'string') return jsonAnswer(400, errorBody(400, 'content is required and must be a string'));
    const problem = flowFieldsProblem(request);
    if (problem) return jsonAnswer(400, errorBody(400, problem));
    // The engine resolves flow names case-insensitively, so two names differing only in case would clash.
    const taken = this.flows.find((flow) => flow.name.toLowerCase() === name.toLowerCase());
    if (taken)
      return jsonAnswer(409, errorBody(409, `A flow named ${taken.name} already exists (flow names are compared case-insensitively)`));
    const nowIso = new Date(this.now()).toISOString();
    const flow: StudioFlow = {
      id: randomUUID(),
      bot_id: this.bot.id,
      organization_id: this.bot.organization_id,
      name,
      description: typeof request['description'] === 'string' ? request['description'] : '',
      commands: Array.isArray(request['commands']) ? (request['commands'] as string[]) : [],
      content,
      created_at: nowIso,
      updated_at: nowIso,
    };
    this.flows.push(flow);
    return jsonAnswer(201, flow);
  }

  /** Only commands, content and description change; a flow's name and id stay (other fields are ignored). */
  private updateFlow(id: string, body: string): Answer {
    const flow = this.flowById(id);
    if (!flow) return jsonAnswer(404, errorBody(404, `No flow with id ${id}`));
    const request = parseJson(body);
    if (request === undefined) return jsonAnswer(400, errorBody(400, 'Request body is not valid JSON'));
    if (!isObject(request)) return jsonAnswer(400, errorBody(400, 'Request body must be a JSON object: {commands, content, description}'));
    if (request['content'] !== undefined && typeof request['content'] !== 'string') {
      return jsonAnswer(400, errorBody(400, 'content must be a string'));
    }
    const problem = flowFieldsProblem(request);
    if (problem) return jsonAnswer(400, errorBody(400, problem));
    if (typeof request['content'] === 'string') flow.content = request['content'];
    if (typeof request['description'] === 'string') flow.description = request['description'];
    if (Array.isArray(request['commands'])) flow.commands = [...(request['commands'] as string[])];
    this.touch(flow);
    return this.putFlowAnswer === 'flow' ? jsonAnswer(200, flow) : EMPTY_ANSWER;
  }

  private deleteFlow(id: string): Answer {
    const flow = this.flowById(id);
    if (!flow) return jsonAnswer(404, errorBody(404, `No flow with id ${id}`));
    this.flows = this.flows.filter((candidate) => candidate !== flow);
    return EMPTY_ANSWER;
  }

  /** A new version from the flows as they are now; the request body, if any, is not read. */
  private build(): Answer {
    const build: StudioBuild = {
      id: this.bot.id,
      name: this.bot.name,
      default_flow: this.bot.default_flow,
      created_at: new Date(this.now()).toISOString(),
      version_id: randomUUID(),
      engine_version: EMULATOR_ENGINE_VERSION,
      flows: clone(this.flows),
    };
    this.builds.push(build);
    return jsonAnswer(200, build);
  }

  private getBuild(query: URLSearchParams): Answer {
    const versionId = query.get('version_id') ?? 'latest';
    if (versionId === '') return jsonAnswer(400, errorBody(400, "version_id must be a version's id or latest"));
    const build =
      versionId === 'latest' ? this.builds[this.builds.length - 1] : this.builds.find((candidate) => candidate.version_id === versionId);
    if (!build) {
      return jsonAnswer(404, errorBody(404, versionId === 'latest' ? 'The bot has not been built yet' : `No version with id ${versionId}`));
    }
    return jsonAnswer(200, build);
  }

  private flowById(id: string): StudioFlow | undefined {
    return this.flows.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
  }

  /** Moves a changed flow's `updated_at` to now, and always strictly later, so every change shows even on a frozen clock. */
  private touch(flow: StudioFlow): void {
    const previous = Date.parse(flow.updated_at);
    const now = this.now();
    flow.updated_at = new Date(Number.isNaN(previous) ? now : Math.max(now, previous + 1)).toISOString();
  }

  /** Checks the posted bot (its flows' content), never the emulator's own flows, with a small check of its own. */
  private validate(body: string): Answer {
    const posted = postedFlows(body);
    if (typeof posted === 'string') return jsonAnswer(400, errorBody(400, posted));
    const errors = validateFlows(posted);
    return jsonAnswer(200, errors.length === 0 ? { valid: true } : { valid: false, errors });
  }

  private openConversation(body: string): Answer {
    const request = parseJson(body);
    if (request === undefined) return jsonAnswer(400, errorBody(400, 'Request body is not valid JSON'));
    if (!isObject(request)) return jsonAnswer(400, errorBody(400, 'Request body must be a JSON object'));
    const userId = request['user_id'];
    if (typeof userId !== 'string' || userId === '') {
      return jsonAnswer(400, errorBody(400, 'user_id is required and must be a non-empty string'));
    }
    const conversation = this.openConversationOf(userId);
    if (conversation) return jsonAnswer(200, { has_open: true, conversation });
    switch (this.noOpenShape) {
      case 'absent':
        return jsonAnswer(200, { has_open: false });
      case 'empty-object':
        return jsonAnswer(200, { has_open: false, conversation: {} });
      default:
        return jsonAnswer(200, { has_open: false, conversation: null });
    }
  }

  /**
   * Answers like a bot built with the engine, deterministically: every answer that goes on is a typing indicator,
   * an echo of what was sent, a debug message naming the flow and step, and a question with Next and Stop buttons.
   * Anything but a flow_trigger moves the conversation one step on; "stop" (typed or clicked) and the end of a flow
   * close it with "Goodbye!" and `conversation_end: true`.
   */
  private chat(body: string): Answer {
    const request = parseJson(body);
    if (request === undefined) return jsonAnswer(400, errorBody(400, 'Request body is not valid JSON'));
    const problem = chatRequestProblem(request);
    if (problem || !isObject(request)) return jsonAnswer(400, errorBody(400, problem ?? 'Invalid request'));
    const client = request['client'] as Record<string, unknown>;
    const payload = request['payload'] as Record<string, unknown>;
    const content = payload['content'] as Record<string, unknown>;
    const userId = client['user_id'] as string;
    const contentType = payload['content_type'] as string;
    const nowIso = new Date(this.now()).toISOString();

    const replies: ChatReply[] = [CHAT_TYPING];
    let conversation = this.openConversationOf(userId);
    let ended = false;
    if (contentType === 'flow_trigger') {
      const reference = content['flow_id'];
      if (typeof reference !== 'string' || reference === '') {
        return jsonAnswer(400, errorBody(400, 'payload.content.flow_id is required for flow_trigger'));
      }
      const flow = this.findFlow(reference);
      if (!flow) return jsonAnswer(400, errorBody(400, `No flow with id or name ${reference}`));
      // close_flows ends whatever was open; otherwise the open conversation switches flow in place.
      conversation =
        conversation && content['close_flows'] !== true
          ? { ...conversation, flow_id: flow.id, step_id: 'start' }
          : this.newConversation(userId, flow, request['metadata'], nowIso);
      replies.push(chatText(`Starting flow ${flow.name}.`));
    } else {
      const said =
        contentType === 'text' ? (content['text'] as string) : contentType === 'payload' ? (content['payload'] as string) : undefined;
      replies.push(
        chatText(
          contentType === 'text'
            ? `You said: ${said}`
            : contentType === 'payload'
              ? `You chose: ${said}`
              : `Received a ${contentType} message.`,
        ),
      );
      const stop = said !== undefined && said.trim().toLowerCase() === STOP_PAYLOAD;
      if (!conversation) {
        const flow = this.findFlow(this.bot.default_flow) ?? this.flows[0];
        if (!flow) return jsonAnswer(500, errorBody(500, 'The bot has no flows'));
        conversation = this.newConversation(userId, flow, request['metadata'], nowIso);
        ended = stop;
      } else if (stop) {
        ended = true;
      } else {
        const flow = this.findFlow(conversation.flow_id);
        const steps = flow ? stepNamesOf(flow.content) : [];
        const next = steps[steps.indexOf(conversation.step_id) + 1];
        if (next === undefined || steps.indexOf(conversation.step_id) < 0) ended = true;
        else conversation = { ...conversation, step_id: next };
      }
    }

    conversation = { ...conversation, last_interaction_at: nowIso };
    if (ended) {
      replies.push(chatText('Goodbye!'));
      this.conversations.set(userId, null);
    } else {
      const flowName = this.findFlow(conversation.flow_id)?.name ?? conversation.flow_id;
      replies.push(
        { content_type: 'debug', content: { args: [`flow ${flowName}, step ${conversation.step_id}`] } },
        {
          content_type: 'question',
          content: {
            title: `Now in flow ${flowName}, step ${conversation.step_id}. Go on?`,
            buttons: [chatButton('Next', NEXT_PAYLOAD), chatButton('Stop', STOP_PAYLOAD)],
          },
        },
      );
      this.conversations.set(userId, conversation);
    }
    const conversationId = conversation.id;
    const requestId = request['request_id'];
    return jsonAnswer(200, {
      request_id: typeof requestId === 'string' && requestId !== '' ? requestId : randomUUID(),
      messages: replies.map((reply, index) => ({
        conversation_id: conversationId,
        direction: 'SEND',
        interaction_order: index,
        payload: reply,
      })),
      client: { bot_id: this.bot.id, channel_id: this.channelId, user_id: userId },
      received_at: nowIso,
      conversation_end: ended,
    });
  }

  private openConversationOf(userId: string): StudioConversation | null {
    const conversation = this.conversations.get(userId);
    if (!conversation) return null;
    // A conversation set without a status is taken as open; any other status is not.
    return conversation.status === undefined || conversation.status === 'OPEN' ? clone(conversation) : null;
  }

  private newConversation(userId: string, flow: StudioFlow, metadata: unknown, nowIso: string): StudioConversation {
    return {
      id: randomUUID(),
      client: { channel_id: this.channelId, user_id: userId, bot_id: this.bot.id },
      flow_id: flow.id,
      step_id: 'start',
      metadata,
      status: 'OPEN',
      last_interaction_at: nowIso,
      created_at: nowIso,
    };
  }

  /** Like the engine: by id or by name, case-insensitively. */
  private findFlow(reference: string): StudioFlow | undefined {
    const wanted = reference.toLowerCase();
    return this.flows.find((flow) => flow.id.toLowerCase() === wanted) ?? this.flows.find((flow) => flow.name.toLowerCase() === wanted);
  }

  // ----- demo -----------------------------------------------------------------------------------------------

  private seedDemoUsers(demo: DemoOptions): void {
    const users = demo.users ?? DEFAULT_DEMO_USERS;
    const nowIso = new Date(this.now()).toISOString();
    users.forEach((userId, index) => {
      const flow = this.flows[index % Math.max(1, this.flows.length)];
      if (!this.conversations.has(userId) && flow) {
        this.conversations.set(userId, this.newConversation(userId, flow, { demo: true }, nowIso));
      }
    });
    if (!this.conversations.has(USER_WITHOUT_CONVERSATION)) this.conversations.set(USER_WITHOUT_CONVERSATION, null);
  }

  /** Moves each demo user one step on; past a flow's last step, on to the next flow, so the view always changes. */
  private advanceDemoUsers(): void {
    if (this.flows.length === 0) return;
    const nowIso = new Date(this.now()).toISOString();
    for (const userId of this.demo?.users ?? DEFAULT_DEMO_USERS) {
      const conversation = this.openConversationOf(userId);
      if (!conversation) continue;
      const flowIndex = this.flows.findIndex((flow) => flow === this.findFlow(conversation.flow_id));
      const flow = this.flows[flowIndex];
      const steps = flow ? stepNamesOf(flow.content) : [];
      const next = steps[steps.indexOf(conversation.step_id) + 1];
      if (flow && next !== undefined) {
        conversation.step_id = next;
      } else {
        const nextFlow = this.flows[(flowIndex + 1) % this.flows.length];
        // Keep the reference style the conversation had: an id stays an id, a name stays a name.
        const byName = flow !== undefined && conversation.flow_id.toLowerCase() === flow.name.toLowerCase();
        conversation.flow_id = byName ? nextFlow.name : nextFlow.id;
        conversation.step_id = stepNamesOf(nextFlow.content)[0] ?? 'start';
      }
      conversation.last_interaction_at = nowIso;
      this.conversations.set(userId, conversation);
    }
  }

  // ----- control endpoints (unauthenticated, outside basePath, never faulted nor recorded) --------------------

  private control(method: string, path: string, body: RequestBody): Answer {
    const conversationPath = /^\/conversations\/([^/]+)$/.exec(path);
    const flowContentPath = /^\/flows\/([^/]+)\/content$/.exec(path);
    const key = conversationPath ? '/conversations/:userId' : flowContentPath ? '/flows/:nameOrId/content' : path;
    const allowed: Record<string, string[]> = {
      '/health': ['GET'],
      '/faults': ['GET', 'POST', 'DELETE'],
      '/requests': ['GET', 'DELETE'],
      '/conversations/:userId': ['GET', 'PUT'],
      '/flows': ['GET', 'PUT'],
      '/flows/:nameOrId/content': ['PUT'],
      '/rate': ['GET'],
    };
    const methods = allowed[key];
    if (!methods) return jsonAnswer(404, errorBody(404, `No control endpoint at ${CONTROL_PREFIX}${path}`));
    if (!methods.includes(method)) {
      return {
        ...jsonAnswer(405, errorBody(405, `${method} is not allowed here`)),
        headers: { 'content-type': JSON_TYPE, allow: methods.join(', ') },
      };
    }
    const parsed = (): unknown => parseJson(body.text);
    const userId = conversationPath ? decodePathPart(conversationPath[1]) : '';

    switch (`${method} ${key}`) {
      case 'GET /health':
        return jsonAnswer(200, { ok: true, baseUrl: this.listening ? this.baseUrl : null });
      case 'GET /faults':
        return jsonAnswer(200, this.faults);
      case 'POST /faults': {
        const fault = parsed();
        const problem = isObject(fault) ? faultProblem(fault) : 'a fault must be a JSON object';
        if (problem) return jsonAnswer(400, errorBody(400, `Invalid fault: ${problem}`));
        this.fault(fault as Fault);
        return jsonAnswer(201, { faults: this.faults.length });
      }
      case 'DELETE /faults':
        this.clearFaults();
        return jsonAnswer(200, { faults: 0 });
      case 'GET /requests':
        return jsonAnswer(200, this.requests.map(redactSignature));
      case 'DELETE /requests':
        this.clearRequests();
        return jsonAnswer(200, { requests: 0 });
      case 'GET /rate':
        return jsonAnswer(200, { maxPerSecond: this.maxRequestsPerSecond() });
      case 'GET /conversations/:userId':
        return jsonAnswer(200, { user_id: userId, conversation: this.getConversation(userId) });
      case 'PUT /conversations/:userId': {
        const conversation = parsed();
        if (conversation !== null && !isObject(conversation)) {
          return jsonAnswer(400, errorBody(400, 'Expected a JSON conversation object or null'));
        }
        this.setConversation(userId, conversation as StudioConversation | null);
        return jsonAnswer(200, { user_id: userId, conversation: this.getConversation(userId) });
      }
      case 'GET /flows':
        return jsonAnswer(200, this.flows);
      case 'PUT /flows': {
        const flows = parsed();
        if (!Array.isArray(flows) || !flows.every(isObject)) return jsonAnswer(400, errorBody(400, 'Expected a JSON array of flows'));
        this.setFlows(flows as StudioFlow[]);
        return jsonAnswer(200, { flows: this.flows.length });
      }
      case 'PUT /flows/:nameOrId/content': {
        const request = parsed();
        if (!isObject(request) || typeof request['content'] !== 'string') {
          return jsonAnswer(400, errorBody(400, 'Expected a JSON object {"content": "<the new content>"}'));
        }
        const nameOrId = flowContentPath ? decodePathPart(flowContentPath[1]) : '';
        if (!this.findFlow(nameOrId)) return jsonAnswer(404, errorBody(404, `No flow with id or name ${nameOrId}`));
        return jsonAnswer(200, this.editFlowAsColleague(nameOrId, request['content']));
      }
      default:
        return jsonAnswer(404, errorBody(404, `No control endpoint at ${CONTROL_PREFIX}${path}`));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers (module-private).
// ---------------------------------------------------------------------------------------------------------------

interface RequestBody {
  text: string;
  tooLarge: boolean;
}

/** Reads the whole body; past the limit it keeps draining (so the client can read our 413) but stops storing. */
function readBody(req: http.IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES }));
    req.on('error', reject);
  });
}

function sendAnswer(res: http.ServerResponse, answer: Answer, nowMs: number): void {
  const body = Buffer.from(answer.body, 'utf8');
  // The Date header follows the emulator's clock, so a client can compare it with its own.
  const headers: Record<string, string> = { ...answer.headers, date: httpDate(nowMs) };
  // HTTP forbids Content-Length (and a body) on a 204.
  if (answer.status !== 204) headers['content-length'] = String(body.length);
  res.writeHead(answer.status, headers);
  res.end(answer.status === 204 ? undefined : body);
}

function jsonAnswer(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value) };
}

/** The Studio does not document its error bodies; this one carries a reason and a human sentence. */
function errorBody(status: number, message: string): { error: string; message: string } {
  return { error: http.STATUS_CODES[status] ?? 'Error', message };
}

/** The answer a fault imposes, or undefined when it only changes how the normal answer is delivered. */
function faultAnswer(fault: Fault): Answer | undefined {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE };
  const body = fault.json !== undefined ? JSON.stringify(fault.json) : fault.body;
  if (fault.redirectTo !== undefined) {
    const status = fault.status !== undefined && fault.status >= 300 && fault.status < 400 ? fault.status : 302;
    return { status, headers: { ...headers, location: fault.redirectTo }, body: body ?? '' };
  }
  if (fault.status === undefined && body === undefined) return undefined;
  const status = fault.status ?? 200;
  if (body !== undefined) return { status, headers, body };
  return status >= 400 ? jsonAnswer(status, errorBody(status, 'Injected fault')) : { status, headers, body: '' };
}

/** Why a fault cannot be used, or undefined; it also guards faults that arrive as JSON from another process. */
function faultProblem(fault: Fault): string | undefined {
  const numberOk = (value: unknown): boolean => value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
  if (fault.path !== undefined && typeof fault.path !== 'string') return 'path must be a string';
  if (fault.method !== undefined && typeof fault.method !== 'string') return 'method must be a string';
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1)) return 'times must be a positive integer';
  if (fault.nth !== undefined && (!Number.isInteger(fault.nth) || fault.nth < 1)) return 'nth must be a positive integer';
  if (fault.nth !== undefined && fault.times !== undefined) return 'nth and times cannot be used together';
  if (fault.status !== undefined && (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)) {
    return 'status must be an HTTP status code';
  }
  if (!numberOk(fault.delayMs) || !numberOk(fault.retryAfter)) return 'delayMs and retryAfter must be non-negative numbers';
  if (fault.body !== undefined && typeof fault.body !== 'string') return 'body must be a string (use json for values)';
  if (fault.headers !== undefined && (!isObject(fault.headers) || !Object.values(fault.headers).every((v) => typeof v === 'string'))) {
    return 'headers must map names to strings';
  }
  if (fault.trickle !== undefined && (!isObject(fault.trickle) || !(fault.trickle.chunks >= 1) || !numberOk(fault.trickle.intervalMs))) {
    return 'trickle needs chunks >= 1 and intervalMs >= 0';
  }
  if (fault.redirectTo !== undefined && typeof fault.redirectTo !== 'string') return 'redirectTo must be a string';
  return undefined;
}

/** Why a flow's optional description or commands, as `POST` and `PUT /bot/flows` take them, are unusable, or undefined. */
function flowFieldsProblem(request: Record<string, unknown>): string | undefined {
  const { description, commands } = request;
  if (description !== undefined && typeof description !== 'string') return 'description must be a string';
  if (commands !== undefined && (!Array.isArray(commands) || !commands.every((command) => typeof command === 'string'))) {
    return 'commands must be an array of strings';
  }
  return undefined;
}

/** One message of a chat answer, as the engine sends it in `messages[].payload`. */
interface ChatReply {
  content_type: string;
  content: Record<string, unknown>;
}

/** The engine's `Typing(500)`. */
const CHAT_TYPING: Readonly<ChatReply> = { content_type: 'typing', content: { duration: 500 } };

function chatText(text: string): ChatReply {
  return { content_type: 'text', content: { text } };
}

/** The engine's `Button(title, payload = payload)`: it accepts its title and its payload as typed answers. */
function chatButton(title: string, payload: string): ChatReply {
  return { content_type: 'button', content: { title, payload, accepts: [title, payload] } };
}

/** Why a chat request breaks the documented contract, or undefined. */
function chatRequestProblem(request: unknown): string | undefined {
  if (!isObject(request)) return 'Request body must be a JSON object';
  const client = request['client'];
  if (!isObject(client) || typeof client['user_id'] !== 'string' || client['user_id'] === '') {
    return 'client.user_id is required and must be a non-empty string';
  }
  if (!isObject(request['metadata'])) return 'metadata is required and must be an object';
  const payload = request['payload'];
  if (!isObject(payload)) return 'payload is required and must be an object';
  const contentType = payload['content_type'];
  if (typeof contentType !== 'string' || !CHAT_CONTENT_TYPES.has(contentType)) {
    return `payload.content_type must be one of ${[...CHAT_CONTENT_TYPES].join(', ')}`;
  }
  if (!isObject(payload['content'])) return 'payload.content is required and must be an object';
  if (contentType === 'text' && typeof payload['content']['text'] !== 'string') return 'payload.content.text must be a string';
  if (contentType === 'payload' && typeof payload['content']['payload'] !== 'string') return 'payload.content.payload must be a string';
  const requestId = request['request_id'];
  if (requestId !== undefined && typeof requestId !== 'string') return 'request_id must be a string';
  return undefined;
}

/** The flows of a `POST /bot/validate` body (the bot as `GET /bot` answers it, with each flow's content), or why there are none. */
function postedFlows(body: string): Array<{ name: string; content: string }> | string {
  const bot = parseJson(body);
  if (bot === undefined) return 'Request body is not valid JSON';
  if (!isObject(bot)) return "Request body must be a JSON object: the bot, as GET /bot answers it, with each flow's content";
  const flows = bot['flows'];
  if (flows === undefined) return "flows is required: the array of the bot's flows, each with its name and content";
  if (!Array.isArray(flows)) return 'flows must be an array';
  const checked: Array<{ name: string; content: string }> = [];
  for (const [index, flow] of (flows as unknown[]).entries()) {
    if (!isObject(flow)) return `flows[${index}] must be an object`;
    const { name, content } = flow;
    if (typeof name !== 'string') return `flows[${index}].name must be a string`;
    if (typeof content !== 'string') return `flows[${index}].content must be a string`;
    checked.push({ name, content });
  }
  return checked;
}

/** Step names declared in a flow, in order, as the extension's own parser reads them (one reading of CSML). */
function stepNamesOf(content: string): string[] {
  return [...new Set(parseFlow(content).steps.map((step) => step.name.text))];
}

function sameText(a: string, b: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function redactSignature(record: RecordedRequest): RecordedRequest {
  const headers = { ...record.headers };
  if (headers['x-api-signature'] !== undefined) headers['x-api-signature'] = '<redacted>';
  return { ...record, headers };
}

/** A path segment decoded, or as sent when its escapes are broken: a bad request must get an answer, not a 500. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : '/' + trimmed;
}

function defaultFlow(): StudioFlow {
  return {
    id: DEFAULT_IDS.flow,
    bot_id: DEFAULT_IDS.bot,
    organization_id: DEFAULT_IDS.organization,
    name: 'Default',
    description: 'The default flow',
    commands: ['/default'],
    content: 'start:\n\tsay "hello!"\n\tgoto end',
    created_at: DEFAULT_TIMESTAMP,
    updated_at: DEFAULT_TIMESTAMP,
  };
}

function defaultBot(flows: StudioFlow[]): StudioBot {
  return {
    id: flows[0]?.bot_id ?? DEFAULT_IDS.bot,
    organization_id: flows[0]?.organization_id ?? DEFAULT_IDS.organization,
    name: 'Emulated Bot',
    description: 'A bot served by the local Studio emulator',
    default_flow: flows[0]?.id ?? '',
    created_at: DEFAULT_TIMESTAMP,
    updated_at: DEFAULT_TIMESTAMP,
    env: {},
  };
}
