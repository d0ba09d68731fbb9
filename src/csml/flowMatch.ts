/**
 * From a conversation's flow reference to the flow it names and to the
 * `.csml` files on disk that hold that flow.
 */

export interface FlowRef {
  id: string;
  name: string;
}

const CSML_EXTENSION = '.csml';
const COMMANDS_SUFFIX = '.cmds';

/**
 * The flow a reference points at. The engine accepts an id or a name, in any
 * case, so a `flow_id` may well hold a name; exact matches win over looser ones.
 */
export function resolveFlow<T extends FlowRef>(ref: string, flows: readonly T[]): T | undefined {
  const lowerRef = ref.toLowerCase();
  return (
    flows.find((flow) => flow.id === ref) ??
    flows.find((flow) => flow.id.toLowerCase() === lowerRef) ??
    flows.find((flow) => flow.name === ref) ??
    flows.find((flow) => flow.name.toLowerCase() === lowerRef)
  );
}

/** Whether `text` holds `lowerAscii` at `at`, ignoring ASCII case. */
function hasAtIgnoringCase(text: string, at: number, lowerAscii: string): boolean {
  for (let k = 0; k < lowerAscii.length; k++) {
    const c = text.charCodeAt(at + k);
    const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    if (lower !== lowerAscii.charCodeAt(k)) {
      return false;
    }
  }
  return true;
}

/**
 * The flow name a file holds (`flows/My.Flow.csml` -> `My.Flow`), or undefined
 * for anything that is not a flow's source, such as its `.cmds.csml` commands.
 */
export function flowNameOfFile(path: string): string | undefined {
  // Index arithmetic rather than slicing: the index runs this on every file of a workspace.
  const start = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  const end = path.length - CSML_EXTENSION.length;
  if (end <= start || !hasAtIgnoringCase(path, end, CSML_EXTENSION)) {
    return undefined;
  }
  const commandsAt = end - COMMANDS_SUFFIX.length;
  if (commandsAt >= start && hasAtIgnoringCase(path, commandsAt, COMMANDS_SUFFIX)) {
    return undefined;
  }
  return path.slice(start, end);
}

/** Files whose name matches the flow exactly come first, then a stable order by path. */
export function compareFlowFiles(flowName: string, a: string, b: string): number {
  const aExact = flowNameOfFile(a) === flowName;
  const bExact = flowNameOfFile(b) === flowName;
  if (aExact !== bExact) {
    return aExact ? -1 : 1;
  }
  // Plain code-unit order: the same on every machine, whatever its locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The paths that hold the flow named `flowName` (case-insensitive), best candidates first. */
export function matchFlowFiles(flowName: string, paths: readonly string[]): string[] {
  const lowerName = flowName.toLowerCase();
  return paths.filter((path) => flowNameOfFile(path)?.toLowerCase() === lowerName).sort((a, b) => compareFlowFiles(flowName, a, b));
}
