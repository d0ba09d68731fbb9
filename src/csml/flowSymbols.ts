import type { FlowModel, ImportDeclaration, InsertDeclaration, Name } from './flowModel';
import type { Span } from './tokens';

export type FlowSymbolKind = 'step' | 'function' | 'constant' | 'import' | 'insert';

/** One entry of a flow's outline. */
export interface FlowSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: FlowSymbolKind;
  /** The whole declaration (a step with its statements), and its name. */
  readonly span: Span;
  readonly nameSpan: Span;
}

/** A flow's steps, functions, constants, imports and inserts, in source order. */
export function flowSymbols(model: FlowModel): FlowSymbol[] {
  const symbol = (name: Name, detail: string, kind: FlowSymbolKind, span: Span): FlowSymbol => ({
    name: name.text,
    detail,
    kind,
    span,
    nameSpan: name,
  });
  const brought = (declaration: ImportDeclaration | InsertDeclaration, kind: 'import' | 'insert') =>
    declaration.names.map((entry) => {
      const source = declaration.from;
      const from = source ? ` from ${source.kind === 'module' ? 'modules/' : ''}${source.name.text}` : '';
      const original = entry.alias ? ` ${entry.name.text}` : '';
      return symbol(entry.alias ?? entry.name, `${kind}${original}${from}`, kind, declaration);
    });
  return [
    ...model.imports.flatMap((declaration) => brought(declaration, 'import')),
    ...model.inserts.flatMap((declaration) => brought(declaration, 'insert')),
    ...model.constants.map((constant) => symbol(constant.name, 'const', 'constant', constant)),
    ...model.steps.map((step) => symbol(step.name, 'step', 'step', step)),
    ...model.functions.map((fn) => symbol(fn.name, `fn (${fn.parameters.map((p) => p.text).join(', ')})`, 'function', fn)),
  ].sort((a, b) => a.nameSpan.start - b.nameSpan.start);
}
