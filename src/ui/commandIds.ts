/**
 * Every command the extension contributes, named once. Users, keybindings and other extensions rely on
 * these ids (package.json lists the same set; a unit test checks both ways).
 */
export const Command = {
  setCredentials: 'csml.setCredentials',
  clearCredentials: 'csml.clearCredentials',
  lookUpConversation: 'csml.lookUpConversation',
  pinTestUser: 'csml.pinTestUser',
  unpinTestUser: 'csml.unpinTestUser',
  refresh: 'csml.refresh',
  openFlow: 'csml.openFlow',
  removeUser: 'csml.removeUser',
  copyValue: 'csml.copyValue',
  retry: 'csml.retry',
  pinUserFromView: 'csml.pinUserFromView',
  confirmApiOrigin: 'csml.confirmApiOrigin',
  importDotEnvCredentials: 'csml.importDotEnvCredentials',
  showLog: 'csml.showLog',
  sendTestMessage: 'csml.sendTestMessage',
  triggerFlow: 'csml.triggerFlow',
  compareWithDeployed: 'csml.compareWithDeployed',
  switchProfile: 'csml.switchProfile',
  addProfile: 'csml.addProfile',
  openFlowAt: 'csml.openFlowAt',
  revealUser: 'csml.revealUser',
  validateBot: 'csml.validateBot',
  downloadBot: 'csml.downloadBot',
  deploy: 'csml.deploy',
  buildVersion: 'csml.buildVersion',
  openTestChat: 'csml.openTestChat',
  restartConversation: 'csml.restartConversation',
  newTestUser: 'csml.newTestUser',
  clearTestChat: 'csml.clearTestChat',
  saveChatAsTest: 'csml.saveChatAsTest',
  showFlowMap: 'csml.showFlowMap',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];
