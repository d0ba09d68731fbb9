import * as vscode from 'vscode';
import { flowNameOfFile } from '../csml/flowMatch';
import { markerTitle, StepMarker, stepMarkers } from '../conversations/stepMarkers';
import { WatchList } from '../conversations/watchList';
import { Command } from './commandIds';

const CSML_FILES: vscode.DocumentFilter = { pattern: '**/*.csml' };

/**
 * Where the watched users stand, drawn in the flow sources: a gutter icon on each current step's
 * label line and a CodeLens above it ("● alice is here · 12 s ago") that reveals the user in the
 * view; and on the first line of every flow a CodeLens that starts the flow for the pinned user.
 */
export class LiveMarkers implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly decoration: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  private cache = new WeakMap<vscode.TextDocument, { version: number; markers: StepMarker[] }>();

  constructor(
    private readonly watch: WatchList,
    iconPath: vscode.Uri,
    private readonly canTrigger: () => boolean,
  ) {
    this.decoration = vscode.window.createTextEditorDecorationType({
      gutterIconPath: iconPath,
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('editorInfo.foreground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.decoration,
      vscode.languages.registerCodeLensProvider(CSML_FILES, this),
      watch.onDidChange(() => this.update()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isFlowFile(event.document)) this.decorate();
      }),
    );
  }

  /** Redraws after users or their states changed. */
  update(): void {
    this.cache = new WeakMap();
    this.decorate();
    this.changed.fire();
  }

  /** The markers of a document, for tests and for both kinds of drawing. */
  markers(document: vscode.TextDocument): StepMarker[] {
    const flowName = flowNameOfFile(document.uri.fsPath);
    if (flowName === undefined) return [];
    const cached = this.cache.get(document);
    if (cached && cached.version === document.version) return cached.markers;
    const markers = stepMarkers(this.watch.users, flowName, document.getText());
    this.cache.set(document, { version: document.version, markers });
    return markers;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    const flowName = flowNameOfFile(document.uri.fsPath);
    if (flowName === undefined) return lenses;
    const pinned = this.watch.pinned;
    if (pinned && this.canTrigger()) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: `▶ Start this flow for ${pinned}`,
          tooltip: `Sends a flow_trigger for ${flowName} as ${pinned}, closing any open flow`,
          command: Command.triggerFlow,
          arguments: [{ flowName }],
        }),
      );
    }
    const now = Date.now();
    for (const marker of this.markers(document)) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(marker.line, 0, marker.line, 0), {
          title: markerTitle(marker, now),
          tooltip: `${marker.userId} is at step ${marker.stepId}; click to show them in the Conversations view`,
          command: Command.revealUser,
          arguments: [marker.userId],
        }),
      );
    }
    return lenses;
  }

  private decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (!isFlowFile(editor.document)) continue;
      const ranges = this.markers(editor.document).map((m) => ({
        range: new vscode.Range(m.line, 0, m.line, 0),
        hoverMessage: `${m.userId} is here (step ${m.stepId})`,
      }));
      editor.setDecorations(this.decoration, ranges);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}

function isFlowFile(document: vscode.TextDocument): boolean {
  return flowNameOfFile(document.uri.fsPath) !== undefined;
}
