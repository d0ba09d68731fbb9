import * as assert from 'node:assert/strict';
import { chatPanelHtml } from '../../src/chat/chatPanelHtml';
import { chatNotice, MAX_TYPED_CHARACTERS, panelAction, readPanelRequest } from '../../src/chat/chatPanelProtocol';
import { TranscriptEntry } from '../../src/chat/chatTranscript';

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

  describe('what a request comes to', () => {
    const entries: TranscriptEntry[] = [
      { id: 1, from: 'user', text: 'hi', userId: 'ann', status: 'failed', error: 'HTTP 500' },
      {
        id: 2,
        from: 'bot',
        userId: 'ann',
        ended: false,
        after: { flowId: 'f1', flowName: 'Main', stepId: 'ask' },
        messages: [
          { kind: 'text', text: 'Hello' },
          { kind: 'question', title: 'Go on?', buttons: [{ title: 'Next', payload: 'next' }] },
          { kind: 'link', media: 'url', url: 'https://csml.dev', text: 'CSML' },
          { kind: 'link', media: 'url', url: 'javascript:alert(1)', text: 'click me' },
          { kind: 'image', url: 'file:///etc/passwd', showable: false },
        ],
      },
      { id: 3, from: 'user', text: 'ok', status: 'sent' },
    ];
    const act = (request: unknown, pinned: string | null = 'bob') => {
      const read = readPanelRequest(request);
      return read && panelAction(read, entries, pinned ?? undefined);
    };

    it('takes payloads, steps and addresses from the transcript, and answers the user the bot asked', () => {
      assert.deepEqual(act({ type: 'click', entryId: 2, message: 1, button: 0 }), {
        kind: 'click',
        userId: 'ann',
        button: { title: 'Next', payload: 'next' },
      });
      assert.deepEqual(act({ type: 'retry', entryId: 1 }), { kind: 'retry', userId: 'ann', entryId: 1 });
      assert.deepEqual(act({ type: 'openStep', entryId: 2 }), {
        kind: 'openStep',
        place: { flowId: 'f1', flowName: 'Main', stepId: 'ask' },
      });
      assert.deepEqual(act({ type: 'openLink', entryId: 2, message: 2 }), { kind: 'openLink', url: 'https://csml.dev' });
      assert.deepEqual(act({ type: 'send', text: 'hello' }), { kind: 'send', userId: 'bob', text: 'hello' });
    });

    it('opens no address but a web one, and acts on nothing the transcript does not hold', () => {
      assert.deepEqual(act({ type: 'openLink', entryId: 2, message: 3 }), { kind: 'refusedLink', url: 'javascript:alert(1)' });
      assert.deepEqual(act({ type: 'openLink', entryId: 2, message: 4 }), { kind: 'refusedLink', url: 'file:///etc/passwd' });
      for (const forged of [
        { type: 'click', entryId: 2, message: 0, button: 0 },
        { type: 'click', entryId: 2, message: 1, button: 5 },
        { type: 'click', entryId: 99, message: 1, button: 0 },
        { type: 'openLink', entryId: 2, message: 0 },
        { type: 'openStep', entryId: 1 },
        { type: 'retry', entryId: 3 },
        { type: 'retry', entryId: 2 },
      ]) {
        assert.equal(act(forged), undefined, JSON.stringify(forged));
      }
      assert.equal(act({ type: 'send', text: 'hello' }, null), undefined, 'nothing is sent while no user is pinned');
    });
  });

  it('says the chat reaches the deployed bot, and names the local flows that differ', () => {
    assert.deepEqual(chatNotice([]), { text: 'You are talking to the bot as deployed in the Studio.', differs: false });
    assert.deepEqual(chatNotice(['Billing']), {
      text: "The bot answers as deployed: your local Billing.csml differs from the Studio's until you deploy.",
      differs: true,
    });
    assert.match(chatNotice(['A', 'B', 'C']).text, /your local A\.csml, B\.csml, C\.csml differ from/);
    assert.match(chatNotice(['A', 'B', 'C', 'D']).text, /your local A\.csml, B\.csml and 2 more flows differ from/);
  });

  describe('its page', () => {
    const sources = {
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      nonce: 'abc123+/=',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/testChat.js',
      styleUris: [
        'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css',
        'https://file+.vscode-resource.vscode-cdn.net/ext/media/testChat.css',
      ],
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
      const html = chatPanelHtml({ ...sources, scriptUri: 'x" onload="alert(1)', styleUris: ['"><script>alert(2)</script>'] });
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
