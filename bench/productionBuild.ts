import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../test/host/codeServer';

/**
 * Runs the project's own `node esbuild.js --production` with `folder` as its working directory, src/
 * linked in, so the build (which empties ./dist first) writes `folder/dist` and never the repository's
 * dist/. Returns the bundle's path. With `production` false it is the development build (`node esbuild.js`).
 */
export function buildProductionBundle(folder: string, production = true): string {
  const root = repoRoot();
  const link = path.join(folder, 'src');
  fs.symlinkSync(path.join(root, 'src'), link, 'dir');
  try {
    const args = [path.join(root, 'esbuild.js'), ...(production ? ['--production'] : [])];
    const build = spawnSync(process.execPath, args, { cwd: folder, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0)
      throw new Error(`node ${args.slice(1).join(' ')} failed (${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`);
  } finally {
    fs.unlinkSync(link);
  }
  const bundle = path.join(folder, 'dist', 'extension.js');
  if (!fs.existsSync(bundle)) throw new Error(`the production build wrote no ${bundle}`);
  return bundle;
}
