import { Hover, HoverProvider, MarkdownString, Position, Range, TextDocument } from 'vscode';
import { hoverAt } from '../../csml/hover';
import { CsmlWorkspace } from './csmlWorkspace';

/** The first lines of the step, function or flow a name refers to, when the pointer rests on it. */
export class CsmlHover implements HoverProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  async provideHover(document: TextDocument, position: Position): Promise<Hover | undefined> {
    const bot = await this.csml.botOf(document);
    if (!bot) return undefined;
    const found = await hoverAt(bot, document.uri.toString(), document.offsetAt(position), (key) => this.csml.textOf(key));
    if (!found) return undefined;
    // The markdown holds file text in code blocks only; nothing in it may run commands or render HTML.
    const markdown = new MarkdownString(found.markdown);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    return new Hover(markdown, new Range(document.positionAt(found.span.start), document.positionAt(found.span.end)));
  }
}
