import { Hover, HoverProvider, MarkdownString, Position, Range, TextDocument, Uri, workspace } from 'vscode';
import { hoverAt } from '../../csml/hover';
import { CsmlWorkspace } from './csmlWorkspace';

/** The first lines of the step, function or flow a name refers to, when the pointer rests on it. */
export class CsmlHover implements HoverProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  async provideHover(document: TextDocument, position: Position): Promise<Hover | undefined> {
    const bot = await this.csml.botOf(document);
    if (!bot) return undefined;
    const found = await hoverAt(bot, document.uri.toString(), document.offsetAt(position), textOf);
    if (!found) return undefined;
    // The markdown holds file text in code blocks only; nothing in it may run commands or render HTML.
    const markdown = new MarkdownString(found.markdown);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    return new Hover(markdown, new Range(document.positionAt(found.span.start), document.positionAt(found.span.end)));
  }
}

/** A flow's text: the editor's when it is open (with what is not saved yet), else the file's. */
async function textOf(key: string): Promise<string | undefined> {
  const open = workspace.textDocuments.find((document) => document.uri.toString() === key);
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await workspace.fs.readFile(Uri.parse(key)));
  } catch {
    return undefined;
  }
}
