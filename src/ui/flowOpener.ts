import * as path from 'node:path';
import * as vscode from 'vscode';
import { findStepLabel } from '../csml/stepScanner';
import { Conversation, Flow } from '../studio/schema';
import { FlowFiles } from './flowFiles';

const CHOICES_KEY = 'csml.flowFileChoices';

export interface FlowLocation {
  readonly conversation: Conversation;
  readonly flow?: Flow;
}

/** Opens a conversation's flow file with the cursor on its current step's label. */
export class FlowOpener {
  constructor(
    private readonly files: FlowFiles,
    private readonly workspaceState: vscode.Memento,
  ) {}

  async open({ conversation, flow }: FlowLocation): Promise<vscode.TextEditor | undefined> {
    // The engine accepts a flow's name where an id is expected, so an unresolved id may be a name.
    const flowName = flow?.name ?? conversation.flowId;
    const file = await this.chooseFile(flowName);
    if (!file) return undefined;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const label = findStepLabel(document.getText(), conversation.stepId);
    const position = label ? new vscode.Position(label.line, label.character) : new vscode.Position(0, 0);
    const editor = await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: false });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (!label) {
      void vscode.window.showInformationMessage(
        `Step "${conversation.stepId}" has no label in ${path.basename(file)} (it may come from an "insert step" or be newer than this file), so the flow opened at the top.`,
      );
    }
    return editor;
  }

  private async chooseFile(flowName: string): Promise<string | undefined> {
    const candidates = await this.files.lookup(flowName);
    if (candidates.length === 0) {
      void vscode.window.showWarningMessage(
        `No ${flowName}.csml file is in this workspace; open the folder that holds the bot's flows (the Studio CLI puts them in flows/).`,
      );
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const choices = this.workspaceState.get<Record<string, string>>(CHOICES_KEY) ?? {};
    const remembered = choices[flowName.toLowerCase()];
    if (remembered && candidates.includes(remembered)) return remembered;
    const picked = await vscode.window.showQuickPick(
      candidates.map((file) => ({ label: path.basename(file), description: vscode.workspace.asRelativePath(file), file })),
      { title: `Several files hold the flow ${flowName}`, placeHolder: 'Pick the one to open; the choice is remembered for this workspace' },
    );
    if (!picked) return undefined;
    await this.workspaceState.update(CHOICES_KEY, { ...choices, [flowName.toLowerCase()]: picked.file });
    return picked.file;
  }
}
