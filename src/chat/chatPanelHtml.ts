/**
 * The Test Chat view's page. Its Content Security Policy lets in the extension's own script (with this page's
 * nonce) and style sheet, and images from the extension or over https; nothing else runs or loads.
 */
import { MAX_TYPED_CHARACTERS } from './chatPanelProtocol';

export interface ChatPanelSources {
  /** The webview's own origin, as `Webview.cspSource` gives it. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

export function chatPanelHtml({ cspSource, nonce, scriptUri, styleUri }: ChatPanelSources): string {
  const policy = [
    "default-src 'none'",
    `img-src ${cspSource} https:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(styleUri)}">
<title>Test Chat</title>
</head>
<body>
<header>
  <p id="who" class="who"></p>
  <p id="notice" class="notice" role="status"></p>
  <button id="compare" type="button" class="secondary" hidden>Compare with Deployed</button>
</header>
<section id="blocker" class="blocker" hidden>
  <p id="blocker-text"></p>
  <button id="blocker-action" type="button"></button>
  <button id="blocker-new" type="button" class="secondary" hidden>New Test User</button>
</section>
<p id="empty" class="muted empty" hidden>Say something to the bot, or restart its default flow from the view's title bar.</p>
<ol id="log" class="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation with the bot" tabindex="0"></ol>
<form id="composer" class="composer">
  <label for="input" class="visually-hidden">Message to the bot</label>
  <textarea id="input" rows="1" disabled placeholder="Message the bot" aria-describedby="input-hint" maxlength="${MAX_TYPED_CHARACTERS}"></textarea>
  <span id="input-hint" class="visually-hidden">Enter sends; Shift+Enter starts a new line.</span>
  <button id="send" type="submit" disabled>Send</button>
</form>
<script nonce="${attribute(nonce)}" src="${attribute(scriptUri)}"></script>
</body>
</html>
`;
}

/** A value placed inside a double-quoted attribute. */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
