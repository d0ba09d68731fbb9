import * as assert from 'node:assert/strict';
import { StudioConnection } from '../../src/conversations/studioConnection';
import { Bot } from '../../src/studio/schema';
import { BotName } from '../../src/ui/reactions/botName';
import { StudioHarness, TEST_CREDENTIALS } from '../support/studioHarness';

describe('BotName', () => {
  const harness = new StudioHarness();
  let visible: boolean;
  let shown: string[];
  let connection: StudioConnection;

  before(() => harness.start());
  after(() => harness.stop());
  beforeEach(() => {
    harness.emulator.clearRequests();
    visible = true;
    shown = [];
    connection = { client: harness.client(), cacheKey: `${harness.emulator.baseUrl}\n${TEST_CREDENTIALS.apiKey}` };
  });

  function botName(): BotName {
    const display = {
      show: async (bot: Bot) => void shown.push(bot.name),
      forget: () => void shown.push('(forgotten)'),
    };
    return new BotName(
      async () => connection,
      display,
      () => visible,
    );
  }
  const botRequests = () => harness.emulator.requests.filter((request) => request.path === '/bot').length;

  it('asks the Studio once for concurrent looks, and not again while the connection stays', async () => {
    const name = botName();
    await Promise.all([name.show(), name.show()]);
    name.viewShown();
    await name.show();
    assert.equal(botRequests(), 1);
    assert.deepEqual(shown, ['Pizza Helper']);
  });

  it('uses the bot a credentials check fetched on the same connection, with no request', async () => {
    const name = botName();
    name.learn(connection.cacheKey, { name: 'Checked Bot' });
    name.refresh();
    await name.show();
    assert.equal(botRequests(), 0);
    assert.deepEqual(shown, ['(forgotten)', 'Checked Bot']);
  });

  it('asks again after a refresh on another connection, and only while the view is on screen', async () => {
    const name = botName();
    name.learn('another connection', { name: 'Checked Bot' });
    visible = false;
    name.refresh();
    assert.equal(botRequests(), 0);
    visible = true;
    name.viewShown();
    await name.show();
    assert.equal(botRequests(), 1);
    assert.deepEqual(shown, ['(forgotten)', 'Pizza Helper']);
  });

  it('shows nothing from a connection that was replaced while its answer was on the way', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = connection;
    const display = { show: async (bot: Bot) => void shown.push(bot.name), forget: () => void shown.push('(forgotten)') };
    const name = new BotName(
      async () => {
        if (connection === first) await held;
        return connection;
      },
      display,
      () => visible,
    );
    const showing = name.show();
    connection = { client: harness.client(), cacheKey: 'the new connection' };
    name.learn('the new connection', { name: 'New Bot' });
    name.refresh();
    release();
    await showing;
    await name.show();
    assert.deepEqual(shown, ['(forgotten)', 'New Bot']);
  });

  it('uses a checked bot once: a later refresh on the same connection asks the Studio', async () => {
    const name = botName();
    name.learn(connection.cacheKey, { name: 'Checked Bot' });
    await name.show();
    name.refresh();
    await name.show();
    assert.deepEqual(shown, ['Checked Bot', '(forgotten)', 'Pizza Helper']);
    assert.equal(botRequests(), 1);
  });

  it('shows nothing when the connection is refused, and tries again at the next look', async () => {
    const name = botName();
    const working = connection;
    connection = { client: harness.client({ credentials: { apiKey: 'wrong', apiSecret: 'wrong' } }), cacheKey: 'wrong' };
    await name.show();
    assert.deepEqual(shown, []);
    connection = working;
    name.viewShown();
    await name.show();
    assert.deepEqual(shown, ['Pizza Helper']);
  });
});
