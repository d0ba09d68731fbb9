import { resolveFlow } from '../csml/flowMatch';
import { Flow } from '../studio/schema';
import { StudioConnection } from './studioConnection';

/** A flow created in the Studio after the last fetch is found once this much time has passed. */
const REFETCH_UNKNOWN_AFTER_MS = 30_000;

interface Entry {
  flows?: readonly Flow[];
  fetchedAt: number;
  pending?: Promise<readonly Flow[]>;
}

/**
 * The bot's flows (`GET /bot/flows`), fetched once per base URL and key and shared by every
 * look-up: flow ids are turned into names without a request per conversation.
 */
export class FlowCatalog {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The flow a conversation's flow_id points at, by id or by name as the engine resolves it. */
  async find(connection: StudioConnection, flowRef: string, signal?: AbortSignal): Promise<Flow | undefined> {
    const entry = this.entries.get(connection.cacheKey);
    const cached = entry?.flows && resolveFlow(flowRef, entry.flows);
    if (cached) return cached;
    if (entry?.flows && this.now() - entry.fetchedAt < REFETCH_UNKNOWN_AFTER_MS) return undefined;
    return resolveFlow(flowRef, await this.fetch(connection, signal));
  }

  /** Every flow, from the cache when there is one. */
  async all(connection: StudioConnection, signal?: AbortSignal): Promise<readonly Flow[]> {
    return this.entries.get(connection.cacheKey)?.flows ?? this.fetch(connection, signal);
  }

  /** Reads the deployed flows afresh, for work that must not act on an old list, and keeps them for look-ups. */
  fresh(connection: StudioConnection, signal?: AbortSignal): Promise<readonly Flow[]> {
    return this.fetch(connection, signal);
  }

  /** Flows read elsewhere, as fresh as a fetch: look-ups use them from now on. */
  keep(connection: StudioConnection, flows: readonly Flow[]): void {
    const entry = this.entries.get(connection.cacheKey);
    if (!entry) {
      this.entries.set(connection.cacheKey, { flows, fetchedAt: this.now() });
      return;
    }
    // The same entry, so that a fetch under way still finds it and clears its own mark.
    entry.flows = flows;
    entry.fetchedAt = this.now();
  }

  clear(): void {
    this.entries.clear();
  }

  /** Concurrent callers share one request. */
  private fetch(connection: StudioConnection, signal?: AbortSignal): Promise<readonly Flow[]> {
    let entry = this.entries.get(connection.cacheKey);
    if (!entry) {
      entry = { fetchedAt: 0 };
      this.entries.set(connection.cacheKey, entry);
    }
    if (entry.pending) return entry.pending;
    const target = entry;
    const pending = connection.client.getFlows(signal).then(
      (flows) => {
        target.flows = flows;
        target.fetchedAt = this.now();
        target.pending = undefined;
        return flows;
      },
      (error: unknown) => {
        target.pending = undefined;
        throw error;
      },
    );
    target.pending = pending;
    return pending;
  }
}
