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
import type { ImportDeclaration, InsertDeclaration, Name } from '../../csml/flowModel';
import type { Span } from '../../csml/tokens';
import { CsmlWorkspace } from './csmlWorkspace';

/**
 * A flow's steps, functions, constants, imports and inserts: the Outline view, breadcrumbs, sticky scroll
 * and Go to Symbol in Editor; and its steps, functions, bracketed blocks and comments as folding ranges.
 */
export class CsmlOutline implements DocumentSymbolProvider, FoldingRangeProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  provideDocumentSymbols(document: TextDocument): DocumentSymbol[] {
    const model = this.csml.modelOf(document);
    const range = (span: Span) => new Range(document.positionAt(span.start), document.positionAt(span.end));
    const symbol = (name: Name, detail: string, kind: SymbolKind, span: Span) =>
      new DocumentSymbol(name.text, detail, kind, range(span), range(name.span));
    const brought = (declaration: ImportDeclaration | InsertDeclaration, what: string, kind: SymbolKind) =>
      declaration.names.map((entry) => {
        const from = declaration.from ? ` from ${declaration.from.kind === 'module' ? 'modules/' : ''}${declaration.from.name.text}` : '';
        const detail = `${what} ${entry.alias ? `${entry.name.text} ` : ''}${from}`.trim();
        return symbol(entry.alias ?? entry.name, detail, kind, declaration.span);
      });
    const symbols = [
      ...model.imports.flatMap((declaration) => brought(declaration, 'import', SymbolKind.Package)),
      ...model.inserts.flatMap((declaration) => brought(declaration, 'insert', SymbolKind.Module)),
      ...model.constants.map((constant) => symbol(constant.name, 'const', SymbolKind.Constant, constant.span)),
      ...model.steps.map((step) => symbol(step.name, 'step', SymbolKind.Method, step.span)),
      ...model.functions.map((fn) => symbol(fn.name, `fn (${fn.parameters.map((p) => p.text).join(', ')})`, SymbolKind.Function, fn.span)),
    ];
    return symbols.sort((a, b) => a.range.start.compareTo(b.range.start));
  }

  provideFoldingRanges(document: TextDocument, _context: unknown, _token: CancellationToken): FoldingRange[] {
    const model = this.csml.modelOf(document);
    const fold = (span: Span, kind?: FoldingRangeKind, keepLastLines = 0) => {
      const start = document.positionAt(span.start).line;
      const end = document.positionAt(span.end).line - keepLastLines;
      return end > start ? [new FoldingRange(start, end, kind)] : [];
    };
    return [
      ...model.steps.flatMap((step) => fold(step.span)),
      ...model.functions.flatMap((fn) => fold(fn.span)),
      // The closing bracket's line stays in view, as VS Code folds brackets.
      ...model.blocks.flatMap((block) => fold({ start: block.start, end: block.end - 1 }, undefined, 1)),
      ...model.comments.flatMap((comment) => fold(comment, FoldingRangeKind.Comment)),
    ];
  }
}
