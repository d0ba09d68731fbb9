// Bundles the extension into CommonJS: dist/extension.js (package.json "main") and dist/node-fetch.js,
// which it loads at its first request; the Test Chat view's and flow map's pages, dist/webview/; and the command
// line's checks, dist/csml-check.js, which the extension never loads. Type-checking is `tsc --noEmit`, kept apart.
const esbuild = require('esbuild');
const fs = require('fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Prints errors in the form VS Code's `$esbuild-watch` problem matcher reads (.vscode/tasks.json), with one
 * "started" and one "finished" line around the builds that run together, so F5 waits for all of them.
 */
let activeBuilds = 0;
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (activeBuilds++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (--activeBuilds === 0) console.log('[watch] build finished');
    });
  },
};

/**
 * fetch-blob falls back to web-streams-polyfill only where Node lacks global web streams; every Node
 * that runs VS Code has them, so the 60 KB polyfill is replaced by an empty module.
 */
const skipStreamsPolyfill = {
  name: 'skip-web-streams-polyfill',
  setup(build) {
    build.onResolve({ filter: /^web-streams-polyfill(\/|$)/ }, (args) => ({ path: args.path, namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * node-fetch and its helpers are a third of the code and run only once a request is made: they go to
 * dist/node-fetch.js, which the extension requires at its first request, so activation never parses them.
 */
const nodeFetchApart = {
  name: 'node-fetch-apart',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: './node-fetch.js', external: true }));
  },
};

/**
 * The command line runs in plain Node, without VS Code, and makes no requests: a module that would bring
 * either in fails the build rather than ship.
 */
const commandLineOnly = {
  name: 'command-line-only',
  setup(build) {
    build.onResolve({ filter: /^(vscode|node-fetch)$/ }, (args) => ({
      errors: [{ text: `${args.path} must not be imported by the command line (imported by ${args.importer})` }],
    }));
  },
};

/** The chat-test command line runs in plain Node: a module that would bring VS Code in fails the build. */
const noVscode = {
  name: 'no-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => ({
      errors: [{ text: `vscode must not be imported by the chat-test command line (imported by ${args.importer})` }],
    }));
  },
};

/** A webview page's script: src/webview/<name>/main.ts to dist/webview/<name>.js. */
function webviewPage(name, plugins) {
  return esbuild.context({
    ...common,
    entryPoints: [`src/webview/${name}/main.ts`],
    outfile: `dist/webview/${name}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins,
  });
}

const common = {
  bundle: true,
  // jsonc-parser's "main" is a UMD build whose inner require()s a bundler cannot follow; its "module" build is plain ESM.
  mainFields: ['module', 'main'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
};

async function main() {
  // A production build must not ship a stale source map from a development build.
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  const extras = watch ? [problemMatcher] : [];
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      plugins: [nodeFetchApart, ...extras],
    }),
    esbuild.context({
      ...common,
      // Resolved from this file's folder, wherever the build runs.
      stdin: { contents: "module.exports = require('node-fetch');", resolveDir: __dirname, loader: 'js' },
      outfile: 'dist/node-fetch.js',
      plugins: [skipStreamsPolyfill, ...extras],
    }),
    // The webview pages run in a browser: a bundle each, with nothing of Node. The flow map's holds dagre, so the
    // extension never loads it.
    webviewPage('testChat', extras),
    webviewPage('flowMap', extras),
    esbuild.context({
      ...common,
      // Chat tests in CI: plain Node, node-fetch bundled in, never VS Code.
      entryPoints: ['src/cli/chatTestCli.ts'],
      outfile: 'dist/chat-test.js',
      banner: { js: '#!/usr/bin/env node' },
      plugins: [noVscode, skipStreamsPolyfill, ...extras],
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/cli/csmlCheck.ts'],
      outfile: 'dist/csml-check.js',
      banner: { js: '#!/usr/bin/env node' },
      plugins: [commandLineOnly, ...extras],
    }),
  ]);
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    const results = await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
    if (results.some((result) => result.errors.length)) process.exit(1);
    // Runnable as ./dist/csml-check.js too, where the file system keeps the mode.
    fs.chmodSync('dist/csml-check.js', 0o755);
    fs.chmodSync('dist/chat-test.js', 0o755);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
