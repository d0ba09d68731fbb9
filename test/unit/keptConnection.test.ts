import * as assert from 'node:assert/strict';
import { keptConnection, StudioConnection } from '../../src/conversations/studioConnection';
import { StudioError } from '../../src/studio/errors';

describe('keptConnection', () => {
  /** A builder that counts its calls and answers with a new connection, or with what `next` says. */
  function counting(): { builds: number; next?: StudioError; build: () => Promise<StudioConnection> } {
    const state: { builds: number; next?: StudioError; build: () => Promise<StudioConnection> } = {
      builds: 0,
      build: async () => {
        state.builds++;
        if (state.next) throw state.next;
        return { client: {} as StudioConnection['client'], cacheKey: `connection ${state.builds}` };
      },
    };
    return state;
  }

  it('builds once for many requests, even requests made at the same moment', async () => {
    const builder = counting();
    const kept = keptConnection(builder.build);
    const [a, b] = await Promise.all([kept.connect(), kept.connect()]);
    const c = await kept.connect();
    assert.equal(builder.builds, 1);
    assert.equal(a, b);
    assert.equal(a, c);
  });

  it('builds afresh after forget()', async () => {
    const builder = counting();
    const kept = keptConnection(builder.build);
    const first = await kept.connect();
    kept.forget();
    const second = await kept.connect();
    assert.equal(builder.builds, 2);
    assert.notEqual(first, second);
  });

  it('does not keep a refusal: the next request asks again', async () => {
    const builder = counting();
    builder.next = new StudioError('noCredentials', 'No API credentials are stored yet.');
    const kept = keptConnection(builder.build);
    await assert.rejects(kept.connect(), /No API credentials/);
    builder.next = undefined;
    assert.equal((await kept.connect()).cacheKey, 'connection 2');
  });
});
