import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareWithFolder, writeFilesAtomically } from '../../src/common/folderWrites';

let root: string;
let folder: string;
let outside: string;

function write(relative: string, content: string, base = folder): void {
  const file = path.join(base, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function read(relative: string, base = folder): string {
  return fs.readFileSync(path.join(base, relative), 'utf8');
}

/** Every entry under a folder, links not followed, as relative paths with `/`. */
function listing(base: string): string[] {
  return fs
    .readdirSync(base, { recursive: true })
    .map((entry) => String(entry).split(path.sep).join('/'))
    .sort();
}

/** A symbolic link, or a skipped test where the system does not let this user make one. */
function symlinkOrSkip(context: Mocha.Context, target: string, link: string, type?: 'dir' | 'file'): void {
  try {
    fs.symlinkSync(target, link, type);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') context.skip();
    throw error;
  }
}

/** Runs `body` with one of `fs.promises`' functions replaced, then puts it back. */
async function withPatched<K extends 'rename' | 'open'>(
  name: K,
  replacement: (typeof fs.promises)[K],
  body: () => Promise<void>,
): Promise<void> {
  // The module under test reads `fs.promises.<name>` at each call, so replacing it here reaches it.
  const promises = fs.promises as Record<K, unknown>;
  const original = promises[name];
  promises[name] = replacement;
  try {
    await body();
  } finally {
    promises[name] = original;
  }
}

describe('folder writes', () => {
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-folder-writes-'));
    folder = path.join(root, 'bot');
    outside = path.join(root, 'outside');
    fs.mkdirSync(folder);
    fs.mkdirSync(outside);
  });

  afterEach(() => {
    // Undo a read-only test's permissions first, or the folder could not be removed.
    for (const dir of [folder, path.join(folder, 'flows')]) if (fs.existsSync(dir)) fs.chmodSync(dir, 0o755);
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('compareWithFolder', () => {
    it('tells absent, same and different files apart, with the current text', async () => {
      write('bot.json', '{"name": "Bot"}\n');
      write('flows/A.csml', 'old');
      const result = await compareWithFolder(folder, [
        { path: 'bot.json', content: '{"name": "Bot"}\n' },
        { path: 'flows/A.csml', content: 'new' },
        { path: 'flows/B.csml', content: 'b' },
      ]);
      assert.deepEqual(result.get('bot.json'), { state: 'same', current: '{"name": "Bot"}\n' });
      assert.deepEqual(result.get('flows/A.csml'), { state: 'differs', current: 'old' });
      assert.deepEqual(result.get('flows/B.csml'), { state: 'absent' });
      assert.equal(result.size, 3);
    });

    it('takes a file that differs only by line endings for the same, and nothing more for the same', async () => {
      write('flows/Crlf.csml', 'start:\r\n  goto end\r\n');
      write('flows/Lf.csml', 'start:\n  goto end\n');
      write('flows/Trailing.csml', 'start:\n  goto end\n\n');
      write('flows/Spaces.csml', 'start:\n  goto end \n');
      const planned = 'start:\n  goto end\n';
      const result = await compareWithFolder(folder, [
        { path: 'flows/Crlf.csml', content: planned },
        { path: 'flows/Lf.csml', content: 'start:\r\n  goto end\r\n' },
        { path: 'flows/Trailing.csml', content: planned },
        { path: 'flows/Spaces.csml', content: planned },
      ]);
      assert.equal(result.get('flows/Crlf.csml')?.state, 'same');
      assert.equal(result.get('flows/Lf.csml')?.state, 'same');
      assert.equal(result.get('flows/Trailing.csml')?.state, 'differs');
      assert.equal(result.get('flows/Spaces.csml')?.state, 'differs');
    });

    it('calls a folder in place of a file unsafe', async () => {
      fs.mkdirSync(path.join(folder, 'flows', 'X.csml'), { recursive: true });
      const result = await compareWithFolder(folder, [{ path: 'flows/X.csml', content: 'x' }]);
      assert.equal(result.get('flows/X.csml')?.state, 'unsafe');
      assert.match(result.get('flows/X.csml')?.reason ?? '', /folder stands in its place/);
    });

    it('calls a file that is a symbolic link unsafe, wherever it points', async function () {
      write('elsewhere.csml', 'secret');
      fs.mkdirSync(path.join(folder, 'flows'));
      symlinkOrSkip(this, path.join(outside, 'elsewhere.csml'), path.join(folder, 'flows', 'Out.csml'), 'file');
      symlinkOrSkip(this, path.join(folder, 'elsewhere.csml'), path.join(folder, 'flows', 'In.csml'), 'file');
      symlinkOrSkip(this, path.join(folder, 'elsewhere.csml'), path.join(folder, 'bot.json'), 'file');
      const result = await compareWithFolder(folder, [
        { path: 'flows/Out.csml', content: 'x' },
        { path: 'flows/In.csml', content: 'secret' },
        { path: 'bot.json', content: 'secret' },
      ]);
      for (const [file, comparison] of result) {
        assert.equal(comparison.state, 'unsafe', file);
        assert.match(comparison.reason ?? '', /symbolic link/, file);
        assert.equal(comparison.current, undefined, file);
      }
    });

    it('calls every file unsafe when flows/ is a link to a folder outside', async function () {
      write('A.csml', 'outside', outside);
      symlinkOrSkip(this, outside, path.join(folder, 'flows'), 'dir');
      const result = await compareWithFolder(folder, [
        { path: 'flows/A.csml', content: 'outside' },
        { path: 'flows/New.csml', content: 'x' },
        { path: 'bot.json', content: '{}' },
      ]);
      assert.deepEqual(result.get('flows/A.csml'), {
        state: 'unsafe',
        reason: 'its folder is a link that leads outside the chosen folder',
      });
      assert.equal(result.get('flows/New.csml')?.state, 'unsafe');
      assert.equal(result.get('bot.json')?.state, 'absent');
    });

    it('accepts flows/ as a link to a folder inside the chosen one, and a chosen folder reached through a link', async function () {
      write('real-flows/A.csml', 'a');
      symlinkOrSkip(this, path.join(folder, 'real-flows'), path.join(folder, 'flows'), 'dir');
      const linkedFolder = path.join(root, 'linked-bot');
      symlinkOrSkip(this, folder, linkedFolder, 'dir');
      const result = await compareWithFolder(linkedFolder, [{ path: 'flows/A.csml', content: 'a' }]);
      assert.deepEqual(result.get('flows/A.csml'), { state: 'same', current: 'a' });
    });

    it('calls unsafe a dangling flows/ link, and a file where flows/ should be', async function () {
      symlinkOrSkip(this, path.join(root, 'gone'), path.join(folder, 'flows'), 'dir');
      let result = await compareWithFolder(folder, [{ path: 'flows/A.csml', content: 'a' }]);
      assert.equal(result.get('flows/A.csml')?.state, 'unsafe');
      fs.rmSync(path.join(folder, 'flows'));
      write('flows', 'not a folder');
      result = await compareWithFolder(folder, [{ path: 'flows/A.csml', content: 'a' }]);
      assert.deepEqual(result.get('flows/A.csml'), { state: 'unsafe', reason: 'a file stands where its folder should be' });
    });

    it('calls unsafe any path but bot.json and flows/*.csml', async () => {
      write('.env', 'API_SECRET=s');
      const paths = [
        '../outside/A.csml',
        'flows/../../outside/A.csml',
        '.env',
        'flows/.env',
        'flows/a/b.csml',
        'other.txt',
        '/etc/passwd',
        'flows/x.txt',
      ];
      const result = await compareWithFolder(
        folder,
        paths.map((p) => ({ path: p, content: 'x' })),
      );
      for (const p of paths) {
        assert.equal(result.get(p)?.state, 'unsafe', p);
        assert.ok((result.get(p)?.reason ?? '').length > 0, p);
        assert.equal(result.get(p)?.current, undefined, p);
      }
    });
  });

  describe('writeFilesAtomically', () => {
    it('writes every file, creating flows/, with the exact content', async () => {
      const files = [
        { path: 'bot.json', content: '{\n  "name": "Bot"\n}\n' },
        { path: 'flows/Billing.Legacy.csml', content: 'start:\r\n  say "ünï 😀"\r\n' },
        { path: 'flows/Billing.Legacy.cmds.csml', content: '' },
        { path: 'flows/__proto__.csml', content: 'p' },
      ];
      const result = await writeFilesAtomically(folder, files);
      assert.deepEqual(result, { written: files.map((f) => f.path), failed: [] });
      for (const file of files) assert.equal(read(file.path), file.content, file.path);
      assert.deepEqual(listing(folder), [
        'bot.json',
        'flows',
        'flows/Billing.Legacy.cmds.csml',
        'flows/Billing.Legacy.csml',
        'flows/__proto__.csml',
      ]);
    });

    it('replaces existing files, and then compares them as the same', async () => {
      write('bot.json', 'old bot');
      write('flows/A.csml', 'old a');
      const files = [
        { path: 'bot.json', content: 'new bot' },
        { path: 'flows/A.csml', content: 'new a' },
      ];
      assert.deepEqual((await writeFilesAtomically(folder, files)).failed, []);
      assert.equal(read('bot.json'), 'new bot');
      assert.equal(read('flows/A.csml'), 'new a');
      const comparison = await compareWithFolder(folder, files);
      assert.deepEqual(
        [...comparison.values()].map((c) => c.state),
        ['same', 'same'],
      );
    });

    it('never writes a .env file, nor anything but bot.json and flows/*.csml', async () => {
      write('.env', 'API_KEY=k\nAPI_SECRET=s\n');
      const refused = [
        '.env',
        'flows/.env',
        '.ENV',
        'sub/.env',
        'notes.txt',
        'flows/x.txt',
        'flows/a/b.csml',
        '../outside/A.csml',
        'flows/a:b.csml',
      ];
      const result = await writeFilesAtomically(folder, [
        ...refused.map((p) => ({ path: p, content: 'API_SECRET=stolen' })),
        { path: 'bot.json', content: '{}' },
      ]);
      assert.deepEqual(result.written, ['bot.json']);
      assert.deepEqual(
        result.failed.map((f) => f.path),
        refused,
      );
      for (const failure of result.failed) assert.ok(failure.reason.length > 0);
      assert.match(result.failed[0].reason, /\.env/);
      assert.equal(read('.env'), 'API_KEY=k\nAPI_SECRET=s\n');
      assert.deepEqual(listing(folder), ['.env', 'bot.json']);
      assert.deepEqual(listing(outside), []);
    });

    it('writes nothing through a flows/ link to a folder outside', async function () {
      write('A.csml', 'outside stays', outside);
      symlinkOrSkip(this, outside, path.join(folder, 'flows'), 'dir');
      const result = await writeFilesAtomically(folder, [
        { path: 'flows/A.csml', content: 'overwritten' },
        { path: 'flows/B.csml', content: 'planted' },
        { path: 'bot.json', content: '{}' },
      ]);
      assert.deepEqual(result.written, ['bot.json']);
      assert.deepEqual(
        result.failed.map((f) => [f.path, f.reason]),
        [
          ['flows/A.csml', 'its folder is a link that leads outside the chosen folder'],
          ['flows/B.csml', 'its folder is a link that leads outside the chosen folder'],
        ],
      );
      assert.deepEqual(listing(outside), ['A.csml']);
      assert.equal(read('A.csml', outside), 'outside stays');
    });

    it('never follows or replaces a symbolic link at the target', async function () {
      write('target.csml', 'outside stays', outside);
      fs.mkdirSync(path.join(folder, 'flows'));
      const link = path.join(folder, 'flows', 'A.csml');
      symlinkOrSkip(this, path.join(outside, 'target.csml'), link, 'file');
      const result = await writeFilesAtomically(folder, [
        { path: 'flows/A.csml', content: 'overwritten' },
        { path: 'flows/B.csml', content: 'b' },
      ]);
      assert.deepEqual(result.written, ['flows/B.csml']);
      assert.deepEqual(result.failed, [{ path: 'flows/A.csml', reason: 'it is a symbolic link, which is never followed' }]);
      assert.equal(read('target.csml', outside), 'outside stays');
      assert.ok(fs.lstatSync(link).isSymbolicLink());
      assert.equal(fs.readlinkSync(link), path.join(outside, 'target.csml'));
    });

    it('leaves a folder in place of a file alone, and writes the others', async () => {
      write('flows/X.csml/keep.txt', 'kept');
      const result = await writeFilesAtomically(folder, [
        { path: 'bot.json', content: 'bot' },
        { path: 'flows/X.csml', content: 'x' },
        { path: 'flows/X.cmds.csml', content: '/x\n' },
      ]);
      assert.deepEqual(result.written, ['bot.json', 'flows/X.cmds.csml']);
      assert.deepEqual(result.failed, [{ path: 'flows/X.csml', reason: 'a folder stands in its place' }]);
      assert.equal(read('flows/X.csml/keep.txt'), 'kept');
      assert.equal(read('flows/X.cmds.csml'), '/x\n');
      assert.deepEqual(listing(folder), ['bot.json', 'flows', 'flows/X.cmds.csml', 'flows/X.csml', 'flows/X.csml/keep.txt']);
    });

    it('leaves a file as it was when its rename fails, writes the others whole, and leaves no temporary file', async () => {
      write('flows/A.csml', 'old a');
      write('flows/B.csml', 'old b');
      const realRename = fs.promises.rename;
      const failing: typeof fs.promises.rename = async (from, to) => {
        if (String(to).endsWith(`${path.sep}B.csml`)) throw Object.assign(new Error('simulated'), { code: 'EIO' });
        return realRename(from, to);
      };
      let result: Awaited<ReturnType<typeof writeFilesAtomically>> | undefined;
      await withPatched('rename', failing, async () => {
        result = await writeFilesAtomically(folder, [
          { path: 'flows/A.csml', content: 'new a' },
          { path: 'flows/B.csml', content: 'new b' },
          { path: 'flows/C.csml', content: 'new c' },
        ]);
      });
      assert.deepEqual(result?.written, ['flows/A.csml', 'flows/C.csml']);
      assert.deepEqual(result?.failed, [{ path: 'flows/B.csml', reason: 'simulated' }]);
      assert.equal(read('flows/A.csml'), 'new a');
      assert.equal(read('flows/B.csml'), 'old b');
      assert.equal(read('flows/C.csml'), 'new c');
      assert.deepEqual(listing(folder), ['flows', 'flows/A.csml', 'flows/B.csml', 'flows/C.csml']);
    });

    it('leaves a file as it was when writing its text fails half-way, and removes the half-written copy', async () => {
      write('flows/A.csml', 'old a');
      const realOpen = fs.promises.open;
      let halfWritten = '';
      const failing = (async (file: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
        const handle = await realOpen(file, flags, mode);
        if (!String(file).includes(`${path.sep}flows${path.sep}`)) return handle;
        halfWritten = String(file);
        return new Proxy(handle, {
          get(target, property, receiver) {
            if (property !== 'writeFile') {
              const value = Reflect.get(target, property, receiver) as unknown;
              return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
            }
            return async (data: string) => {
              await target.write(data.slice(0, 3));
              throw Object.assign(new Error('simulated full disk'), { code: 'ENOSPC' });
            };
          },
        });
      }) as typeof fs.promises.open;
      let result: Awaited<ReturnType<typeof writeFilesAtomically>> | undefined;
      await withPatched('open', failing, async () => {
        result = await writeFilesAtomically(folder, [
          { path: 'bot.json', content: 'bot' },
          { path: 'flows/A.csml', content: 'new a, much longer' },
        ]);
      });
      assert.ok(halfWritten !== '', 'the failure was never simulated');
      assert.match(path.basename(halfWritten), /^\..*\.tmp$/);
      assert.deepEqual(result, { written: ['bot.json'], failed: [{ path: 'flows/A.csml', reason: 'the disk is full' }] });
      assert.equal(read('flows/A.csml'), 'old a');
      assert.equal(read('bot.json'), 'bot');
      assert.ok(!fs.existsSync(halfWritten));
      assert.deepEqual(listing(folder), ['bot.json', 'flows', 'flows/A.csml']);
    });

    it('reports a folder it may not write to, and writes the rest', async function () {
      if (process.platform === 'win32' || process.getuid?.() === 0) this.skip(); // permissions do not bind there
      write('flows/A.csml', 'old a');
      fs.chmodSync(path.join(folder, 'flows'), 0o555);
      const result = await writeFilesAtomically(folder, [
        { path: 'flows/A.csml', content: 'new a' },
        { path: 'bot.json', content: 'bot' },
      ]);
      assert.deepEqual(result, { written: ['bot.json'], failed: [{ path: 'flows/A.csml', reason: 'permission was denied' }] });
      assert.equal(read('flows/A.csml'), 'old a');
      assert.deepEqual(listing(folder), ['bot.json', 'flows', 'flows/A.csml']);
    });

    it('writes nothing into a folder that does not exist', async () => {
      const missing = path.join(root, 'missing');
      const result = await writeFilesAtomically(missing, [
        { path: 'bot.json', content: 'bot' },
        { path: 'flows/A.csml', content: 'a' },
      ]);
      assert.deepEqual(result.written, []);
      assert.equal(result.failed.length, 2);
      assert.ok(!fs.existsSync(missing));
    });

    it('writes a path listed twice only once', async () => {
      const result = await writeFilesAtomically(folder, [
        { path: 'flows/A.csml', content: 'first' },
        { path: 'flows/A.csml', content: 'second' },
      ]);
      assert.deepEqual(result.written, ['flows/A.csml']);
      assert.equal(result.failed.length, 1);
      assert.equal(read('flows/A.csml'), 'first');
    });
  });

  it('keeps the permissions of a file it replaces', async function () {
    if (process.platform === 'win32') this.skip();
    fs.mkdirSync(path.join(folder, 'flows'), { recursive: true });
    const target = path.join(folder, 'flows', 'Main.csml');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(target, 0o640);
    const { written } = await writeFilesAtomically(folder, [{ path: 'flows/Main.csml', content: 'new' }]);
    assert.deepEqual(written, ['flows/Main.csml']);
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
    assert.equal(fs.statSync(target).mode & 0o777, 0o640);
  });
});
