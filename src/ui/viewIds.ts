/** The views and status bar item the extension contributes, named once. */
export const CONVERSATIONS_VIEW_ID = 'csml.conversations';
export const PINNED_USER_STATUS_ID = 'csml.pinnedUser';
export const TEST_CHAT_VIEW_ID = 'csml.testChat';
