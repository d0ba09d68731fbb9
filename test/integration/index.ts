// Entry point of the integration tests: the extension host loads this file (extensionTestsPath) and
// calls run(). It runs every compiled *.test.js beside it with mocha and rejects on any failure.
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import SummaryReporter = require('../support/summaryReporter');

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000 });
  mocha.reporter(SummaryReporter as unknown as Mocha.ReporterConstructor);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err); // a test file failed to load
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
