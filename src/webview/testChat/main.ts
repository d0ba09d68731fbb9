/**
 * The Test Chat view's page. It draws the state the extension sends and posts what the user does; every string
 * from the bot is set as text (textContent, attributes), never parsed as markup. Entries are redrawn only when
 * they change, so focus and a screen reader's place survive an answer arriving.
 */
import type { ChatPanelRequest, ChatPanelState, PanelCommand } from '../../chat/chatPanelProtocol';
import type { BotMessage } from '../../chat/botMessages';
import type { TranscriptEntry } from '../../chat/chatTranscript';

interface VsCodeApi {
  postMessage(message: ChatPanelRequest): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (request: ChatPanelRequest) => vscode.postMessage(request);

const log = byId('log');
const input = byId('input') as HTMLTextAreaElement;
const composer = byId('composer') as HTMLFormElement;
const sendButton = byId('send') as HTMLButtonElement;
const who = byId('who');
const notice = byId('notice');
const compare = byId('compare') as HTMLButtonElement;
const blocker = byId('blocker');
const blockerText = byId('blocker-text');
const blockerAction = byId('blocker-action') as HTMLButtonElement;
const empty = byId('empty');

/** What each entry was drawn from, so an unchanged one keeps its element (and any focus inside it). */
const drawn = new Map<number, { signature: string; element: HTMLElement }>();
let blockerCommand: PanelCommand | undefined;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}

/** A button that posts a request; `key` lets focus come back to it when its entry is redrawn. */
function actionButton(label: string, key: string, request: ChatPanelRequest, className = 'secondary'): HTMLButtonElement {
  const button = element('button', className, label);
  button.type = 'button';
  button.dataset.key = key;
  button.addEventListener('click', () => post(request));
  return button;
}

/** Words a screen reader says before an entry; hidden from sight, where the layout already says it. */
function spoken(text: string): HTMLElement {
  return element('span', 'visually-hidden', text);
}

function drawMessage(entryId: number, message: BotMessage, index: number): HTMLElement {
  switch (message.kind) {
    case 'text':
      return element('p', 'bubble', message.text);
    case 'question': {
      const box = element('div', 'question');
      if (message.title !== undefined) box.append(element('p', 'bubble', message.title));
      const group = element('div', 'choices');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', message.title ?? 'Choices');
      message.buttons.forEach((choice, button) =>
        group.append(
          actionButton(choice.title, `${entryId}:${index}:${button}`, { type: 'click', entryId, message: index, button }, 'choice'),
        ),
      );
      box.append(group);
      return box;
    }
    case 'image': {
      if (message.showable) {
        const box = element('div', 'picture');
        const image = element('img', 'image');
        image.alt = `An image from the bot: ${message.url.split('/').pop() || message.url}`;
        image.src = message.url;
        box.append(image, actionButton(message.url, `${entryId}:${index}`, { type: 'openLink', entryId, message: index }, 'link url'));
        return box;
      }
      const box = element('p', 'bubble muted', 'An image that is not shown (only https images are): ');
      box.append(actionButton(message.url, `${entryId}:${index}`, { type: 'openLink', entryId, message: index }, 'link'));
      return box;
    }
    case 'link': {
      const box = element('p', 'bubble');
      box.append(element('span', 'media', `${message.media}: `));
      box.append(actionButton(message.text, `${entryId}:${index}`, { type: 'openLink', entryId, message: index }, 'link'));
      if (message.text !== message.url) box.append(element('span', 'muted url', ` ${message.url}`));
      return box;
    }
    case 'pause': {
      const seconds = (message.durationMs / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 });
      return element('p', 'pause', message.typing ? `typing… (${seconds} s)` : `waits ${seconds} s`);
    }
    case 'debug': {
      const box = element('div', 'debug');
      box.append(element('span', 'badge', 'debug'));
      for (const line of message.lines) box.append(element('pre', undefined, line));
      return box;
    }
    case 'error':
      return element('p', 'bubble error', message.text);
    case 'other': {
      const box = element('details', 'other');
      box.append(element('summary', undefined, `A "${message.contentType}" message`));
      box.append(element('pre', undefined, message.json));
      return box;
    }
  }
}

function drawEntry(entry: TranscriptEntry): HTMLElement {
  const item = element('li', `entry ${entry.from}`);
  item.dataset.entry = String(entry.id);
  switch (entry.from) {
    case 'user': {
      item.append(spoken(entry.payload !== undefined ? 'You clicked: ' : 'You said: '), element('p', 'bubble', entry.text));
      if (entry.status === 'sending') item.append(element('p', 'status', 'Sending…'));
      if (entry.status === 'failed') {
        const status = element('p', 'status error', `Not delivered: ${entry.error ?? 'the Studio did not answer.'} `);
        status.append(actionButton('Retry', `${entry.id}:retry`, { type: 'retry', entryId: entry.id }));
        item.append(status);
      }
      break;
    }
    case 'bot': {
      item.append(spoken('The bot said: '));
      entry.messages.forEach((message, index) => item.append(drawMessage(entry.id, message, index)));
      if (entry.messages.length === 0 && !entry.leftOut) item.append(element('p', 'muted', 'The bot sent nothing.'));
      if (entry.leftOut)
        item.append(element('p', 'muted', `${entry.leftOut} more messages were left out: the answer was too long to keep.`));
      if (entry.ended) item.append(element('p', 'place', 'The conversation ended.'));
      else if (entry.after) {
        const place = element('p', 'place');
        const where = `${entry.after.flowName ?? entry.after.flowId} · ${entry.after.stepId}`;
        const link = actionButton(where, `${entry.id}:step`, { type: 'openStep', entryId: entry.id }, 'link');
        link.title = `Open step ${entry.after.stepId} in the flow's source`;
        place.append(element('span', 'muted', 'Now at '), link);
        item.append(place);
      }
      break;
    }
    case 'note':
      item.append(element('p', 'note', entry.text));
      break;
  }
  return item;
}

