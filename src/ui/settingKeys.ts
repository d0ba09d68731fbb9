/** The extension's settings, named once: each is `csml.<key>` in the manifest and in settings.json. */
export const SETTINGS_SECTION = 'csml';

export const Setting = {
  apiBaseUrl: 'apiBaseUrl',
  pinnedUserId: 'pinnedUserId',
  pollIntervalSeconds: 'pollIntervalSeconds',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  validateOnSave: 'validateOnSave',
} as const;

export type SettingKey = (typeof Setting)[keyof typeof Setting];
