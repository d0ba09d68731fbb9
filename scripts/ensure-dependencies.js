#!/usr/bin/env node
// Runs `npm ci` when node_modules is missing or older than the lockfile, so `npm test`,
// `npm run demo` and `npm run bench` work on a fresh clone as the first command; silent when nothing is
// to do. Plain JS: nothing is installed yet.
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

function stale() {
  if (!fs.existsSync(installed)) return true;
  return fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
}

if (stale()) {
  // stderr, like the host set-up's lines: stdout stays for what the command itself reports.
  console.error(
    fs.existsSync(installed)
      ? 'ensure-dependencies: package-lock.json changed: reinstalling the npm dependencies with npm ci (about half a minute)…'
      : 'ensure-dependencies: installing the npm dependencies with npm ci (once per clone, about half a minute)…',
  );
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
}
