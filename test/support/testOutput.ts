// Where test reports go. In plain mocha: the console. Inside an extension host started by
// test/host/runExtensionTests: the console and a file that runner follows, because VS Code pins the
// extension host's console to its own forwarder, which only a browser automation protocol could hear.
import * as fs from 'fs';

/** The file the runner follows, when there is one. */
export const OUTPUT_ENV = 'EXT_TESTS_OUTPUT';
/** Starts that file's last line: `<marker><exit code>`. No printed line can start with it. */
export const EXIT_MARKER = '\u0000exit ';

/** Prints one line of test output. */
export function print(line: string): void {
  console.log(line);
  const output = process.env[OUTPUT_ENV];
  if (output) fs.appendFileSync(output, line.replaceAll('\u0000', '') + '\n');
}

/** Ends the runner's file with the exit code. */
export function printExit(code: number): void {
  const output = process.env[OUTPUT_ENV];
  if (output) fs.appendFileSync(output, `${EXIT_MARKER}${code}\n`);
}
