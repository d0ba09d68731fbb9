import { withoutControlCharacters } from '../common/controlCharacters';
import { endpointUrl } from './baseUrl';
import { StudioError } from './errors';
import { Fetch, HttpResponse, parseRetryAfter, readBodyCapped } from './http';
import { ChatAnswer, ChatPayload, parseChatAnswer } from './chat';
import {
  Bot,
  BotBuild,
  Flow,
  OpenConversationAnswer,
  SchemaError,
  isJsonObject,
  parseBot,
  parseBotBuild,
  parseFlows,
  parseOneFlow,
  parseOpenConversationAnswer,
} from './schema';
import { Credentials, SignedHeaders, signRequest } from './signing';
import { BotDocument, parseBotDocument } from './botDocument';
import { parseValidationAnswer, ValidationAnswer } from './validationAnswer';
import { RequestPacer } from './requestPacer';

/** Private endpoints are signed; public ones (Chat) carry the bare key. */
type Access = 'private' | 'public';

/** A conversation is small; a whole bot's flows with their sources can be several MB. */
export const MAX_CONVERSATION_BYTES = 1024 * 1024;
export const MAX_FLOWS_BYTES = 32 * 1024 * 1024;
/** A validation answer lists errors, a few per flow at most. */
const MAX_VALIDATION_BYTES = 8 * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** A Retry-After longer than this holds the key's other requests no longer: a bad header must not freeze them. */
const MAX_HOLD_SECONDS = 60;

export interface RequestRecord {
  readonly method: string;
  /** The URL's path only: user ids travel in bodies, so nothing personal or secret is here. */
  readonly path: string;
  readonly status?: number;
  readonly ms: number;
  readonly error?: string;
}

export interface StudioClientOptions {
  /** Already checked by parseBaseUrl. */
  readonly baseUrl: URL;
  readonly credentials: Credentials;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  readonly onRequest?: (record: RequestRecord) => void;
  /** Milliseconds since the epoch; tests move it to check signing and Retry-After. */
  readonly now?: () => number;
  /** Shared by every client for the same key, so all of them together stay under the Studio's rate limit. */
  readonly pacer?: RequestPacer;
}

/** The Studio's private API: every request signed afresh, every answer validated. */
export class StudioClient {
  private readonly now: () => number;

  constructor(private readonly options: StudioClientOptions) {
    this.now = options.now ?? Date.now;
  }

  get baseUrl(): URL {
    return this.options.baseUrl;
  }

  async getBot(signal?: AbortSignal): Promise<Bot> {
    return this.parse('GET /bot', parseBot, await this.request('GET', '/bot', undefined, MAX_CONVERSATION_BYTES, signal));
  }

  async getFlows(signal?: AbortSignal): Promise<Flow[]> {
    return this.parse('GET /bot/flows', parseFlows, await this.request('GET', '/bot/flows', undefined, MAX_FLOWS_BYTES, signal));
  }

  /** `POST /bot/flows`: a new flow, with the id the Studio gives it. */
  async createFlow(flow: FlowToSend & { readonly name: string }, signal?: AbortSignal): Promise<Flow> {
    const answer = await this.request('POST', '/bot/flows', JSON.stringify(flow), MAX_FLOWS_BYTES, signal);
    return this.parse('POST /bot/flows', parseOneFlow, answer);
  }

  /** `PUT /bot/flows/:id`, documented as 204 but also seen answering the flow: the flow when there is one. */
  async updateFlow(id: string, flow: FlowToSend, signal?: AbortSignal): Promise<Flow | undefined> {
    const answer = await this.request('PUT', flowPath(id), JSON.stringify(flow), MAX_FLOWS_BYTES, signal);
    return answer === undefined || (isJsonObject(answer) && Object.keys(answer).length === 0)
      ? undefined
      : this.parse('PUT /bot/flows/:id', parseOneFlow, answer);
  }

  /** `DELETE /bot/flows/:id`: only ever on the user's explicit choice of that flow. */
  async deleteFlow(id: string, signal?: AbortSignal): Promise<void> {
    await this.request('DELETE', flowPath(id), undefined, MAX_CONVERSATION_BYTES, signal);
  }

