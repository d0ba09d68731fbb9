import { CancellationToken, commands, Disposable, Uri, WebviewView, WebviewViewProvider, WebviewViewResolveContext } from 'vscode';
import { chatPanelHtml } from '../../chat/chatPanelHtml';
import { ChatPanelRequest, ChatPanelState, readPanelRequest, stateSignature } from '../../chat/chatPanelProtocol';
import { TEST_CHAT_VIEW_ID } from '../viewIds';
import { webviewOptions, webviewSources } from '../webviewPages';

/**
 * The Test Chat webview view: it is given the state to draw and hands on what the user did, checked. Its page runs
 * only while the view is shown; the state is sent again whenever the page (re)loads, so nothing is lost meanwhile.
 */
export class TestChatView implements WebviewViewProvider, Disposable {
  private view: WebviewView | undefined;
  /** What the page was last sent: a poll that changed nothing the page shows sends nothing. */
  private posted: string | undefined;
  private readonly viewDisposables: Disposable[] = [];

  constructor(
    private readonly extensionUri: Uri,
    private readonly handle: (request: ChatPanelRequest) => void,
    /** What to draw, asked for only while the page is there. */
    private readonly currentState: () => ChatPanelState,
    /** Told when the page has loaded or is shown again. */
    private readonly onShown: () => void,
  ) {}

  /** Whether the page is there and on screen. */
  get shown(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: WebviewView, _context: WebviewViewResolveContext, _token: CancellationToken): void {
    this.disposeView();
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = chatPanelHtml(webviewSources(view.webview, this.extensionUri, 'testChat'));
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((message: unknown) => {
        const request = readPanelRequest(message);
        if (request?.type === 'ready') {
          this.post(true);
          this.onShown();
        } else if (request) this.handle(request);
      }),
      view.onDidChangeVisibility(() => {
        if (view.visible) this.onShown();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.disposeView();
      }),
    );
  }

  /** Draws the state again if the page is there; a page that loads later asks for it. */
  refresh(): void {
    this.post(false);
  }

  /**
   * Shows the view, opening the side bar if need be. With `focusInput` the cursor goes to its message box;
   * without, the keyboard stays where it was (an editor, when a CodeLens started a flow).
   */
  async reveal(focusInput: boolean): Promise<void> {
    if (this.view && !focusInput) {
      this.view.show(true);
      return;
    }
    try {
      await commands.executeCommand(`${TEST_CHAT_VIEW_ID}.focus`);
      if (focusInput) await this.view?.webview.postMessage({ type: 'focusInput' });
    } catch {
      // The view could not take focus (the window is closing): nothing to tell the user.
    }
  }

  private post(always: boolean): void {
    if (!this.view) return;
    const state = this.currentState();
    const signature = stateSignature(state);
    if (!always && signature === this.posted) return;
    this.posted = signature;
    void this.view.webview.postMessage({ type: 'state', state });
  }

  private disposeView(): void {
    this.view = undefined;
    this.posted = undefined;
    for (const disposable of this.viewDisposables.splice(0)) disposable.dispose();
  }

  dispose(): void {
    this.disposeView();
  }
}
