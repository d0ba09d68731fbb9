import * as path from 'node:path';
import { Disposable, Uri, ViewColumn, WebviewPanel, window, workspace } from 'vscode';
import { StepTrail } from '../../conversations/stepTrail';
import { WatchList } from '../../conversations/watchList';
import type { BotModel } from '../../csml/botModel';
import { botOverview, flowDetail, flowNodeId, MapGraph } from '../../flowmap/botGraph';
import { leftOutNote, MapRequest, MapView, readMapRequest, userOnMap } from '../../flowmap/mapProtocol';
import { mapPageHtml } from '../../flowmap/mapPageHtml';
import { CsmlWorkspace } from '../language/csmlWorkspace';
import { Logger } from '../log';
import { webviewOptions, webviewSources } from '../webviewPages';

/** What the map is asked to show: a flow file, a flow by name, or (neither) the bot of the editor or test user. */
export interface MapTarget {
  readonly uri?: Uri;
  readonly flowName?: string;
}

const EDITS_SETTLE_MS = 300;

/**
 * `CSML: Show Flow Map`: one panel beside the editor with the bot's flows, or one flow's steps, drawn from the
 * language service's model and redrawn as flows are edited; the pinned test user's step lit and followed. Its page
 * and dagre load only when the map opens.
 */
export class FlowMapPanel implements Disposable {
  private panel: WebviewPanel | undefined;
  private folder: string | undefined;
  /** The flow opened up, by key; undefined for the overview. */
  private flowKey: string | undefined;
  private settling: ReturnType<typeof setTimeout> | undefined;
  /** The flow opened up before the overview: on a bot too large to draw whole, the overview shows it first. */
  private cameFrom: string | undefined;
  /** The flow the pinned user was in when the map was last drawn: when they leave it, the map goes with them. */
  private userFlow: string | undefined;
  /** Whether the map goes with the test user into the flows they go to; the page's Follow button turns it off. */
  private following = true;
  /** What the page was last sent: a poll that changed nothing on the map sends nothing. */
  private posted = '';
  private readonly disposables: Disposable[];

  constructor(
    private readonly extensionUri: Uri,
    private readonly csml: CsmlWorkspace,
    private readonly watch: WatchList,
    private readonly trail: StepTrail,
    private readonly logger: Logger,
  ) {
    this.disposables = [csml.onDidUpdateFlow(() => this.soon()), csml.onDidReset(() => this.soon()), watch.onDidChange(() => this.soon())];
  }

  async show(target: MapTarget = {}): Promise<void> {
    const bots = await this.csml.botsByFolder();
    const uri = target.uri ?? (window.activeTextEditor?.document.languageId === 'csml' ? window.activeTextEditor.document.uri : undefined);
    const folder = uri ? await this.csml.botFolderOf(uri) : undefined;
    const byName =
      target.flowName !== undefined ? [...bots].find(([, bot]) => bot.flowsNamed(target.flowName ?? '').length > 0) : undefined;
    const chosen = (folder !== undefined && bots.has(folder) ? folder : undefined) ?? byName?.[0] ?? [...bots.keys()][0];
    if (chosen === undefined) {
      void window.showInformationMessage('No CSML flows are in this workspace: open the folder of your bot to see its map.');
      return;
    }
    this.folder = chosen;
    const bot = bots.get(chosen);
    this.flowKey =
      uri && bot?.get(uri.toString())
        ? uri.toString()
        : target.flowName !== undefined
          ? bot?.flowsNamed(target.flowName)[0]?.key
          : undefined;
    this.open();
    await this.update();
  }

