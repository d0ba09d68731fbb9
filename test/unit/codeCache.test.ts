import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeCacheFile, loadWithCodeCache } from '../../src/common/codeCache';

/**
 * Loads `file` in a new Node process, as each VS Code start does: within one process V8 keeps what it
 * compiled, so a second load there would not show whether the cache on disk was read.
 */
function loadInNewProcess(file: string, opts: { save?: boolean } = {}): { cache: string; answer: string; saved?: boolean } {
  const script = `
    const { loadWithCodeCache } = require(${JSON.stringify(require.resolve('../../src/common/codeCache'))});
    const loaded = loadWithCodeCache(${JSON.stringify(file)});
    const answer = loaded.exports.answer();
    const saved = ${opts.save ? 'loaded.saveCache()' : 'undefined'};
    process.stdout.write(JSON.stringify({ cache: loaded.cache, answer, saved }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
    cache: string;
    answer: string;
    saved?: boolean;
  };
}

describe('loadWithCodeCache', () => {
  let folder: string;
  let file: string;

  /** A CommonJS module with a function that only runs when called, and a require of a file beside it. */
  function writeModule(answer: string): void {
    fs.writeFileSync(path.join(folder, 'helper.js'), 'exports.twice = (n) => n * 2;\n');
    fs.writeFileSync(
      file,
      [
        "'use strict';",
        "const helper = require('./helper.js');",
        `exports.answer = () => '${answer}';`,
        'exports.where = () => [__filename, __dirname];',
        'exports.twice = helper.twice;',
        'module.exports.self = module.exports === exports && this === exports;',
        '',
      ].join('\n'),
    );
  }

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-code-cache-'));
    file = path.join(folder, 'bundle.js');
    writeModule('first');
  });

  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('loads a module as require() does: exports, this, module, require beside it, __filename and __dirname', () => {
    const loaded = loadWithCodeCache(file);
    const exports = loaded.exports as { answer(): string; where(): string[]; twice(n: number): number; self: boolean };
    assert.equal(exports.answer(), 'first');
    assert.deepEqual(exports.where(), [file, folder]);
    assert.equal(exports.twice(21), 42);
    assert.equal(exports.self, true);
  });

  it('compiles the first time, saves the cache, and uses it at the next start', () => {
    assert.deepEqual(loadInNewProcess(file, { save: true }), { cache: 'absent', answer: 'first', saved: true });
    assert.ok(fs.statSync(codeCacheFile(file)).size > 32);
    assert.deepEqual(fs.readdirSync(folder).sort(), ['bundle.js', 'bundle.js.cache', 'helper.js'], 'a temporary file was left behind');
    assert.deepEqual(
      loadInNewProcess(file, { save: true }),
      { cache: 'used', answer: 'first', saved: false },
      'a cache that was used is not written again',
    );
  });

  it('never runs the code of another build, even one of the same length', () => {
    loadInNewProcess(file, { save: true });
    writeModule('other'); // as long as 'first'
    assert.deepEqual(loadInNewProcess(file, { save: true }), { cache: 'stale', answer: 'other', saved: true });
    assert.deepEqual(loadInNewProcess(file), { cache: 'used', answer: 'other' });
  });

  it('compiles as usual when V8 refuses the cache, and replaces it', () => {
    loadInNewProcess(file, { save: true });
    const stored = fs.readFileSync(codeCacheFile(file));
    stored.fill(7, 32); // the source's hash kept, V8's part broken
    fs.writeFileSync(codeCacheFile(file), stored);
    assert.deepEqual(loadInNewProcess(file, { save: true }), { cache: 'rejected', answer: 'first', saved: true });
    assert.deepEqual(loadInNewProcess(file), { cache: 'used', answer: 'first' });
  });

  it('says false and throws nothing when the cache cannot be written', () => {
    // A folder where the temporary file would go: the write fails whoever runs the tests (root included).
    fs.mkdirSync(`${codeCacheFile(file)}.${process.pid}.tmp`);
    const loaded = loadWithCodeCache(file);
    assert.equal(loaded.saveCache(), false);
    assert.equal(fs.existsSync(codeCacheFile(file)), false);
  });

  it('reports the same line and column in stack traces as require() does', () => {
    const source = "exports.fail = () => { throw new Error('here'); };\n";
    fs.writeFileSync(file, source);
    const copy = path.join(folder, 'required.js');
    fs.writeFileSync(copy, source);
    const where = (fail: () => void, name: string) => {
      try {
        fail();
      } catch (error) {
        return new RegExp(`${name}:(\\d+:\\d+)`).exec(String((error as Error).stack))?.[1];
      }
      return undefined;
    };
    const loaded = where(loadWithCodeCache(file).exports.fail as () => void, 'bundle.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const required = where((require(copy) as { fail(): void }).fail, 'required.js');
    assert.ok(required, 'require() gave no position');
    assert.equal(loaded, required);
  });

  it('throws what the module throws, as require() would', () => {
    fs.writeFileSync(file, "throw new Error('broken bundle');\n");
    assert.throws(() => loadWithCodeCache(file), /broken bundle/);
  });
});
