#!/usr/bin/env node
// Builds the production bundle and packages the extension as a .vsix (default: csml-conversations.vsix).
// vsce lists every file under its folder before applying .vscodeignore, and the repository holds a
// test VS Code with thousands of files; so the files .vscodeignore lets through are copied to an
// empty folder and packaged there. The manifest is the same, less the build step already done here.
// With --if-changed it does nothing when the .vsix was made from the same sources (the UI tests use it).
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createVSIX } = require('@vscode/vsce');

const root = path.resolve(__dirname, '..');
const out = path.resolve(root, process.argv.slice(2).find((arg) => !arg.startsWith('--')) || 'csml-conversations.vsix');

/** The paths .vscodeignore lets through: it ignores everything (`**`) and names each file kept. */
function shippedFiles() {
  const lines = fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim());
  if (!lines.includes('**')) throw new Error('.vscodeignore must start from "**" and name each file it keeps');
  const kept = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const globbed = kept.filter((p) => /[*?[{]/.test(p));
  if (globbed.length) throw new Error(`.vscodeignore keeps files by pattern (${globbed.join(', ')}); name each file instead`);
  return kept.filter((p) => fs.existsSync(path.join(root, p)));
}

/** Everything the package is made from: sources, build script, manifest, lock file, shipped files. */
function inputsFingerprint() {
  const hash = crypto.createHash('sha256');
  const add = (file) =>
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(root, file)))
      .update('\0');
  const walk = (folder) =>
    fs
      .readdirSync(path.join(root, folder), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .forEach((entry) => {
        const file = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(file);
        else add(file);
      });
  walk('src');
  // node_modules/.package-lock.json is what npm ci installed, which may not yet match package-lock.json.
  for (const file of [
    'esbuild.js',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
    'node_modules/.package-lock.json',
    '.vscodeignore',
    __filename.slice(root.length + 1),
  ])
    add(file);
  for (const file of shippedFiles().filter((f) => !f.startsWith('dist/'))) add(file);
  return hash.digest('hex');
}

async function main() {
  const fingerprintFile = `${out}.inputs`;
  const fingerprint = inputsFingerprint();
  if (
    process.argv.includes('--if-changed') &&
    fs.existsSync(out) &&
    fs.existsSync(fingerprintFile) &&
    fs.readFileSync(fingerprintFile, 'utf8') === fingerprint
  ) {
    console.log(`${path.basename(out)} is up to date`);
    return;
  }
  fs.rmSync(fingerprintFile, { force: true });
  execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--production'], { cwd: root, stdio: 'inherit' });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-vsix-'));
  try {
    for (const file of shippedFiles()) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(staging, file));
    }
    fs.copyFileSync(path.join(root, '.vscodeignore'), path.join(staging, '.vscodeignore'));
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    delete manifest.scripts['vscode:prepublish'];
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    await createVSIX({
      cwd: staging,
      packagePath: out,
      dependencies: false,
      allowMissingRepository: true,
      rewriteRelativeLinks: false,
    });
    fs.writeFileSync(fingerprintFile, fingerprint);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`Packaging failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
