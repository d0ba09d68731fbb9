import { Setting, SettingKey } from '../settingKeys';

/** What follows each of the extension's settings. */
export interface SettingTargets {
  readonly read: { pinnedUserId(): string; pollIntervalMs(): number };
  readonly pinned: { pin(userId: string): void };
  readonly poller: { setIntervalMs(ms: number): void };
  forgetConnection(): void;
  readonly startOver: { now(): void };
}

/** Applies a change of settings: each setting reaches only what depends on it. */
export class SettingChanges {
  constructor(private readonly targets: SettingTargets) {}

  apply(changed: ReadonlySet<SettingKey>): void {
    const { read, pinned, poller, startOver } = this.targets;
    if (changed.has(Setting.pinnedUserId)) pinned.pin(read.pinnedUserId());
    if (changed.has(Setting.pollIntervalSeconds)) poller.setIntervalMs(read.pollIntervalMs());
    // A new timeout is read when the connection is built again; the answers shown stay valid.
    if (changed.has(Setting.requestTimeoutSeconds)) this.targets.forgetConnection();
    if (changed.has(Setting.apiBaseUrl)) startOver.now();
  }
}
