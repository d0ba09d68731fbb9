import * as assert from 'node:assert/strict';
import {
  countProblems,
  formatJson,
  formatText,
  ReportedProblem,
  reportedProblem,
  sortProblems,
  summaryLine,
} from '../../src/cli/checkReport';
import { LineIndex } from '../../src/csml/lineIndex';

function problem(file: string, line: number, column: number, severity: ReportedProblem['severity'] = 'warning'): ReportedProblem {
  return { file, line, column, endLine: line, endColumn: column + 1, severity, code: 'missing-step', message: 'No step.' };
}

describe('csml-check report', () => {
  it('counts lines and columns from 1, columns in UTF-16 code units as editors do', () => {
    const text = 'start:\n  say "😀" goto nowhere\n';
    const start = text.indexOf('nowhere');
    const found = reportedProblem(
      'a.csml',
      { start, end: start + 'nowhere'.length, severity: 'warning', code: 'missing-step', message: 'm' },
      new LineIndex(text),
    );
    // `  say "` is 7 units, the emoji 2, `" goto ` 7: nowhere starts at unit 16, column 17.
    assert.deepEqual(
      { line: found.line, column: found.column, endLine: found.endLine, endColumn: found.endColumn },
      { line: 2, column: 17, endLine: 2, endColumn: 24 },
    );
  });

  it('sorts by file, then line, then column', () => {
    const sorted = sortProblems([problem('b.csml', 1, 1), problem('a.csml', 10, 1), problem('a.csml', 2, 5), problem('a.csml', 2, 3)]);
    assert.deepEqual(
      sorted.map((p) => `${p.file}:${p.line}:${p.column}`),
      ['a.csml:2:3', 'a.csml:2:5', 'a.csml:10:1', 'b.csml:1:1'],
    );
  });

  it('prints one line per problem and the counts, naming only the severities found', () => {
    const problems = [problem('a.csml', 2, 3, 'error'), problem('a.csml', 4, 1, 'hint'), problem('b.csml', 1, 1, 'hint')];
    assert.equal(
      formatText(problems, countProblems(problems, 14, 2)),
      'a.csml:2:3 error No step.\na.csml:4:1 hint No step.\nb.csml:1:1 hint No step.\n1 error, 2 hints in 14 flows of 2 bots.\n',
    );
    assert.equal(summaryLine(countProblems([], 1, 1)), 'No problems in 1 flow of 1 bot.');
    assert.equal(
      summaryLine({ errors: 2, warnings: 1, hints: 3, flows: 14, bots: 2 }),
      '2 errors, 1 warning, 3 hints in 14 flows of 2 bots.',
    );
  });

  it('keeps a file name with a line break on its one line', () => {
    const text = formatText([problem('a\nb.csml', 1, 1)], countProblems([], 1, 1));
    assert.equal(text.split('\n').length, 3);
    assert.match(text, /^a\\u000ab\.csml:1:1 warning/);
  });

  it('prints --json as problems and counts, each with the same keys in the same order', () => {
    const problems = [problem('a.csml', 2, 3)];
    const document = JSON.parse(formatJson(problems, countProblems(problems, 3, 1))) as {
      problems: Record<string, unknown>[];
      counts: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(document), ['problems', 'counts']);
    assert.deepEqual(Object.keys(document.problems[0]), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
    assert.deepEqual(document.counts, { errors: 0, warnings: 1, hints: 0, flows: 3, bots: 1 });
  });
});
