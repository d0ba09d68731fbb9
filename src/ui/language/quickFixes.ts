import {
  CancellationToken,
  CodeAction,
  CodeActionContext,
  CodeActionKind,
  CodeActionProvider,
  CodeActionProviderMetadata,
  Diagnostic,
  Range,
  TextDocument,
  Uri,
  workspace,
  WorkspaceEdit,
} from 'vscode';
import { flowOfMissingStep, missingTargetFixes, TargetFix } from '../../csml/missingTargetFixes';
import { CsmlWorkspace } from './csmlWorkspace';

const FIXABLE: ReadonlySet<unknown> = new Set(['missing-step', 'missing-flow']);

/** Quick fixes for a goto to a missing step or flow: create it, or change to a close name that exists. */
export class CsmlQuickFixes implements CodeActionProvider {
  static readonly metadata: CodeActionProviderMetadata = { providedCodeActionKinds: [CodeActionKind.QuickFix] };

  constructor(private readonly csml: CsmlWorkspace) {}

  async provideCodeActions(
    document: TextDocument,
    _range: Range,
    context: CodeActionContext,
    token: CancellationToken,
  ): Promise<CodeAction[]> {
    const diagnostics = context.diagnostics.filter((diagnostic) => diagnostic.source === 'CSML' && FIXABLE.has(diagnostic.code));
    if (diagnostics.length === 0) return [];
    const bot = await this.csml.botOf(document);
    if (!bot) return [];
    const key = document.uri.toString();
    const actions: CodeAction[] = [];
    for (const diagnostic of diagnostics) {
      const start = document.offsetAt(diagnostic.range.start);
      const target = flowOfMissingStep(bot, key, start);
      const targetDocument = target ? await workspace.openTextDocument(Uri.parse(target.key)) : undefined;
      if (token.isCancellationRequested) return [];
      const textOf = (flow: string) => (targetDocument?.uri.toString() === flow ? targetDocument.getText() : undefined);
      const fixes = missingTargetFixes(bot, key, start, textOf);
      const renames = fixes.filter((fix) => fix.kind === 'rename');
      for (const fix of fixes) {
        const action = this.action(fix, diagnostic, targetDocument ?? document);
        // One close name is almost surely the typo's fix: Auto Fix may apply it.
        action.isPreferred = renames.length === 1 && fix === renames[0];
        actions.push(action);
      }
    }
    return actions;
  }

  private action(fix: TargetFix, diagnostic: Diagnostic, target: TextDocument): CodeAction {
    const action = new CodeAction(fix.title, CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    const edit = new WorkspaceEdit();
    switch (fix.kind) {
      case 'rename':
        edit.replace(Uri.parse(fix.key), diagnostic.range, fix.text);
        break;
      case 'insert':
        edit.insert(target.uri, target.positionAt(fix.offset), fix.text);
        break;
      case 'createFlow': {
        const file = Uri.joinPath(Uri.parse(fix.besideKey), '..', `${fix.name}.csml`);
        edit.createFile(file, { ignoreIfExists: true, contents: new TextEncoder().encode(fix.contents) });
        break;
      }
    }
    action.edit = edit;
    return action;
  }
}
