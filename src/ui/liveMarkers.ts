import {
  CodeLens,
  CodeLensProvider,
  Disposable,
  DocumentFilter,
  EventEmitter,
  languages,
  OverviewRulerLane,
  Range,
  TextDocument,
  TextEditorDecorationType,
  ThemeColor,
  Uri,
  window,
  workspace,
} from 'vscode';
import { flowNameOfFile } from '../csml/flowMatch';
import { markerTitle, StepMarker, stepMarkers } from '../conversations/stepMarkers';
import { WatchList } from '../conversations/watchList';
import { Command } from './commandIds';

const CSML_FILES: DocumentFilter = { pattern: '**/*.csml' };

/**
 * Where the watched users stand, drawn in the flow sources: a gutter icon on each current step's
 * label line and a CodeLens above it ("● alice is here · 12 s ago") that reveals the user in the
 * view; and on the first line of every flow a CodeLens that starts the flow for the pinned user.
 */
export class LiveMarkers implements CodeLensProvider, Disposable {
  private readonly changed = new EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly decoration: TextEditorDecorationType;
  private readonly disposables: Disposable[] = [];
  private cache = new WeakMap<TextDocument, { version: number; markers: StepMarker[] }>();

  constructor(
    private readonly watch: WatchList,
    iconPath: Uri,
    private readonly canTrigger: () => boolean,
  ) {
    this.decoration = window.createTextEditorDecorationType({
      gutterIconPath: iconPath,
      gutterIconSize: 'contain',
      overviewRulerColor: new ThemeColor('editorInfo.foreground'),
      overviewRulerLane: OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.decoration,
      languages.registerCodeLensProvider(CSML_FILES, this),
      watch.onDidChange(() => this.update()),
      window.onDidChangeVisibleTextEditors(() => this.decorate()),
      workspace.onDidChangeTextDocument((event) => {
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
  markers(document: TextDocument): StepMarker[] {
    const flowName = flowNameOfFile(document.uri.fsPath);
    if (flowName === undefined) return [];
    const cached = this.cache.get(document);
    if (cached && cached.version === document.version) return cached.markers;
    const markers = stepMarkers(this.watch.users, flowName, document.getText());
    this.cache.set(document, { version: document.version, markers });
    return markers;
  }

  provideCodeLenses(document: TextDocument): CodeLens[] {
    const lenses: CodeLens[] = [];
    const flowName = flowNameOfFile(document.uri.fsPath);
    if (flowName === undefined) return lenses;
    const pinned = this.watch.pinned;
    if (pinned && this.canTrigger()) {
      lenses.push(
        new CodeLens(new Range(0, 0, 0, 0), {
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
        new CodeLens(new Range(marker.line, 0, marker.line, 0), {
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
    for (const editor of window.visibleTextEditors) {
      if (!isFlowFile(editor.document)) continue;
      const ranges = this.markers(editor.document).map((m) => ({
        range: new Range(m.line, 0, m.line, 0),
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

function isFlowFile(document: TextDocument): boolean {
  return flowNameOfFile(document.uri.fsPath) !== undefined;
}
