import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { walkFolder } from '../../src/common/folderWalk';

describe('walkFolder', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-walk-'));
    for (const file of ['bot.json', 'flows/Main.csml', 'flows/deep/er/Other.csml', 'node_modules/pkg/Lib.csml', 'flows/notes.txt']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), '');
    }
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const relative = (files: string[]) => files.map((file) => path.relative(root, file).split(path.sep).join('/'));
  const wanted = (name: string) => name.endsWith('.csml') || name === 'bot.json';

  it('finds the wanted files in every subfolder but the skipped ones, in a stable order', async () => {
    const found = await walkFolder(root, wanted, (name) => name === 'node_modules');
    assert.deepEqual(relative(found), ['bot.json', 'flows/Main.csml', 'flows/deep/er/Other.csml']);
  });

  it('does not follow a link to a folder, so a loop of links ends, but takes a link to a file', async () => {
    fs.symlinkSync(root, path.join(root, 'flows', 'loop'));
    fs.symlinkSync(path.join(root, 'flows', 'Main.csml'), path.join(root, 'Linked.csml'));
    const found = await walkFolder(root, wanted, (name) => name === 'node_modules');
    assert.deepEqual(relative(found), ['Linked.csml', 'bot.json', 'flows/Main.csml', 'flows/deep/er/Other.csml']);
  });

  it('finds nothing in a folder that is not there', async () => {
    assert.deepEqual(await walkFolder(path.join(root, 'missing'), wanted, () => false), []);
  });
});
