// The extension's entry point (package.json "main"). It loads the bundle, dist/extension.js, through
// V8's code cache: from the second start on, VS Code's extension host reads the compiled code instead
// of compiling the bundle again, which is most of what loading it costs.
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { loadWithCodeCache } from './common/codeCache';
import type * as extension from './extension';

/** Long enough for the first refresh's code to have run, so the cache holds it too. */
const SAVE_CACHE_AFTER_MS = 2000;

const loaded = loadWithCodeCache(join(__dirname, 'extension.js'));
const bundle = loaded.exports as unknown as typeof extension;

export function activate(context: vscode.ExtensionContext): extension.CsmlExtensionApi {
  const api = bundle.activate(context);
  if (loaded.cache !== 'used') {
    const timer = setTimeout(() => loaded.saveCache(), SAVE_CACHE_AFTER_MS);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return api;
}

export function deactivate(): void {
  bundle.deactivate();
}