  private open(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = window.createWebviewPanel(
      'csml.flowMap',
      'CSML Flow Map',
      { viewColumn: ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = {
      light: Uri.joinPath(this.extensionUri, 'media', 'flow-map-light.svg'),
      dark: Uri.joinPath(this.extensionUri, 'media', 'flow-map-dark.svg'),
    };
    panel.webview.html = mapPageHtml(webviewSources(panel.webview, this.extensionUri, 'flowMap'));
    panel.webview.onDidReceiveMessage((message: unknown) => {
      const request = readMapRequest(message);
      if (request) this.handle(request).catch((error: unknown) => this.logger.warn(`flow map: ${String(error)}`));
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
  }

  /** Redraws once edits pause: typing in a flow is one change, not one per key. */
  private soon(): void {
    if (!this.panel) return;
    clearTimeout(this.settling);
    this.settling = setTimeout(
      () => void this.update().catch((error: unknown) => this.logger.warn(`flow map: ${String(error)}`)),
      EDITS_SETTLE_MS,
    );
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const view = await this.currentView();
    if (!view || this.panel !== panel) return;
    const sent = JSON.stringify(view);
    if (sent === this.posted) return;
    this.posted = sent;
    await panel.webview.postMessage({ type: 'view', view });
  }

  /** What the page draws now. */
  async currentView(): Promise<MapView | undefined> {
    const bot = this.folder !== undefined ? (await this.csml.botsByFolder()).get(this.folder) : undefined;
    if (!bot) return undefined;
    this.followUser(bot);
    const flow = this.flowKey !== undefined ? bot.get(this.flowKey) : undefined;
    if (this.flowKey !== undefined && !flow) this.flowKey = undefined; // the flow was deleted: back to the overview
    const graph: MapGraph = flow ? (flowDetail(bot, flow.key) ?? botOverview(bot)) : botOverview(bot);
    const level = flow ? 'flow' : 'bot';
    const userId = this.watch.pinned;
    const state = userId !== undefined ? this.watch.get(userId)?.state : undefined;
    const now = state?.kind === 'open' ? [{ flowName: state.flow?.name, stepId: state.conversation.stepId }] : [];
    const seen = userId !== undefined ? this.trail.entries(userId) : [];
    const places = now.length && seen[0]?.stepId === now[0].stepId && seen[0]?.flowName === now[0].flowName ? seen : [...now, ...seen];
    const onMap = userOnMap({ level, graph, flow: flow?.name }, state?.kind === 'open' ? places : []);
    const note = leftOutNote(graph);
    return {
      level,
      mapKey: `${level} ${flow?.key ?? this.folder ?? ''}`,
      title: flow ? `Flow ${flow.name}` : `${await this.botTitle()}: ${bot.size} flows`,
      graph,
      ...onMap,
      ...(userId !== undefined ? { userId, following: this.following } : {}),
      ...(!flow && this.cameFrom !== undefined ? { around: flowNodeId(this.cameFrom) } : {}),
      ...(note ? { note } : {}),
    };
  }

  /** The bot's name as its `bot.json` gives it, else its folder's. */
  private async botTitle(): Promise<string> {
    const named = this.folder !== undefined ? await this.csml.botNameOf(this.folder) : undefined;
    return named?.slice(0, 80) ?? (path.posix.basename(this.folder ?? '') || 'Bot');
  }

  /**
   * A flow map showing the flow the pinned user was in follows them into the flow they went to, unless following
   * is off or the flow shown has unsaved edits: the map does not leave code the developer is changing.
   */
  private followUser(bot: BotModel): void {
    const userId = this.watch.pinned;
    const state = userId !== undefined ? this.watch.get(userId)?.state : undefined;
    const now = state?.kind === 'open' ? state.flow?.name : undefined;
    if (now === undefined) return;
    const shown = this.flowKey !== undefined ? bot.get(this.flowKey)?.name : undefined;
    const target = bot.gotoFlows(now)[0];
    const editing = workspace.textDocuments.some((document) => document.uri.toString() === this.flowKey && document.isDirty);
    const left = shown !== undefined && this.userFlow !== undefined && shown === this.userFlow && now !== this.userFlow;
    if (left && target && this.following && !editing) this.flowKey = target.key;
    this.userFlow = now;
  }

  private async handle(request: MapRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        this.posted = '';
        return this.update();
      case 'overview':
        this.cameFrom = this.flowKey;
        this.flowKey = undefined;
        return this.update();
      case 'open':
        return this.openNode(request.nodeId);
      case 'exportSvg':
        return this.exportSvg(request.svg);
      case 'follow':
        this.following = request.on;
        return this.update();
    }
  }

  /** A flow opens up; a step opens in its editor; a flow left to opens up at that flow. */
  private async openNode(id: string): Promise<void> {
    const bot = this.folder !== undefined ? (await this.csml.botsByFolder()).get(this.folder) : undefined;
    if (!bot) return;
    const view = await this.currentView();
    const node = view?.graph.nodes.find((candidate) => candidate.id === id);
    if (!node) return;
    if ((node.kind === 'flow' || node.kind === 'exit') && node.flowKey !== undefined && bot.get(node.flowKey)) {
      this.flowKey = node.flowKey;
      return this.update();
    }
    if (node.kind === 'step' && node.flowKey !== undefined && node.offset !== undefined) {
      const location = this.csml.location(node.flowKey, { start: node.offset, end: node.offset + (node.step?.length ?? 0) });
      await window.showTextDocument(location.uri, { selection: location.range, viewColumn: ViewColumn.One, preserveFocus: false });
    }
  }

  private async exportSvg(svg: string): Promise<void> {
    const base = workspace.workspaceFolders?.[0]?.uri;
    const target = await window.showSaveDialog({
      title: 'CSML: Export Flow Map',
      filters: { 'SVG image': ['svg'] },
      ...(base ? { defaultUri: Uri.joinPath(base, 'flow-map.svg') } : {}),
    });
    if (!target) return;
    try {
      await workspace.fs.writeFile(target, new TextEncoder().encode(svg));
    } catch (error) {
      void window.showErrorMessage(`The map was not saved (${String((error as Error).message ?? error)}); choose another place.`);
      return;
    }
    void window.showInformationMessage(`The map was saved to ${path.basename(target.fsPath)}.`);
  }

  dispose(): void {
    clearTimeout(this.settling);
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
