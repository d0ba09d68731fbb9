import type { BotModel, FlowEntry } from './botModel';
import type { Goto } from './flowModel';
import { isDeclarableName } from './flowParser';
import { nearestNames } from './nearestNames';
import type { Span } from './tokens';

/** A change that mends a goto to a missing step or flow. */
export type TargetFix =
  /** Replace the name at `span` of flow `key`. */
  | { readonly kind: 'rename'; readonly title: string; readonly key: string; readonly span: Span; readonly text: string }
  /** Insert `text` at `offset` of flow `key`. */
  | { readonly kind: 'insert'; readonly title: string; readonly key: string; readonly offset: number; readonly text: string }
  /** Create the flow `name` next to flow `besideKey`, with `contents`. */
  | { readonly kind: 'createFlow'; readonly title: string; readonly besideKey: string; readonly name: string; readonly contents: string };

/** A flow name that can safely become a file name: letters, digits, `_` and `-`, and a name the engine accepts. */
const FILE_SAFE_NAME = /^[\p{L}\p{N}_-]{1,100}$/u;

/**
 * The fixes of the problem a missing-target check reported at `start` in flow `key`: change the name to a close
 * one that exists (closest first: a typo is the likelier cause), or create the step (after the step that goes to it, or at the end of the other flow) or the
 * flow. `textOf` gives the text of a flow, for where to insert and how the flow indents.
 */
export function missingTargetFixes(bot: BotModel, key: string, start: number, textOf: (key: string) => string | undefined): TargetFix[] {
  const flow = bot.get(key);
  if (!flow) return [];
  const goto = flow.model.gotos.find((candidate) => candidate.step?.start === start || candidate.flow?.start === start);
  if (!goto) return [];
  if (goto.flow?.start === start) return missingFlowFixes(bot, flow, goto);
  const step = goto.step;
  if (!step) return [];
  const target = flowOfMissingStep(bot, key, start);
  if (!target) return [];
  const fixes: TargetFix[] = [];
  const candidates = [...target.steps.keys()];
  for (const insert of target.model.inserts) for (const entry of insert.names) candidates.push((entry.alias ?? entry.name).text);
  for (const name of nearestNames(step.text, candidates)) {
    fixes.push({ kind: 'rename', title: `Change to '${name}'`, key, span: step, text: name });
  }
  const text = textOf(target.key);
  if (text !== undefined && isDeclarableName(step.text)) {
    const after = target === flow ? flow.model.steps.find((candidate) => candidate.start <= start && start <= candidate.end) : undefined;
    const offset = endOfLine(text, (after ?? target.model.steps.at(-1))?.end ?? text.length);
    const where = target === flow ? '' : ` in ${target.name}`;
    fixes.push({
      kind: 'insert',
      title: `Create step '${step.text}'${where}`,
      key: target.key,
      offset,
      text: newStep(step.text, indentOf(text), text.includes('\r\n') ? '\r\n' : '\n'),
    });
  }
  return fixes;
}

/** The flow a missing step would be created in, whose text `missingTargetFixes` asks for. */
export function flowOfMissingStep(bot: BotModel, key: string, start: number): FlowEntry | undefined {
  const flow = bot.get(key);
  const goto = flow?.model.gotos.find((candidate) => candidate.step?.start === start);
  if (!flow || !goto) return undefined;
  return goto.flow ? bot.gotoFlows(goto.flow.text)[0] : flow;
}

function missingFlowFixes(bot: BotModel, flow: FlowEntry, goto: Goto): TargetFix[] {
  const name = goto.flow?.text ?? '';
  const fixes: TargetFix[] = [];
  const flowNames = [...bot.all()].map((entry) => entry.name);
  for (const candidate of nearestNames(name, flowNames)) {
    if (goto.flow) fixes.push({ kind: 'rename', title: `Change to '${candidate}'`, key: flow.key, span: goto.flow, text: candidate });
  }
  if (FILE_SAFE_NAME.test(name) && isDeclarableName(name)) {
    const step = goto.step && !goto.step.dynamic && goto.step.text !== 'start' && goto.step.text !== 'end' ? goto.step.text : undefined;
    const contents = 'start:\n  goto end\n' + (step && isDeclarableName(step) ? `\n${step}:\n  goto end\n` : '');
    fixes.push({ kind: 'createFlow', title: `Create flow '${name}'`, besideKey: flow.key, name, contents });
  }
  return fixes;
}

/** A step that ends the conversation, as it does today, written with the flow's indentation and line ends. */
function newStep(name: string, indent: string, eol: string): string {
  return `${eol}${eol}${name}:${eol}${indent}goto end`;
}

function endOfLine(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  if (end < 0) return text.length;
  return text[end - 1] === '\r' ? end - 1 : end;
}

/** The indentation of the flow's first indented line: the new step is written the way the flow is. */
function indentOf(text: string): string {
  for (let lineStart = 0; lineStart < text.length;) {
    let i = lineStart;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i > lineStart && i < text.length && text[i] !== '\n' && text[i] !== '\r') return text.slice(lineStart, i);
    const next = text.indexOf('\n', lineStart);
    if (next < 0) break;
    lineStart = next + 1;
  }
  return '  ';
}
