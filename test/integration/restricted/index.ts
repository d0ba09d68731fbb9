// Entry point of the suite that runs in a folder opened in Restricted Mode.
import { runTestsIn } from '../index';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}
