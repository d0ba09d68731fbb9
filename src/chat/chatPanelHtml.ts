/** The Test Chat view's page, under the policy every page of the extension has (src/common/webviewPage.ts). */
import { pageHead, pageScript, WebviewSources } from '../common/webviewPage';
import { MAX_TYPED_CHARACTERS } from './chatPanelProtocol';

export type ChatPanelSources = WebviewSources;

export function chatPanelHtml(sources: ChatPanelSources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
${pageHead(sources, 'Test Chat')}
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
${pageScript(sources)}
</body>
</html>
`;
}