  /** `POST /bot/build`: a new version of the bot from its deployed flows. */
  async buildVersion(signal?: AbortSignal): Promise<BotBuild> {
    return this.parse('POST /bot/build', parseBotBuild, await this.request('POST', '/bot/build', '{}', MAX_FLOWS_BYTES, signal));
  }

  /** `GET /bot` whole, for validation to send it back. */
  async getBotDocument(signal?: AbortSignal): Promise<BotDocument> {
    return this.parse('GET /bot', parseBotDocument, await this.request('GET', '/bot', undefined, MAX_FLOWS_BYTES, signal));
  }

  /** `POST /bot/validate` with a bot shaped as `GET /bot` returns it. */
  async validateBot(bot: object, signal?: AbortSignal): Promise<ValidationAnswer> {
    const answer = await this.request('POST', '/bot/validate', JSON.stringify(bot), MAX_VALIDATION_BYTES, signal);
    return this.parse('POST /bot/validate', parseValidationAnswer, answer);
  }

  /** The user id goes into the JSON body exactly as given: it is never part of a URL. */
  async openConversation(userId: string, signal?: AbortSignal): Promise<OpenConversationAnswer> {
    const body = JSON.stringify({ user_id: userId });
    const answer = await this.request('POST', '/conversations/open', body, MAX_CONVERSATION_BYTES, signal);
    return this.parse('POST /conversations/open', parseOpenConversationAnswer, answer);
  }

  /**
   * `POST /chat`, a public endpoint: it carries the bare key and no signature. The user id and
   * the payload go into the body exactly as given.
   */
  async chat(userId: string, payload: ChatPayload, signal?: AbortSignal): Promise<ChatAnswer> {
    const body = JSON.stringify({ client: { user_id: userId }, metadata: {}, payload });
    const answer = await this.request('POST', '/chat', body, MAX_CONVERSATION_BYTES, signal, 'public');
    return this.parse('POST /chat', parseChatAnswer, answer);
  }

  private parse<T>(what: string, parser: (body: unknown) => T, body: unknown): T {
    try {
      return parser(body);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      throw new StudioError(
        'malformed',
        `The Studio's answer to ${what} was not understood (${error.message}); check that csml.apiBaseUrl points at the Studio API.`,
      );
    }
  }

  private async request(
    method: string,
    path: string,
    body: string | undefined,
    maxBytes: number,
    outer?: AbortSignal,
    access: Access = 'private',
  ): Promise<unknown> {
    const what = `${method} ${path}`;
    let url = endpointUrl(this.options.baseUrl, path);
    for (let hop = 0; ; hop++) {
      const response = await this.send(method, url, body, maxBytes, what, access, outer);
      if (response.status < 300 || response.status >= 400) return response.json;
      const location = response.location;
      const target = location === undefined ? undefined : safeUrl(location, url);
      if (!target || target.origin !== this.options.baseUrl.origin || hop >= MAX_REDIRECTS) {
        const where = target ? target.origin : 'an unknown address';
        throw new StudioError(
          'redirect',
          `The Studio redirected ${what} to ${where}, which was not followed so your credentials stay with ${this.options.baseUrl.origin}; set csml.apiBaseUrl to the address that answers directly.`,
          { status: response.status },
        );
      }
      url = target;
    }
  }

