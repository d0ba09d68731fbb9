import {
  CancellationToken,
  DocumentSymbol,
  DocumentSymbolProvider,
  FoldingRange,
  FoldingRangeKind,
  FoldingRangeProvider,
  Range,
  SymbolKind,
  TextDocument,
} from 'vscode';
import { flowSymbols, FlowSymbolKind } from '../../csml/flowSymbols';
import type { Span } from '../../csml/tokens';
import { CsmlWorkspace } from './csmlWorkspace';

/** How each kind of entry shows in the Outline. */
const SYMBOL_KINDS: Record<FlowSymbolKind, SymbolKind> = {
  step: SymbolKind.Method,
  function: SymbolKind.Function,
  constant: SymbolKind.Constant,
  import: SymbolKind.Package,
  insert: SymbolKind.Module,
};

/**
 * A flow's steps, functions, constants, imports and inserts: the Outline view, breadcrumbs, sticky scroll
 * and Go to Symbol in Editor; and its steps, functions, bracketed blocks and comments as folding ranges.
 */
export class CsmlOutline implements DocumentSymbolProvider, FoldingRangeProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  provideDocumentSymbols(document: TextDocument): DocumentSymbol[] {
    const range = (span: Span) => new Range(document.positionAt(span.start), document.positionAt(span.end));
    return flowSymbols(this.csml.modelOf(document)).map(
      (symbol) => new DocumentSymbol(symbol.name, symbol.detail, SYMBOL_KINDS[symbol.kind], range(symbol.span), range(symbol.nameSpan)),
    );
  }

  provideFoldingRanges(document: TextDocument, _context: unknown, _token: CancellationToken): FoldingRange[] {
    const model = this.csml.modelOf(document);
    const fold = (span: Span, kind?: FoldingRangeKind, keepLastLines = 0) => {
      const start = document.positionAt(span.start).line;
      const end = document.positionAt(span.end).line - keepLastLines;
      return end > start ? [new FoldingRange(start, end, kind)] : [];
    };
    return [
      ...model.steps.flatMap((step) => fold(step)),
      ...model.functions.flatMap((fn) => fold(fn)),
      // The closing bracket's line stays in view, as VS Code folds brackets.
      ...[...model.blocks].flatMap((block) => fold({ start: block.start, end: block.end - 1 }, undefined, 1)),
      ...[...model.comments].flatMap((comment) => fold(comment, FoldingRangeKind.Comment)),
      ...this.regions(document, model.comments),
    ];
  }

  /** `// #region` … `// #endregion` pairs, as the language configuration's markers fold them without a provider. */
  private regions(document: TextDocument, comments: Iterable<Span>): FoldingRange[] {
    const open: number[] = [];
    const ranges: FoldingRange[] = [];
    const source = document.getText();
    for (const comment of comments) {
      const text = source.slice(comment.start, comment.start + 16);
      if (/^\/\/\s*#region\b/.test(text)) open.push(document.positionAt(comment.start).line);
      else if (/^\/\/\s*#endregion\b/.test(text) && open.length > 0) {
        const start = open.pop() ?? 0;
        const end = document.positionAt(comment.start).line;
        if (end > start) ranges.push(new FoldingRange(start, end, FoldingRangeKind.Region));
      }
    }
    return ranges;
  }
}
