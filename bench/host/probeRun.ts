import * as fs from 'node:fs';
import { ENV } from './probeProtocol';

/**
 * Runs a probe in the extension host and writes what it measured to the file CSML_BENCH_PROBE_OUT names, its
 * failure included as `error`, so the runner outside reads one file either way.
 */
export async function runProbe<T extends { error?: string }>(result: T, probe: (result: T) => Promise<void>): Promise<T> {
  const outFile = process.env[ENV.outFile];
  if (!outFile) throw new Error(`${ENV.outFile} is not set`);
  try {
    await probe(result);
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
  return result;
}
