import type { LineIndex } from '../csml/lineIndex';
import type { Problem } from '../csml/problem';
import { compareText } from './flowFiles';

/** A problem as the command line reports it: lines and columns from 1, columns in UTF-16 code units as editors count. */
export interface ReportedProblem {
  /** Relative to the current directory, with `/`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where the problem ends: the column after its last character. */
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Problem['severity'];
  readonly code: string;
  readonly message: string;
}

export interface ReportCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly hints: number;
  /** Flows checked (each file named or found), not those read only to resolve gotos. */
  readonly flows: number;
  readonly bots: number;
}

export function reportedProblem(file: string, problem: Problem, lines: LineIndex): ReportedProblem {
  const start = lines.position(problem.start);
  const end = lines.position(problem.end);
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: problem.severity,
    code: problem.code,
    message: problem.message,
  };
}

/** By file, then position, then code: the same order on every run. */
export function sortProblems(problems: ReportedProblem[]): ReportedProblem[] {
  return problems.sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

export function countProblems(problems: readonly ReportedProblem[], flows: number, bots: number): ReportCounts {
  const count = (severity: Problem['severity']) => problems.filter((problem) => problem.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), hints: count('hint'), flows, bots };
}

/** `file:line:column severity message`, one line per problem, then the counts. */
export function formatText(problems: readonly ReportedProblem[], counts: ReportCounts): string {
  const lines = problems.map(
    (problem) => `${printable(problem.file)}:${problem.line}:${problem.column} ${problem.severity} ${printable(problem.message)}`,
  );
  lines.push(summaryLine(counts));
  return `${lines.join('\n')}\n`;
}

/** E.g. `2 errors, 1 warning, 3 hints in 14 flows of 2 bots.` or `No problems in 14 flows of 1 bot.` */
export function summaryLine(counts: ReportCounts): string {
  const found = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'), plural(counts.hints, 'hint')].filter(
    (part) => !part.startsWith('0 '),
  );
  const where = `in ${plural(counts.flows, 'flow')} of ${plural(counts.bots, 'bot')}.`;
  return found.length === 0 ? `No problems ${where}` : `${found.join(', ')} ${where}`;
}

/** The document `--json` prints: `{ "problems": [...], "counts": {...} }`, keys always in this order. */
export function formatJson(problems: readonly ReportedProblem[], counts: ReportCounts): string {
  const document = {
    problems: problems.map(({ file, line, column, endLine, endColumn, severity, code, message }) => ({
      file,
      line,
      column,
      endLine,
      endColumn,
      severity,
      code,
      message,
    })),
    counts: { errors: counts.errors, warnings: counts.warnings, hints: counts.hints, flows: counts.flows, bots: counts.bots },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Control characters in a file name or message would break the one-line-per-problem layout: they are escaped. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
