import type { KeyValueStore } from '../common/keyValueStore';
import { isJsonObject } from '../studio/schema';
import type { DeployedBase } from './downloadPlan';

const KEY_PREFIX = 'csml.deployedBase:';

export interface KeptBase {
  readonly base: DeployedBase;
  /** The Studio the flows came from (the API's base URL): a base from another Studio is no base. */
  readonly studio: string;
  /** When the flows were downloaded, as an ISO date. */
  readonly downloadedAt: string;
}

/**
 * What each folder's flows were when they were last downloaded: the bot, each flow's id, content hash and
 * `updated_at`. Kept in the extension's own storage, keyed by folder, so nothing but the bot's files goes into
 * the folder; deploying compares against it to tell a colleague's change from one's own.
 */
export class DeployedBases {
  constructor(private readonly store: KeyValueStore) {}

  get(folder: string): KeptBase | undefined {
    const value = this.store.get<unknown>(KEY_PREFIX + folder);
    return isKeptBase(value) ? value : undefined;
  }

  async set(folder: string, kept: KeptBase): Promise<void> {
    // Flow names are untrusted: stored as a plain JSON object, read back with checks.
    await this.store.update(KEY_PREFIX + folder, { ...kept, base: { ...kept.base, flows: { ...kept.base.flows } } });
  }
}

function isKeptBase(value: unknown): value is KeptBase {
  if (!isJsonObject(value) || typeof value.studio !== 'string' || typeof value.downloadedAt !== 'string') return false;
  const base = value.base;
  if (!isJsonObject(base) || (base.botId !== undefined && typeof base.botId !== 'string') || !isJsonObject(base.flows)) return false;
  return Object.values(base.flows).every(
    (flow) =>
      isJsonObject(flow) &&
      typeof flow.id === 'string' &&
      typeof flow.contentHash === 'string' &&
      (flow.updatedAt === undefined || typeof flow.updatedAt === 'string'),
  );
}
