import { randomBytes } from 'node:crypto';
import { Uri, Webview, WebviewOptions } from 'vscode';
import { WebviewSources } from '../common/webviewPage';

/** What a webview of the extension may load: its page scripts (dist/webview) and style sheets (media). */
export function webviewOptions(extensionUri: Uri): WebviewOptions {
  return { enableScripts: true, localResourceRoots: [Uri.joinPath(extensionUri, 'dist', 'webview'), Uri.joinPath(extensionUri, 'media')] };
}

/** The sources of page `name` in this webview: its script, the shared and its own style sheets, a fresh nonce. */
export function webviewSources(webview: Webview, extensionUri: Uri, name: string): WebviewSources {
  const media = (file: string) => webview.asWebviewUri(Uri.joinPath(extensionUri, 'media', file)).toString();
  return {
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(Uri.joinPath(extensionUri, 'dist', 'webview', `${name}.js`)).toString(),
    styleUris: [media('webview.css'), media(`${name}.css`)],
  };
}
