/**
 * The emulator's answer to `POST /bot/validate`: a small check of its own, deliberately independent of the
 * extension's parser (src/csml), so a test that compares the two is not comparing a reading of CSML with itself.
 * It finds two faults only: a flow without a `start` step, and braces that do not balance.
 *
 * Lines and columns are 1-based; columns count UTF-16 code units (JavaScript string indices), not code points.
 */

export interface FlowProblem {
  line: number;
  column: number;
  /** The step the position is in (the last step label above it), or null before the first label. */
  step: string | null;
  message: string;
}

export interface BotValidationError extends FlowProblem {
  flow: string;
}

/** Past this many problems in one flow the rest are dropped: a flow of a million `}` must not make a 100 MB answer. */
export const MAX_PROBLEMS_PER_FLOW = 100;

export const NO_START_MESSAGE = 'The flow has no start step';
export const UNMATCHED_CLOSE_MESSAGE = "Unmatched '}'";
export const UNCLOSED_OPEN_MESSAGE = "Unclosed '{'";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const STAR = 0x2a;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BYTE_ORDER_MARK = 0xfeff;

/** A step label: a name of letters (any script), digits and `_`, and a colon, first on the line (`a::b` is not one). */
const LABEL = /[ \t]*([\p{L}_][\p{L}\p{N}_]*):(?!:)/uy;

/** Problems of every flow, in flow order, each flow's in position order. */
export function validateFlows(flows: ReadonlyArray<{ name: string; content: string }>): BotValidationError[] {
  return flows.flatMap((flow) => checkFlow(flow.content).map((problem) => ({ flow: flow.name, ...problem })));
}

/** The characters that can end a run of plain text, in each place the scan can be. */
const NEXT_STOP = {
  code: /[\n\r"/{}]/g,
  string: /[\n\r"\\]/g,
  lineComment: /[\n\r]/g,
  blockComment: /[\n\r*]/g,
};

/** The problems of one flow, in position order, at most MAX_PROBLEMS_PER_FLOW. */
export function checkFlow(content: string): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const length = content.length;
  let i = length > 0 && content.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  let line = 1;
  // Where the current line's column 1 is; after a byte order mark, the character that follows it.
  let lineStart = i;
  let atLineStart = true;
  let step: string | null = null;
  let hasStart = false;
  // How many braces are open; only the outermost are kept, the only ones that can still be reported.
  let depth = 0;
  const open: FlowProblem[] = [];
  let mode: keyof typeof NEXT_STOP = 'code';

  const report = (problem: FlowProblem): void => {
    if (problems.length < MAX_PROBLEMS_PER_FLOW) problems.push(problem);
  };

  while (i < length) {
    // Steps live at the top level: a `name:` inside braces is an object's key, not a label.
    if (atLineStart && mode === 'code' && depth === 0) {
      LABEL.lastIndex = i;
      const label = LABEL.exec(content);
      if (label) {
        step = label[1];
        if (step === 'start') hasStart = true;
      }
    }
    atLineStart = false;
    const stop = NEXT_STOP[mode];
    stop.lastIndex = i;
    if (!stop.test(content)) break;
    i = stop.lastIndex - 1;
    const c = content.charCodeAt(i);
    const next = content.charCodeAt(i + 1);
    if (c === LF || c === CR) {
      i += c === CR && next === LF ? 2 : 1;
      line++;
      lineStart = i;
      atLineStart = true;
      if (mode === 'lineComment') mode = 'code';
      continue;
    }
    switch (mode) {
      case 'string':
        // An escaped line break still ends the line, so it is left for the line count.
        if (c === BACKSLASH && next !== LF && next !== CR) i++;
        else if (c === QUOTE) mode = 'code';
        break;
      case 'blockComment':
        if (c === STAR && next === SLASH) {
          mode = 'code';
          i++;
        }
        break;
      case 'code':
        if (c === QUOTE) {
          mode = 'string';
        } else if (c === SLASH && next === SLASH) {
          mode = 'lineComment';
          i++;
        } else if (c === SLASH && next === STAR) {
          mode = 'blockComment';
          i++;
        } else if (c === OPEN_BRACE) {
          if (open.length < MAX_PROBLEMS_PER_FLOW) open.push({ line, column: i - lineStart + 1, step, message: UNCLOSED_OPEN_MESSAGE });
          depth++;
        } else if (c === CLOSE_BRACE) {
          if (depth === 0) report({ line, column: i - lineStart + 1, step, message: UNMATCHED_CLOSE_MESSAGE });
          else if (--depth < open.length) open.pop();
        }
        break;
    }
    i++;
  }

  // Every unmatched `}` comes before every brace still open (that brace would have matched it): the order holds.
  for (const brace of open) report(brace);
  if (!hasStart) problems.unshift({ line: 1, column: 1, step: 'start', message: NO_START_MESSAGE });
  if (problems.length > MAX_PROBLEMS_PER_FLOW) problems.length = MAX_PROBLEMS_PER_FLOW;
  return problems;
}
