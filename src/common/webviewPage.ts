/**
 * What every webview page of the extension shares: a Content Security Policy that lets in the extension's own
 * script (with the page's nonce) and style sheet, images (on a page that shows any) only from the extension or over
 * https, and nothing else.
 */
export interface WebviewSources {
  /** The webview's own origin, as `Webview.cspSource` gives it. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  /** The style sheets, in order: the shared one, then the page's own. */
  readonly styleUris: readonly string[];
  /** Whether the page shows images (the extension's, or any over https); a page that draws none loads none. */
  readonly images?: boolean;
}

export function contentSecurityPolicy({ cspSource, nonce, images = true }: WebviewSources): string {
  return [
    "default-src 'none'",
    ...(images ? [`img-src ${cspSource} https:`] : []),
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The page's head: its policy, its style sheet and its title. */
export function pageHead(sources: WebviewSources, title: string): string {
  return `<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(sources))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${sources.styleUris.map((uri) => `<link rel="stylesheet" href="${attribute(uri)}">`).join('\n')}
<title>${attribute(title)}</title>`;
}

/** The page's script, with its nonce. */
export function pageScript(sources: WebviewSources): string {
  return `<script nonce="${attribute(sources.nonce)}" src="${attribute(sources.scriptUri)}"></script>`;
}

/** A value placed inside a double-quoted attribute (or text): markup characters escaped. */
export function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
