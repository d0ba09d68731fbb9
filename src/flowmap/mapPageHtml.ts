/**
 * The flow map's page, under the policy every page of the extension has (src/common/webviewPage.ts), without
 * images: it draws its own. The list comes first, so a screen reader meets the text before the drawing; the
 * drawing is an application, whose arrow keys move between nodes rather than through a screen reader's text.
 */
import { pageHead, pageScript, WebviewSources } from '../common/webviewPage';

export function mapPageHtml(sources: WebviewSources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
${pageHead({ ...sources, images: false }, 'CSML Flow Map')}
</head>
<body>
<header class="toolbar">
  <button id="back" type="button" class="secondary" hidden>All Flows</button>
  <h1 id="title"></h1>
  <input id="search" type="search" placeholder="Find a step or flow" aria-label="Find a step or flow" aria-describedby="found">
  <span id="found" class="found-count" role="status"></span>
  <button id="zoom-in" type="button" class="secondary" aria-label="Zoom in" title="Zoom in">+</button>
  <button id="zoom-out" type="button" class="secondary" aria-label="Zoom out" title="Zoom out">−</button>
  <button id="fit" type="button" class="secondary">Fit</button>
  <button id="focus" type="button" class="secondary" hidden>Focus</button>
  <button id="follow" type="button" class="secondary" aria-pressed="true" title="Go with the test user into each flow they go to" hidden>Follow</button>
  <button id="export" type="button" class="secondary">Export SVG…</button>
</header>
<p id="note" class="note" role="status"></p>
<main>
  <details class="as-list">
    <summary>The map as a list</summary>
    <ul id="list"></ul>
  </details>
  <svg id="canvas" role="application" aria-roledescription="map" aria-label="Map: arrow keys move between nodes, Enter opens one, Shift with an arrow pans, + and − zoom, Home goes to the test user">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" class="arrow"></path>
      </marker>
    </defs>
  </svg>
</main>
${pageScript(sources)}
</body>
</html>
`;
}
