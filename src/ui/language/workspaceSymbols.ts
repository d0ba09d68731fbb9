import { CancellationToken, SymbolInformation, SymbolKind, WorkspaceSymbolProvider } from 'vscode';
import { CsmlWorkspace } from './csmlWorkspace';

/** Every step and function of the workspace's bots, in Go to Symbol in Workspace. */
export class CsmlWorkspaceSymbols implements WorkspaceSymbolProvider {
  constructor(private readonly csml: CsmlWorkspace) {}

  async provideWorkspaceSymbols(query: string, token: CancellationToken): Promise<SymbolInformation[]> {
    const wanted = query.toLowerCase();
    const symbols: SymbolInformation[] = [];
    for (const bot of await this.csml.allBots()) {
      for (const flow of bot.all()) {
        if (token.isCancellationRequested) return symbols;
        for (const [name, span] of flow.steps) {
          if (matches(name, wanted))
            symbols.push(new SymbolInformation(name, SymbolKind.Method, flow.name, this.csml.location(flow.key, span)));
        }
        for (const [name, span] of flow.functions) {
          if (matches(name, wanted))
            symbols.push(new SymbolInformation(name, SymbolKind.Function, flow.name, this.csml.location(flow.key, span)));
        }
      }
    }
    return symbols;
  }
}

/** The query's characters in order, as VS Code's own filter reads it. */
function matches(name: string, query: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const c of query) {
    at = lower.indexOf(c, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
