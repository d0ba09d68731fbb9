import { basename } from 'node:path';
import { Memento, Position, Range, TextDocument, TextEditor, TextEditorRevealType, Uri, window, workspace } from 'vscode';
import { findStepLabel } from '../csml/stepScanner';
import { Flow } from '../studio/schema';
import { DeployedFlows } from './deployedFlows';
import { FlowFiles } from './flowFiles';

const CHOICES_KEY = 'csml.flowFileChoices';

export interface StepLocation {
  /** The conversation's flow_id: an id, or (as the engine allows) a flow's name. */
  readonly flowRef: string;
  /** The flow it resolved to, with its deployed content when the Studio sent it. */
  readonly flow?: Flow;
  readonly stepId: string;
}

/** Opens a flow with the cursor on a step's label: the local file, or the deployed copy when only it has the step. */
export class FlowOpener {
  constructor(
    private readonly files: FlowFiles,
    private readonly deployed: DeployedFlows,
    private readonly workspaceState: Memento,
  ) {}

  async open({ flowRef, flow, stepId }: StepLocation): Promise<TextEditor | undefined> {
    // The engine accepts a flow's name where an id is expected, so an unresolved id may be a name.
    const flowName = flow?.name ?? flowRef;
    const deployedLabel = flow?.content !== undefined ? findStepLabel(flow.content, stepId) : undefined;
    const candidates = await this.files.lookup(flowName);
    if (candidates.length === 0) {
      if (flow && deployedLabel)
        return this.openDeployed(flow, stepId, `No ${flowName}.csml file is in this workspace, so the deployed flow opened (read-only).`);
      void window.showWarningMessage(
        `No ${flowName}.csml file is in this workspace; open the folder that holds the bot's flows (the Studio CLI puts them in flows/).`,
      );
      return undefined;
    }
    const file = await this.choose(flowName, candidates);
    if (!file) return undefined;
    const document = await workspace.openTextDocument(Uri.file(file));
    const label = findStepLabel(document.getText(), stepId);
    if (!label && flow && deployedLabel) {
      return this.openDeployed(
        flow,
        stepId,
        `Step "${stepId}" is not in your local ${basename(file)} but is in the deployed flow, so the deployed copy opened (read-only); "CSML: Compare with Deployed" shows the differences.`,
      );
    }
    const editor = await show(document, label);
    if (!label) {
      void window.showInformationMessage(
        `Step "${stepId}" has no label in ${basename(file)} (it may come from an "insert step" or be newer than this file), so the flow opened at the top.`,
      );
    }
    return editor;
  }

  private async openDeployed(flow: Flow, stepId: string, why: string): Promise<TextEditor | undefined> {
    const uri = this.deployed.uriFor(flow);
    if (!uri) return undefined;
    const document = await workspace.openTextDocument(uri);
    const editor = await show(document, findStepLabel(document.getText(), stepId));
    void window.showInformationMessage(why);
    return editor;
  }

  private async choose(flowName: string, candidates: string[]): Promise<string | undefined> {
    if (candidates.length === 1) return candidates[0];
    const choices = this.workspaceState.get<Record<string, string>>(CHOICES_KEY) ?? {};
    const remembered = choices[flowName.toLowerCase()];
    if (remembered && candidates.includes(remembered)) return remembered;
    const picked = await window.showQuickPick(
      candidates.map((file) => ({ label: basename(file), description: workspace.asRelativePath(file), file })),
      {
        title: `Several files hold the flow ${flowName}`,
        placeHolder: 'Pick the one to open; the choice is remembered for this workspace',
      },
    );
    if (!picked) return undefined;
    await this.workspaceState.update(CHOICES_KEY, { ...choices, [flowName.toLowerCase()]: picked.file });
    return picked.file;
  }
}

async function show(document: TextDocument, label: { line: number; character: number } | undefined): Promise<TextEditor> {
  const position = label ? new Position(label.line, label.character) : new Position(0, 0);
  const editor = await window.showTextDocument(document, { selection: new Range(position, position), preview: false });
  editor.revealRange(new Range(position, position), TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
