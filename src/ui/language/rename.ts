import { CancellationToken, Position, Range, RenameProvider, TextDocument, Uri, WorkspaceEdit } from 'vscode';
import { isRefusal, renameAt, renameTargetAt } from '../../csml/rename';
import { CsmlWorkspace } from './csmlWorkspace';

/**
 * Renames a step or a function across the flows of its bot. A refusal is thrown as an Error: VS Code shows its
 * message where the user typed the name.
 */
export class CsmlRename implements RenameProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  async prepareRename(document: TextDocument, position: Position): Promise<{ range: Range; placeholder: string }> {
    const bot = await this.csml.botOf(document);
    if (!bot) throw new Error('Only the steps and functions of a flow file can be renamed.');
    const target = renameTargetAt(bot, document.uri.toString(), document.offsetAt(position));
    if (isRefusal(target)) throw new Error(target.refusal);
    const range = new Range(document.positionAt(target.span.start), document.positionAt(target.span.end));
    return { range, placeholder: target.symbol.name };
  }

  async provideRenameEdits(
    document: TextDocument,
    position: Position,
    newName: string,
    token: CancellationToken,
  ): Promise<WorkspaceEdit | undefined> {
    const bot = await this.csml.botOf(document);
    if (!bot) throw new Error('Only the steps and functions of a flow file can be renamed.');
    const plan = renameAt(bot, document.uri.toString(), document.offsetAt(position), newName);
    if (isRefusal(plan)) throw new Error(plan.refusal);
    if (token.isCancellationRequested) return undefined;
    const edit = new WorkspaceEdit();
    for (const [key, spans] of plan.edits) {
      const uri = Uri.parse(key);
      for (const span of spans) edit.replace(uri, this.csml.location(key, span).range, newName);
    }
    return edit;
  }
}
