// The extension tests file runExtensionTests hands to VS Code: in the extension host, it runs the real
// tests file (named by TARGET_ENV) and ends the runner's output file with the exit code.
import { print, printExit } from '../support/testOutput';

export const TARGET_ENV = 'EXT_TESTS_TARGET';

export async function run(): Promise<void> {
  const target = process.env[TARGET_ENV];
  try {
    if (!target) throw new Error(`${TARGET_ENV} must name the extension tests file`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file is named at run time
    const tests = require(target) as { run?: () => Promise<void> };
    if (typeof tests.run !== 'function') throw new Error(`${target} exports no run() function`);
    await tests.run();
    printExit(0);
  } catch (err) {
    print(err instanceof Error ? (err.stack ?? err.message) : String(err));
    printExit(1);
    throw err;
  }
}
