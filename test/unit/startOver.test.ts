import * as assert from 'node:assert/strict';
import { SettingChanges } from '../../src/ui/reactions/settingChanges';
import { StartOver } from '../../src/ui/reactions/startOver';
import { Setting, SettingKey } from '../../src/ui/settingKeys';

function recorder(viewVisible: boolean) {
  const calls: string[] = [];
  const record = (name: string) => () => void calls.push(name);
  const startOver = new StartOver({
    forgetConnection: record('forgetConnection'),
    forgetFlows: record('forgetFlows'),
    watch: { reset: record('watch.reset'), refreshAll: async () => void calls.push('watch.refreshAll') },
    poller: { resetBackoff: record('poller.resetBackoff'), pollNow: async () => void calls.push('poller.pollNow') },
    recheckOrigin: record('recheckOrigin'),
    viewVisible: () => viewVisible,
    botName: { refresh: record('botName.refresh') },
  });
  return { calls, startOver };
}

describe('StartOver', () => {
  it('drops the connection, the flows and every answer, then asks again for the pinned user and the bot', () => {
    const { calls, startOver } = recorder(false);
    startOver.now();
    assert.deepEqual(calls, [
      'forgetConnection',
      'forgetFlows',
      'watch.reset',
      'poller.resetBackoff',
      'recheckOrigin',
      'poller.pollNow',
      'botName.refresh',
    ]);
  });

  it('asks again for every user shown when the view is on screen', () => {
    const { calls, startOver } = recorder(true);
    startOver.now();
    assert.deepEqual(calls.slice(-2), ['watch.refreshAll', 'botName.refresh']);
  });
});

describe('SettingChanges', () => {
  function setUp() {
    const calls: string[] = [];
    const changes = new SettingChanges({
      read: { pinnedUserId: () => 'dora', pollIntervalMs: () => 5000 },
      pinned: { pin: (userId) => void calls.push(`pin ${userId}`) },
      poller: { setIntervalMs: (ms) => void calls.push(`interval ${ms}`) },
      forgetConnection: () => void calls.push('forgetConnection'),
      startOver: { now: () => void calls.push('startOver') },
    });
    const apply = (...keys: SettingKey[]) => {
      calls.length = 0;
      changes.apply(new Set(keys));
      return [...calls];
    };
    return apply;
  }

  it('sends each setting only to what depends on it', () => {
    const apply = setUp();
    assert.deepEqual(apply(Setting.pinnedUserId), ['pin dora']);
    assert.deepEqual(apply(Setting.pollIntervalSeconds), ['interval 5000']);
    assert.deepEqual(apply(Setting.requestTimeoutSeconds), ['forgetConnection']);
    assert.deepEqual(apply(Setting.apiBaseUrl), ['startOver']);
    assert.deepEqual(apply(), []);
  });

  it('applies several settings changed at once', () => {
    const apply = setUp();
    assert.deepEqual(apply(Setting.apiBaseUrl, Setting.pinnedUserId), ['pin dora', 'startOver']);
  });
});
