import { createHash } from 'node:crypto';
// Named imports: a namespace import would make the bundle copy every export of the module at load.
import { readFileSync, renameSync, rm, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * What became of the code cache when a file was loaded: `used`; `absent` (none yet); `stale` (made
 * for other source); `rejected` (V8 refused it, e.g. made by another V8 version or other flags).
 */
export type CodeCacheState = 'used' | 'absent' | 'stale' | 'rejected';

export interface LoadedWithCodeCache {
  readonly exports: Record<string, unknown>;
  readonly cache: CodeCacheState;
  /**
   * Stores V8's compiled code for every function that has run so far, unless a valid cache was used.
   * Returns whether a cache was written; never throws (a read-only install compiles on each start).
   */
  saveCache(): boolean;
}

/** The cache beside the file it belongs to. */
export function codeCacheFile(file: string): string {
  return `${file}.cache`;
}

// V8 checks a cache against the source's length only; the source's hash goes first in the file, so a
// rebuilt bundle of the same length never runs the old one's code.
const HASH_BYTES = 32;
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';

/**
 * Loads a CommonJS file as require() would, but compiles it with V8's code cache: what V8 compiled
 * in an earlier start (the top level and every function that ran) is read instead of compiled again.
 */
export function loadWithCodeCache(file: string): LoadedWithCodeCache {
  const bytes = readFileSync(file);
  const hash = createHash('sha256').update(bytes).digest();
  const source = bytes.toString('utf8');
  const cacheFile = codeCacheFile(file);
  const stored = readIfPresent(cacheFile);
  const matches = stored !== undefined && stored.length > HASH_BYTES && hash.equals(stored.subarray(0, HASH_BYTES));
  const script = new Script(`${WRAPPER_START}${source}\n})`, {
    filename: file,
    // Columns on the first line as in the file itself, so stack traces point where require()'s would.
    columnOffset: -WRAPPER_START.length,
    cachedData: matches ? stored.subarray(HASH_BYTES) : undefined,
  });
  const cache: CodeCacheState = stored === undefined ? 'absent' : !matches ? 'stale' : script.cachedDataRejected ? 'rejected' : 'used';

  const module = { exports: {} as Record<string, unknown>, id: file, filename: file };
  const run = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: object,
    filename: string,
    dirname: string,
  ) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));

  return {
    exports: module.exports,
    cache,
    saveCache: () => {
      if (cache === 'used') return false;
      // Written aside and renamed, so a window starting at the same moment reads all of it or none.
      const partial = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(partial, Buffer.concat([hash, script.createCachedData()]));
        renameSync(partial, cacheFile);
        return true;
      } catch {
        rm(partial, { force: true }, () => undefined);
        return false;
      }
    },
  };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