/**
 * Brings a drawn entry up to date by replacing only the parts that changed: the log is a live region, and a part
 * put back unchanged would be read out again.
 */
function morph(old: HTMLElement, fresh: HTMLElement): void {
  old.className = fresh.className;
  const before = Array.from(old.children);
  const after = Array.from(fresh.children);
  after.forEach((part, index) => {
    const previous = before[index];
    if (!previous) old.append(part);
    else if (!previous.isEqualNode(part)) previous.replaceWith(part);
  });
  for (const extra of before.slice(after.length)) extra.remove();
}

function setText(target: HTMLElement, text: string): void {
  if (target.textContent !== text) target.textContent = text;
}

function render(state: ChatPanelState): void {
  setText(who, state.userId ? `Talking as ${state.userId}${state.profile ? ` (profile ${state.profile})` : ''}` : 'No test user');
  // Set only when it changes: the notice is a status region, and a screen reader reads each change aloud.
  setText(notice, state.notice.text);
  compare.hidden = !state.notice.differs;

  blocker.hidden = state.blocker === undefined;
  blockerCommand = state.blocker === 'noCredentials' ? 'setCredentials' : state.blocker === 'noPinnedUser' ? 'pinTestUser' : undefined;
  setText(
    blockerText,
    state.blocker === 'noCredentials'
      ? 'Store your bot’s API key and secret to talk to it.'
      : state.blocker === 'noPinnedUser'
        ? 'Pin a test user to talk to the bot as that user, or start with a new one.'
        : 'Reading your credentials…',
  );
  blockerAction.hidden = blockerCommand === undefined;
  setText(blockerAction, state.blocker === 'noCredentials' ? 'Set API Credentials' : 'Pin Test User…');
  byId('blocker-new').hidden = state.blocker !== 'noPinnedUser';
  input.disabled = sendButton.disabled = state.blocker !== undefined;
  empty.hidden = state.entries.length > 0 || state.blocker !== undefined;

  // New entries follow from what the user did, so the log follows them; a redrawn one leaves the scroll alone.
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  let added = false;
  const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
  const keep = new Set(state.entries.map((entry) => entry.id));
  for (const [id, { element: old }] of drawn) {
    if (!keep.has(id)) {
      old.remove();
      drawn.delete(id);
    }
  }
  let previous: HTMLElement | undefined;
  for (const entry of state.entries) {
    const signature = JSON.stringify(entry);
    let current = drawn.get(entry.id);
    if (current?.signature !== signature) {
      const fresh = drawEntry(entry);
      if (current) morph(current.element, fresh);
      else added = true;
      current = { signature, element: current?.element ?? fresh };
      drawn.set(entry.id, current);
    }
    const expectedPlace: Element | null = previous ? previous.nextElementSibling : log.firstElementChild;
    if (expectedPlace !== current.element) {
      if (previous) previous.after(current.element);
      else log.prepend(current.element);
    }
    previous = current.element;
  }
  if (focusedKey !== undefined && document.activeElement === document.body) {
    // Back to the same control if it is still there (a redrawn entry), else to the message box (Retry is gone once used).
    const again = log.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (again) again.focus();
    else if (!input.disabled) input.focus();
  }
  if (added || atBottom) log.scrollTop = log.scrollHeight;
}

function send(): void {
  const text = input.value;
  if (text.trim() === '' || input.disabled) return;
  post({ type: 'send', text });
  input.value = '';
  vscode.setState({ draft: '' });
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});
input.addEventListener('keydown', (event) => {
  // Enter sends, as in every chat; Shift+Enter starts a new line.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});
input.addEventListener('input', () => vscode.setState({ draft: input.value }));
compare.addEventListener('click', () => post({ type: 'command', command: 'compareWithDeployed' }));
blockerAction.addEventListener('click', () => blockerCommand && post({ type: 'command', command: blockerCommand }));
byId('blocker-new').addEventListener('click', () => post({ type: 'command', command: 'newTestUser' }));

window.addEventListener('message', (event: MessageEvent<{ type?: string; state?: ChatPanelState }>) => {
  const data = event.data;
  if (data?.type === 'state' && data.state) render(data.state);
  if (data?.type === 'focusInput' && !input.disabled) input.focus();
});

const saved = vscode.getState() as { draft?: unknown } | undefined;
if (typeof saved?.draft === 'string') input.value = saved.draft;
post({ type: 'ready' });
