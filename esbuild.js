// Bundles the extension into CommonJS: dist/start.js (the entry point, which loads the next one through
// V8's code cache), dist/extension.js, and dist/node-fetch.js which it loads at its first request.
// Type-checking is `tsc --noEmit`, kept apart.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the form VS Code's `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
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
 * Every source file imports `vscode`. Bundled as-is, each file would require('vscode') and copy the
 * API object's ~350 properties at load time; `export * from "vscode"` in one module would still copy
 * them all once. Instead one module reads, once, just the names the sources use (`vscode.<name>`),
 * and esbuild binds each use to them directly. A name that is a type only reads as undefined.
 */
const oneVscodeImport = {
  name: 'one-vscode-import',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => {
      const folders = sourceFolders(path.resolve('src'));
      const names = [...usedVscodeNames(folders)].sort();
      const contents = `const api = require("vscode");\n${names.map((name) => `export const ${name} = api.${name};`).join('\n')}\n`;
      return { contents, loader: 'js', watchDirs: folders };
    });
  },
};

/** Every `vscode.<name>` written in the TypeScript files of `folders`. */
function usedVscodeNames(folders) {
  const names = new Set();
  for (const dir of folders) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      for (const match of fs.readFileSync(path.join(dir, entry.name), 'utf8').matchAll(/\bvscode\.([A-Za-z_$][\w$]*)/g))
        names.add(match[1]);
    }
  }
  return names;
}

/** `folder` and every folder below it. */
function sourceFolders(folder) {
  const folders = [folder];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) folders.push(...sourceFolders(path.join(folder, entry.name)));
  }
  return folders;
}

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

const common = {
  bundle: true,
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
      entryPoints: ['src/start.ts'],
      outfile: 'dist/start.js',
      // It loads dist/extension.js itself (src/common/codeCache.ts); it only names its types.
      external: ['vscode'],
      plugins: extras,
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      plugins: [nodeFetchApart, oneVscodeImport, ...extras],
    }),
    esbuild.context({
      ...common,
      // Resolved from this file's folder, wherever the build runs.
      stdin: { contents: "module.exports = require('node-fetch');", resolveDir: __dirname, loader: 'js' },
      outfile: 'dist/node-fetch.js',
      plugins: [skipStreamsPolyfill, ...extras],
    }),
  ]);
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    const results = await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
    if (results.some((result) => result.errors.length)) process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
