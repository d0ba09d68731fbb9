import { Memento, Uri, window, workspace } from 'vscode';
import { studioCredentialsFromDotEnv } from '../csml/botWorkspace';
import { Credentials } from '../studio/signing';

const OFFERED_KEY = 'csml.dotEnvImportOffered';

/**
 * The Studio CLI keeps a bot's key and secret in a git-ignored `.env`. Finding one, the extension
 * offers once per workspace to move them into secret storage; the file itself is left alone.
 */
export class DotEnvImport {
  constructor(private readonly workspaceState: Memento) {}

  /**
   * The first `.env` that holds both API_KEY and API_SECRET: at the root of a workspace folder
   * (where the Studio CLI writes it, and cheap enough to check at start-up), or, when `search` is
   * set, anywhere in the workspace.
   */
  async find(search = false): Promise<{ uri: Uri; credentials: Credentials } | undefined> {
    const roots = (workspace.workspaceFolders ?? []).map((folder) => Uri.joinPath(folder.uri, '.env'));
    const found = await this.firstWithCredentials(roots);
    if (found || !search) return found;
    const files = await workspace.findFiles('**/.env', '**/node_modules/**', 10);
    files.sort((a, b) => a.fsPath.length - b.fsPath.length);
    return this.firstWithCredentials(files);
  }

  private async firstWithCredentials(uris: Uri[]): Promise<{ uri: Uri; credentials: Credentials } | undefined> {
    for (const uri of uris) {
      try {
        const text = new TextDecoder().decode(await workspace.fs.readFile(uri));
        const found = studioCredentialsFromDotEnv(text);
        if (found) return { uri, credentials: { apiKey: found.apiKey, apiSecret: found.apiSecret } };
      } catch {
        // Missing or unreadable: not ours to report.
      }
    }
    return undefined;
  }

  get offered(): boolean {
    return this.workspaceState.get<boolean>(OFFERED_KEY) === true;
  }

  /** Asks once; true when the user chose to import. */
  async offer(uri: Uri): Promise<boolean> {
    await this.workspaceState.update(OFFERED_KEY, true);
    const importNow = 'Import';
    const choice = await window.showInformationMessage(
      `${workspace.asRelativePath(uri)} holds a CSML Studio API key and secret. Import them into VS Code's secret storage?`,
      importNow,
      'Not Now',
    );
    return choice === importNow;
  }
}
