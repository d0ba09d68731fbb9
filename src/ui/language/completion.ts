import {
  CancellationToken,
  CompletionContext,
  CompletionItem,
  CompletionItemKind,
  CompletionItemProvider,
  CompletionItemTag,
  MarkdownString,
  Position,
  Range,
  TextDocument,
} from 'vscode';
import { CompletionKind, completionsAt } from '../../csml/completion';
import { CsmlWorkspace } from './csmlWorkspace';

/** After `goto ` and `from `, `s@`, `insert {` and the commas between its names. */
export const COMPLETION_TRIGGERS = [' ', '@', '{', ','];

const KIND: Record<CompletionKind, CompletionItemKind> = {
  step: CompletionItemKind.Method,
  function: CompletionItemKind.Function,
  flow: CompletionItemKind.Module,
  keyword: CompletionItemKind.Keyword,
  component: CompletionItemKind.Class,
};

/** Steps, flows, functions, keywords and components, as the language service offers them at the cursor. */
export class CsmlCompletion implements CompletionItemProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  async provideCompletionItems(
    document: TextDocument,
    position: Position,
    token: CancellationToken,
    context: CompletionContext,
  ): Promise<CompletionItem[]> {
    const version = document.version;
    const bot = await this.csml.botOf(document);
    const flow = bot?.get(document.uri.toString());
    // The bot's model of this flow is that of the version asked about: an edit since then asks again.
    if (!bot || !flow || token.isCancellationRequested || document.version !== version) return [];
    const completions = completionsAt(document.getText(), document.offsetAt(position), bot, flow, { trigger: context.triggerCharacter });
    if (completions.length === 0) return [];
    // Every completion of one request replaces the same word.
    const { start, end } = completions[0].replace;
    const range = new Range(document.positionAt(start), document.positionAt(end));
    return completions.map((completion) => {
      // The flow (or a signature) beside the label says it once; a detail would say it again.
      const item = new CompletionItem({ label: completion.label, description: completion.detail }, KIND[completion.kind]);
      if (completion.documentation) item.documentation = new MarkdownString(completion.documentation);
      if (completion.insertText) item.insertText = completion.insertText;
      item.sortText = completion.sortText;
      item.range = range;
      if (completion.deprecated) item.tags = [CompletionItemTag.Deprecated];
      return item;
    });
  }
}
