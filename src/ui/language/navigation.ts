import {
  CancellationToken,
  DefinitionProvider,
  DocumentHighlight,
  DocumentHighlightKind,
  DocumentHighlightProvider,
  Location,
  Position,
  Range,
  ReferenceContext,
  ReferenceProvider,
  TextDocument,
} from 'vscode';
import { CsmlWorkspace } from './csmlWorkspace';

/**
 * Go to Definition, Peek, Find All References and document highlights for every name that stands for a
 * step, a function or a flow. What points outside the bot or is dynamic answers nothing.
 */
export class CsmlNavigation implements DefinitionProvider, ReferenceProvider, DocumentHighlightProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  async provideDefinition(document: TextDocument, position: Position): Promise<Location[]> {
    const found = await this.occurrenceAt(document, position);
    if (!found) return [];
    return found.bot.declarations(found.occurrence.symbols).map(({ key, span }) => this.csml.location(key, span));
  }

  async provideReferences(
    document: TextDocument,
    position: Position,
    context: ReferenceContext,
    token: CancellationToken,
  ): Promise<Location[]> {
    const found = await this.occurrenceAt(document, position);
    if (!found || token.isCancellationRequested) return [];
    const seen = new Set<string>();
    const locations: Location[] = [];
    for (const symbol of found.occurrence.symbols) {
      for (const { key, span } of found.bot.references(symbol, context.includeDeclaration)) {
        const id = `${key}#${span.start}`;
        if (seen.has(id)) continue;
        seen.add(id);
        locations.push(this.csml.location(key, span));
      }
    }
    return locations;
  }

  async provideDocumentHighlights(document: TextDocument, position: Position): Promise<DocumentHighlight[]> {
    const found = await this.occurrenceAt(document, position);
    if (!found) return [];
    const key = document.uri.toString();
    const highlights: DocumentHighlight[] = [];
    for (const symbol of found.occurrence.symbols) {
      const [declaration] = found.bot.declarations([symbol]);
      for (const span of found.bot.referencesIn(key, symbol)) {
        const isDeclaration = symbol.kind !== 'flow' && declaration.key === key && declaration.span.start === span.start;
        const range = new Range(document.positionAt(span.start), document.positionAt(span.end));
        highlights.push(new DocumentHighlight(range, isDeclaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read));
      }
    }
    return highlights.filter((highlight) => !highlight.range.isEmpty);
  }

  private async occurrenceAt(document: TextDocument, position: Position) {
    const bot = await this.csml.botOf(document);
    const occurrence = bot?.occurrenceAt(document.uri.toString(), document.offsetAt(position));
    return bot && occurrence ? { bot, occurrence } : undefined;
  }
}
