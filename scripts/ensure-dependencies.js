#!/usr/bin/env node
// Runs `npm ci` when node_modules is missing or older than the lockfile, so `npm test` and
// `npm run demo` work on a fresh clone as the first command. Plain JS: nothing is installed yet.
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
  console.log('Installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
}
