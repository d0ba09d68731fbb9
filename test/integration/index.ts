// Entry point of the integration tests: the extension host loads this file (extensionTestsPath) and
// calls run(). It runs every compiled *.test.js beside it with mocha and rejects on any failure.
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import SummaryReporter from '../support/summaryReporter';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}

/** Runs every compiled `*.test.js` of one folder; rejects when any fails. */
export async function runTestsIn(folder: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000 });
  mocha.reporter(SummaryReporter as unknown as Mocha.ReporterConstructor);
  // TEST_GREP=<text> runs only the tests whose full title contains it (a run while working on one).
  if (process.env.TEST_GREP) mocha.grep(process.env.TEST_GREP);
  const files = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${folder}`);
  for (const name of files) mocha.addFile(path.join(folder, name));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err))); // a test file failed to load
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
