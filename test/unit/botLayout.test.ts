import * as assert from 'node:assert/strict';
import { botFolderOf } from '../../src/csml/botLayout';

describe('botFolderOf', () => {
  const workspace = '/w';

  it('takes the nearest folder holding bot.json', () => {
    const bots = new Set(['/w/bots/pizza', '/w/bots/pizza/nested']);
    assert.equal(botFolderOf('/w/bots/pizza/flows/Start.csml', bots, workspace), '/w/bots/pizza');
    assert.equal(botFolderOf('/w/bots/pizza/nested/flows/A.csml', bots, workspace), '/w/bots/pizza/nested');
  });

  it('else the nearest flows folder, else the workspace folder', () => {
    const none = new Set<string>();
    assert.equal(botFolderOf('/w/one/flows/A.csml', none, workspace), '/w/one/flows');
    assert.equal(botFolderOf('/w/one/flows/sub/A.csml', none, workspace), '/w/one/flows');
    assert.equal(botFolderOf('/w/A.csml', none, workspace), '/w');
    assert.equal(botFolderOf('/w/misc/A.csml', none, workspace), '/w');
  });

  it('looks no higher than the workspace folder', () => {
    assert.equal(botFolderOf('/flows/w/A.csml', new Set(['/flows']), '/flows/w'), '/flows/w');
  });
});
