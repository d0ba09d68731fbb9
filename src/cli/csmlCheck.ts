import { parseArguments, USAGE } from './arguments';
import { checkPaths } from './checkPaths';
import { formatJson, formatText } from './checkReport';

/**
 * `node dist/csml-check.js <bot folders or flow files>... [--json]`: the editor's checks, for CI. Exit code 1
 * when a problem is an error, 2 on bad usage, 0 otherwise.
 */
function main(args: readonly string[]): number {
  const parsed = parseArguments(args);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const outcome = checkPaths(parsed.paths, process.cwd());
  if (outcome.kind === 'usage-error') {
    process.stderr.write(`${outcome.message}\n`);
    return 2;
  }
  process.stdout.write(parsed.json ? formatJson(outcome.problems, outcome.counts) : formatText(outcome.problems, outcome.counts));
  return outcome.counts.errors > 0 ? 1 : 0;
}

// A reader that stops early (`csml-check . | head`) closes the pipe: nothing more to say, and no stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
// Set rather than process.exit(): output piped to another program is written out in full first.
process.exitCode = main(process.argv.slice(2));
