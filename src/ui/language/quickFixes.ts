import {
  CancellationToken,
  CodeAction,
  CodeActionContext,
  CodeActionKind,
  CodeActionProvider,
  CodeActionProviderMetadata,
  Diagnostic,
  Position,
  Range,
  TextDocument,
  Uri,
  WorkspaceEdit,
} from 'vscode';
import { positionOf } from '../../csml/lineIndex';
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
      // The flow a step would be created in, read without opening it: this runs at every move of the cursor.
      const target = flowOfMissingStep(bot, key, start);
      const targetText = target ? await this.csml.textOf(target.key) : undefined;
      if (token.isCancellationRequested) return [];
      const fixes = missingTargetFixes(bot, key, start, (flow) => (flow === target?.key ? targetText : undefined));
      const renames = fixes.filter((fix) => fix.kind === 'rename');
      for (const fix of fixes) {
        const action = this.action(fix, diagnostic, targetText ?? '');
        // One close name is almost surely the typo's fix: Auto Fix may apply it.
        action.isPreferred = renames.length === 1 && fix === renames[0];
        actions.push(action);
      }
    }
    return actions;
  }

  private action(fix: TargetFix, diagnostic: Diagnostic, targetText: string): CodeAction {
    const action = new CodeAction(fix.title, CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    const edit = new WorkspaceEdit();
    switch (fix.kind) {
      case 'rename':
        edit.replace(Uri.parse(fix.key), diagnostic.range, fix.text);
        break;
      case 'insert': {
        const { line, character } = positionOf(targetText, fix.offset);
        edit.insert(Uri.parse(fix.key), new Position(line, character), fix.text);
        break;
      }
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
