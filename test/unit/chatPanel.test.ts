import * as assert from 'node:assert/strict';
import { chatPanelHtml } from '../../src/chat/chatPanelHtml';
import { chatNotice, MAX_TYPED_CHARACTERS, readPanelRequest } from '../../src/chat/chatPanelProtocol';

describe('The Test Chat view and the extension', () => {
  describe('what the view may ask', () => {
    it('reads the requests it knows, whole', () => {
      assert.deepEqual(readPanelRequest({ type: 'send', text: 'hello' }), { type: 'send', text: 'hello' });
      assert.deepEqual(readPanelRequest({ type: 'click', entryId: 4, message: 2, button: 0 }), {
        type: 'click',
        entryId: 4,
        message: 2,
        button: 0,
      });
      assert.deepEqual(readPanelRequest({ type: 'retry', entryId: 3 }), { type: 'retry', entryId: 3 });
      assert.deepEqual(readPanelRequest({ type: 'openStep', entryId: 9 }), { type: 'openStep', entryId: 9 });
      assert.deepEqual(readPanelRequest({ type: 'openLink', entryId: 9, message: 1 }), { type: 'openLink', entryId: 9, message: 1 });
      assert.deepEqual(readPanelRequest({ type: 'command', command: 'restart' }), { type: 'command', command: 'restart' });
      assert.deepEqual(readPanelRequest({ type: 'ready', extra: 1 }), { type: 'ready' });
    });

    it('refuses anything else: unknown types and commands, wrong numbers, empty or huge texts', () => {
      const refused: unknown[] = [
        null,
        'send',
        [],
        { type: 'eval', code: '1' },
        { type: 'command', command: 'workbench.action.terminal.new' },
        { type: 'command', command: 'toString' },
        { type: 'send', text: '   ' },
        { type: 'send', text: 42 },
        { type: 'send', text: 'x'.repeat(MAX_TYPED_CHARACTERS + 1) },
        { type: 'click', entryId: 1, message: 0 },
        { type: 'click', entryId: -1, message: 0, button: 0 },
        { type: 'click', entryId: 1.5, message: 0, button: 0 },
        { type: 'retry', entryId: '3' },
        { type: 'openStep', entryId: Number.MAX_SAFE_INTEGER + 2 },
        { type: 'openLink', entryId: 1, message: Number.NaN },
      ];
      for (const request of refused) assert.equal(readPanelRequest(request), undefined, JSON.stringify(request));
    });
  });

  it('says the chat reaches the deployed bot, and names a local flow that differs', () => {
    assert.deepEqual(chatNotice(undefined), { text: 'You are talking to the bot as deployed in the Studio.' });
    const differing = chatNotice('Billing');
    assert.equal(differing.differingFlow, 'Billing');
    assert.match(differing.text, /local Billing\.csml differs from the deployed flow/);
  });

  describe('its page', () => {
    const sources = {
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      nonce: 'abc123+/=',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/testChat.js',
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/testChat.css',
    };
    const policyOf = (html: string) => /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';

    it("runs only the extension's script with its nonce, and loads images only from the extension or https", () => {
      const html = chatPanelHtml(sources);
      const policy = policyOf(html).split(/;\s*/);
      assert.ok(policy.includes("default-src 'none'"), policy.join('; '));
      assert.ok(policy.includes("script-src 'nonce-abc123+/='"));
      assert.ok(policy.includes(`img-src ${sources.cspSource} https:`));
      assert.ok(policy.includes(`style-src ${sources.cspSource}`));
      assert.doesNotMatch(policyOf(html), /unsafe-inline|unsafe-eval|\*/);
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]);
      assert.deepEqual(scripts, [` nonce="abc123+/=" src="${sources.scriptUri}"`]);
    });

    it('keeps a quote in an address from ending its attribute', () => {
      const html = chatPanelHtml({ ...sources, scriptUri: 'x" onload="alert(1)', styleUri: '"><script>alert(2)</script>' });
      assert.doesNotMatch(html, /onload="alert|<script>alert/);
      assert.match(html, /src="x&quot; onload=&quot;alert\(1\)"/);
    });

    it('has a labelled message box, a live conversation log and a status for the notice', () => {
      const html = chatPanelHtml(sources);
      assert.match(html, /<label for="input"[^>]*>Message to the bot<\/label>/);
      assert.match(html, /<ol id="log"[^>]*role="log"[^>]*aria-live="polite"/);
      assert.match(html, /id="notice"[^>]*role="status"/);
    });
  });
});
