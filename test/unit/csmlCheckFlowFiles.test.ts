import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFlows, readFlowText } from '../../src/cli/flowFiles';

describe('csml-check flow files', () => {
  let root: string;

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'csml-check-files-')));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function write(file: string, content: string | Buffer = 'start:\n  goto end\n'): string {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return full;
  }

  it('finds flows and bot.json folders in every subfolder, leaving out commands, node_modules and dot-folders', () => {
    write('bot.json', '{}');
    write('flows/B.csml');
    write('flows/A.CSML');
    write('flows/A.cmds.csml');
    write('flows/notes.txt');
    write('inner/bot.json', '{}');
    write('inner/flows/C.csml');
    write('node_modules/pkg/D.csml');
    write('.git/E.csml');
    const found = findFlows(root);
    assert.deepEqual(
      found.flows.map((file) => path.relative(root, file)),
      ['flows/A.CSML', 'flows/B.csml', 'inner/flows/C.csml'],
    );
    assert.deepEqual(found.botJsonFolders, [root, `${root}/inner`]);
    assert.deepEqual(found.unreadableFolders, []);
  });

  it('follows links to files but not to folders, so a link loop ends', () => {
    write('flows/A.csml');
    fs.symlinkSync(path.join(root, 'flows', 'A.csml'), path.join(root, 'flows', 'Linked.csml'));
    fs.symlinkSync(root, path.join(root, 'flows', 'loop'));
    fs.symlinkSync(path.join(root, 'nowhere.csml'), path.join(root, 'flows', 'Dangling.csml'));
    assert.deepEqual(
      findFlows(root).flows.map((file) => path.relative(root, file)),
      ['flows/A.csml', 'flows/Linked.csml'],
    );
  });

  it('reads UTF-8 text without its byte order mark', () => {
    const file = write('A.csml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('start:\n  say "é"\n')]));
    assert.deepEqual(readFlowText(file), { ok: true, text: 'start:\n  say "é"\n' });
  });

  it('refuses text that is not UTF-8, binary files, files over the limit and files that cannot be read, saying why', () => {
    const cases: [string, string][] = [
      [write('latin1.csml', Buffer.from([0x73, 0x61, 0x79, 0x20, 0xe9])), 'not-utf8'],
      [write('binary.csml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])), 'binary-file'],
      [write('big.csml', 'x'.repeat(101)), 'file-too-large'],
      [path.join(root, 'missing.csml'), 'unreadable-file'],
    ];
    for (const [file, code] of cases) {
      const read = readFlowText(file, 100);
      assert.equal(read.ok ? 'read' : read.code, code, file);
      assert.match(read.ok ? '' : read.message, /: [a-z]/, file);
    }
    assert.equal(readFlowText(write('exact.csml', 'x'.repeat(100)), 100).ok, true);
  });
});