  /**
   * One HTTP exchange, timed out as a whole (headers and body) and cancellable from outside. The wait for the
   * pacer comes first and is not timed: the request is signed, and its time counted, once it may go.
   */
  private async send(
    method: string,
    url: URL,
    body: string | undefined,
    maxBytes: number,
    what: string,
    access: Access,
    outer?: AbortSignal,
  ): Promise<{ status: number; location?: string; json?: unknown }> {
    if (outer?.aborted) throw cancelled(what);
    if (this.options.pacer) await this.waitTurn(this.options.pacer, what, outer);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener('abort', onOuterAbort);
    const started = performance.now();
    let status: number | undefined;
    try {
      const signed = signRequest(this.options.credentials, this.now() / 1000);
      const auth: Record<string, string> = access === 'private' ? { ...signed } : { 'X-Api-Key': this.options.credentials.apiKey };
      const headers: Record<string, string> = { Accept: 'application/json', ...auth };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await this.options.fetch(url.href, { method, headers, body, signal: controller.signal, redirect: 'manual' });
      status = response.status;
      if (status >= 300 && status < 400) return { status, location: response.headers.get('location') ?? undefined };
      const bytes = await readBodyCapped(response.body, maxBytes);
      if (bytes === undefined) {
        controller.abort();
        throw new StudioError(
          'tooLarge',
          `The Studio's answer to ${what} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, far more than expected; check that csml.apiBaseUrl points at the Studio API.`,
          { status },
        );
      }
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      if (status >= 400) throw this.statusError(what, response, text, signed);
      return { status, json: parseJson(what, text, response) };
    } catch (error) {
      throw this.transportError(error, what, url, { timedOut, outer });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      this.options.onRequest?.({ method, path: url.pathname, status, ms: Math.round((performance.now() - started) * 10) / 10 });
    }
  }

  private async waitTurn(pacer: RequestPacer, what: string, outer?: AbortSignal): Promise<void> {
    try {
      await pacer.take(outer);
    } catch (error) {
      throw outer?.aborted ? cancelled(what) : error;
    }
    // Granted, but cancelled before this continuation ran: the exchange's abort listener would never hear of it.
    if (outer?.aborted) throw cancelled(what);
  }

  private statusError(what: string, response: HttpResponse, text: string, signed: SignedHeaders): StudioError {
    const status = response.status;
    const endpoint = `${this.options.baseUrl.origin}${what.split(' ')[1]}`;
    const details = { status, endpoint };
    const said = serverMessage(text, [
      this.options.credentials.apiSecret,
      signed['X-Api-Signature'],
      signed['X-Api-Key'],
      this.options.credentials.apiKey,
    ]);
    const saidPart = said ? `: "${said}"` : '';
    if (status === 401 || status === 403) {
      const skew = clockSkewSeconds(response.headers.get('date'), this.now());
      const clock =
        skew !== undefined && Math.abs(skew) >= 60
          ? ` This computer's clock is ${Math.round(Math.abs(skew) / 60)} min ${skew > 0 ? 'behind' : 'ahead of'} the server's, and signed requests expire after a few minutes: correct the clock.`
          : " If they are right, check this computer's clock, since signed requests expire after a few minutes.";
      return new StudioError(
        'credentialsRejected',
        `The Studio rejected the API key or secret (HTTP ${status}); set them again with "CSML: Set API Credentials".${clock}`,
        details,
      );
    }
    if (status === 429 || status === 503) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), this.now());
      // Every request of this key waits, not only the one refused: polling and a deploy share the Studio's limit.
      if (retryAfterSeconds !== undefined) this.options.pacer?.holdFor(Math.min(retryAfterSeconds, MAX_HOLD_SECONDS) * 1000);
      const wait = retryAfterSeconds !== undefined ? `it asked to wait ${retryAfterSeconds} s` : 'requests will slow down and retry';
      return new StudioError('rateLimited', `The Studio is busy or limiting requests (HTTP ${status}); ${wait}.`, {
        ...details,
        retryAfterSeconds,
      });
    }
    if (status === 404) {
      return new StudioError(
        'notFound',
        `The Studio has no ${what} at ${this.options.baseUrl.href} (HTTP 404)${saidPart}; check that csml.apiBaseUrl ends in /v1/api.`,
        details,
      );
    }
    if (status === 413) {
      const remedy = what.endsWith('/bot/validate') ? 'split the largest flows into smaller ones' : 'use a shorter user id';
      return new StudioError('badRequest', `The Studio refused ${what} as too large (HTTP 413); ${remedy}.`, details);
    }
    if (status >= 500) {
      return new StudioError('server', `The Studio failed to answer ${what} (HTTP ${status})${saidPart}; try again in a moment.`, details);
    }
    return new StudioError(
      'badRequest',
      `The Studio refused ${what} (HTTP ${status})${saidPart}; check that csml.apiBaseUrl points at the Studio API, then try again.`,
      details,
    );
  }

  private transportError(error: unknown, what: string, url: URL, state: { timedOut: boolean; outer?: AbortSignal }): StudioError {
    if (error instanceof StudioError) return error;
    if (state.timedOut) {
      const seconds = Math.round(this.options.timeoutMs / 100) / 10;
      return new StudioError(
        'timeout',
        `The Studio did not answer ${what} within ${seconds} s; try again, or raise csml.requestTimeoutSeconds.`,
      );
    }
    if (state.outer?.aborted) return cancelled(what);
    const code = errorCode(error);
    const host = url.host;
    switch (code) {
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new StudioError(
          'network',
          `Could not find the Studio's host ${host} (DNS lookup failed); check your connection and the csml.apiBaseUrl setting.`,
        );
      case 'ECONNREFUSED':
        return new StudioError(
          'network',
          `${host} refused the connection; check that the Studio address in csml.apiBaseUrl is right and reachable.`,
        );
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ERR_STREAM_PREMATURE_CLOSE':
        return new StudioError('network', `The connection to ${host} was cut off during ${what}; try again.`);
      case 'CERT_HAS_EXPIRED':
      case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      case 'SELF_SIGNED_CERT_IN_CHAIN':
      case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        return new StudioError(
          'network',
          `The TLS certificate of ${host} was not accepted (${code}); check csml.apiBaseUrl and any proxy between you and the Studio.`,
        );
      default:
        return new StudioError(
          'network',
          `Could not reach the Studio at ${host}${code ? ` (${code})` : ''}; check your connection and the csml.apiBaseUrl setting.`,
        );
    }
  }
}

