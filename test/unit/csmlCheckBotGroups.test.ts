import * as assert from 'node:assert/strict';
import { foldersUpTo, groupIntoBots, isInside, parentOf, workspaceFolderOfFile } from '../../src/cli/botGroups';

describe('csml-check bot groups', () => {
  it('gives a file under the current directory that directory as its workspace folder, and any other file its own folder', () => {
    assert.equal(workspaceFolderOfFile('/repo/bots/a/flows/A.csml', '/repo'), '/repo');
    assert.equal(workspaceFolderOfFile('/elsewhere/flows/A.csml', '/repo'), '/elsewhere/flows');
    // A sibling whose name starts like the current directory is not under it.
    assert.equal(workspaceFolderOfFile('/repo2/A.csml', '/repo'), '/repo2');
  });

  it('lists the folders from a file up to its workspace folder, nearest first', () => {
    assert.deepEqual(foldersUpTo('/repo/bots/a/flows/A.csml', '/repo'), ['/repo/bots/a/flows', '/repo/bots/a', '/repo/bots', '/repo']);
    assert.deepEqual(foldersUpTo('/repo/A.csml', '/repo'), ['/repo']);
    assert.deepEqual(foldersUpTo('/A.csml', '/'), ['/']);
  });

  it('groups flows by the nearest bot.json, else the nearest flows folder, else the workspace folder', () => {
    const bots = groupIntoBots(
      [
        { file: '/w/outer/flows/A.csml', workspaceFolder: '/w' },
        { file: '/w/outer/inner/flows/B.csml', workspaceFolder: '/w' },
        { file: '/w/outer/C.csml', workspaceFolder: '/w' },
        { file: '/w/loose/flows/D.csml', workspaceFolder: '/w' },
        { file: '/w/E.csml', workspaceFolder: '/w' },
        { file: '/w/misc/F.csml', workspaceFolder: '/w' },
      ],
      new Set(['/w/outer', '/w/outer/inner']),
    );
    assert.deepEqual(Object.fromEntries(bots), {
      '/w/outer': ['/w/outer/flows/A.csml', '/w/outer/C.csml'],
      '/w/outer/inner': ['/w/outer/inner/flows/B.csml'],
      '/w/loose/flows': ['/w/loose/flows/D.csml'],
      '/w': ['/w/E.csml', '/w/misc/F.csml'],
    });
  });

  it('tells paths inside a folder and finds parents, the root included', () => {
    assert.ok(isInside('/a/b', '/a'));
    assert.ok(isInside('/a', '/a'));
    assert.ok(!isInside('/ab', '/a'));
    assert.ok(isInside('/a', '/'));
    assert.equal(parentOf('/a/b'), '/a');
    assert.equal(parentOf('/a'), '/');
    assert.equal(parentOf('/'), '/');
    assert.equal(parentOf('C:/x'), 'C:/');
  });
});
