import * as assert from 'node:assert/strict';
import { differingFlows } from '../../src/roundtrip/differingFlows';

describe('Local flows against the deployed ones', () => {
  it('names the flows whose local text differs, line endings and trailing space aside, in the bot order', async () => {
    const local: Record<string, string> = {
      Main: 'start:\r\n  say "hi"\r\n  goto end\r\n\r\n',
      Billing: 'start:\n  say "new"\n',
      Legacy: 'start:\n  goto end\n',
    };
    const names = await differingFlows(
      [
        { name: 'Main', content: 'start:\n  say "hi"\n  goto end\n' },
        { name: 'Billing', content: 'start:\n  say "old"\n' },
        { name: 'RemoteOnly', content: 'start:\n  goto end\n' },
        { name: 'Legacy' },
      ],
      async (name) => local[name],
    );
    assert.deepEqual(names, ['Billing']);
  });
});
