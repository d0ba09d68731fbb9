#!/usr/bin/env node
// Compiles src/, test/, bench/ and scripts/ into out/ with tsc, incrementally. A build never runs
// stale code: compiled files whose source is gone are deleted first (so a deleted test never runs),
// and a missing output makes tsc start from scratch (its build info only knows what it wrote).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'out');
const buildInfo = path.join(out, '.tsbuildinfo');
const SOURCE_FOLDERS = ['src', 'test', 'bench', 'scripts'];

function filesUnder(folder, suffix) {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

const sources = SOURCE_FOLDERS.flatMap((folder) => filesUnder(path.join(root, folder), '.ts'))
  .filter((file) => !file.endsWith('.d.ts'))
  .map((file) => path.relative(root, file).replace(/\.ts$/, ''));
const expected = new Set(sources);

for (const compiled of filesUnder(out, '.js').concat(filesUnder(out, '.js.map'))) {
  const source = path.relative(out, compiled).replace(/\.js(\.map)?$/, '');
  if (!expected.has(source)) fs.rmSync(compiled);
}
if (sources.some((source) => !fs.existsSync(path.join(out, `${source}.js`)))) fs.rmSync(buildInfo, { force: true });

const tsc = require.resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.test.json'), '--incremental', '--tsBuildInfoFile', buildInfo], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  process.exit(1); // tsc printed the errors
}
