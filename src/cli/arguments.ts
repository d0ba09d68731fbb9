/** What the command line asks for. */
export type CheckArguments =
  | { readonly kind: 'check'; readonly paths: readonly string[]; readonly json: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export const USAGE = [
  'Usage: csml-check <bot folder or flow file>... [--json]',
  '',
  'Checks CSML flows as the editor does (gotos to missing steps or flows, steps nothing reaches) and prints one line',
  'per problem, then a count. Folders are searched for .csml flows; .cmds.csml files, node_modules and dot-folders are',
  'skipped. Exits with 1 when there is an error, 2 on bad usage, 0 otherwise (warnings and hints do not fail).',
  '',
  'Options:',
  '  --json      print one JSON document (the problems and their counts) instead of lines',
  '  -h, --help  print this help',
  '  --          what follows is a path, even if it starts with "-"',
].join('\n');

/** Reads the arguments after `node csml-check.js`; paths are kept as written. */
export function parseArguments(args: readonly string[]): CheckArguments {
  const paths: string[] = [];
  let json = false;
  let onlyPaths = false;
  for (const arg of args) {
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      if (arg === '') return { kind: 'usage-error', message: 'An empty path was given: name a bot folder or a flow file.' };
      paths.push(arg);
    } else if (arg === '--') {
      onlyPaths = true;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--help' || arg === '-h') {
      return { kind: 'help' };
    } else {
      return { kind: 'usage-error', message: `Unknown option ${arg}: run csml-check --help to see the options.` };
    }
  }
  if (paths.length === 0)
    return { kind: 'usage-error', message: 'Name at least one bot folder or flow file to check, e.g. csml-check bots/my-bot.' };
  return { kind: 'check', paths, json };
}
