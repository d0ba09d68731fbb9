import { Uri, workspace } from 'vscode';
import { FlowFiles } from './flowFiles';

/** A flow's local text as the user sees it: the open editor's, unsaved changes included, else the file's. */
export function localFlowText(files: FlowFiles): (flowName: string) => Promise<string | undefined> {
  return async (flowName) => {
    const [local] = await files.lookup(flowName);
    if (!local) return undefined;
    const open = workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === local);
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await workspace.fs.readFile(Uri.file(local)));
    } catch {
      return undefined;
    }
  };
}
