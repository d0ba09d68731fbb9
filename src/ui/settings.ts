import { ConfigurationChangeEvent, ConfigurationTarget, workspace, WorkspaceConfiguration } from 'vscode';
import { DEFAULT_BASE_URL } from '../studio/baseUrl';
import { Setting, SettingKey, SETTINGS_SECTION as SECTION } from './settingKeys';

function config(): WorkspaceConfiguration {
  return workspace.getConfiguration(SECTION);
}

function positiveNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function pinnedUserId(): string {
  const value = config().get<unknown>(Setting.pinnedUserId);
  return typeof value === 'string' ? value : '';
}

export function pollIntervalMs(): number {
  // The manifest's bounds, which a hand-edited settings.json can step over.
  return Math.min(3600, positiveNumber(config().get(Setting.pollIntervalSeconds), 10)) * 1000;
}

export function requestTimeoutMs(): number {
  return Math.min(120, Math.max(1, positiveNumber(config().get(Setting.requestTimeoutSeconds), 10))) * 1000;
}

export function validateOnSave(): boolean {
  return config().get<unknown>(Setting.validateOnSave) !== false;
}

export interface BaseUrlSetting {
  readonly value: string;
  /** True when the value in effect comes from the workspace or a folder, which the repository's author chose. */
  readonly fromWorkspace: boolean;
}

export function apiBaseUrl(): BaseUrlSetting {
  const inspected = config().inspect<string>(Setting.apiBaseUrl);
  // Restricted Mode already ignores workspace values of this setting; ignoring them here too keeps
  // that promise whatever inspect() reports.
  const trusted = workspace.isTrusted;
  const folder = trusted ? inspected?.workspaceFolderValue : undefined;
  const workspaceValue = trusted ? inspected?.workspaceValue : undefined;
  const value = folder ?? workspaceValue ?? inspected?.globalValue ?? DEFAULT_BASE_URL;
  return {
    value: typeof value === 'string' ? value : DEFAULT_BASE_URL,
    fromWorkspace: folder !== undefined || workspaceValue !== undefined,
  };
}

/** Pins in the workspace when a folder is open (the test user belongs to this bot), else for the user. */
export async function setPinnedUserId(userId: string): Promise<void> {
  const target = workspace.workspaceFolders?.length ? ConfigurationTarget.Workspace : ConfigurationTarget.Global;
  await config().update(Setting.pinnedUserId, userId, target);
}

/** Clears the value in effect, wherever it was set, so the pin really goes away. */
export async function clearPinnedUserId(): Promise<void> {
  const inspected = config().inspect<string>(Setting.pinnedUserId);
  if (inspected?.workspaceFolderValue !== undefined && workspace.workspaceFolders?.length) {
    for (const folder of workspace.workspaceFolders) {
      const folderConfig = workspace.getConfiguration(SECTION, folder.uri);
      if (folderConfig.inspect<string>(Setting.pinnedUserId)?.workspaceFolderValue !== undefined) {
        await folderConfig.update(Setting.pinnedUserId, undefined, ConfigurationTarget.WorkspaceFolder);
      }
    }
  }
  if (inspected?.workspaceValue !== undefined) await config().update(Setting.pinnedUserId, undefined, ConfigurationTarget.Workspace);
  if (inspected?.globalValue !== undefined) await config().update(Setting.pinnedUserId, undefined, ConfigurationTarget.Global);
}

/** Which of the extension's settings a configuration change touched. */
export function changedSettings(event: ConfigurationChangeEvent): ReadonlySet<SettingKey> {
  return new Set(Object.values(Setting).filter((key) => event.affectsConfiguration(`${SECTION}.${key}`)));
}