function cancelled(what: string): StudioError {
  return new StudioError('cancelled', `${what} was cancelled.`);
}

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/** What a flow is sent with; the Studio keeps what is left out. */
export interface FlowToSend {
  readonly content: string;
  readonly commands: readonly string[];
  readonly description?: string;
}

/**
 * The path of a flow from its id, which comes from the server: an id that is not a plain token (`..`, `a/b`) could
 * make the request reach another endpoint, so it is refused.
 */
function flowPath(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(id)) {
    throw new StudioError(
      'malformed',
      `The Studio gave a flow an id that is not a plain identifier (${JSON.stringify(withoutControlCharacters(id.slice(0, 40)))}); nothing was sent for it.`,
    );
  }
  return `/bot/flows/${id}`;
}

function parseJson(what: string, text: string, response: HttpResponse): unknown {
  // No Content: the documented answer of an update or a deletion.
  if (response.status === 204) return undefined;
  if (text.trim() === '') {
    throw new StudioError('malformed', `The Studio's answer to ${what} was empty; check that csml.apiBaseUrl points at the Studio API.`, {
      status: response.status,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text) || (response.headers.get('content-type') ?? '').includes('html');
    const got = looksHtml ? 'an HTML page' : 'not valid JSON';
    throw new StudioError(
      'malformed',
      `The Studio's answer to ${what} was ${got}; check that csml.apiBaseUrl points at the Studio API, not a web page or proxy.`,
      { status: response.status },
    );
  }
}

/** The `message` or `error` a JSON error body carries, cut short, on one line, with anything secret removed. */
function serverMessage(text: string, secrets: readonly string[]): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  const candidate = [parsed.message, parsed.error, parsed.detail].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (!candidate) return undefined;
  let message = candidate;
  for (const secret of secrets) {
    if (secret) message = message.split(secret).join('[redacted]');
  }
  message = withoutControlCharacters(message).trim();
  return message.length > 160 ? `${message.slice(0, 159)}…` : message;
}

function clockSkewSeconds(dateHeader: string | null, nowMs: number): number | undefined {
  if (!dateHeader) return undefined;
  const serverMs = Date.parse(dateHeader);
  return Number.isNaN(serverMs) ? undefined : (serverMs - nowMs) / 1000;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: unknown }).cause;
  return cause && cause !== error ? errorCode(cause) : undefined;
}
