/**
 * The Studio emulator (sample bot) in a child process, as the integration tests and the demo run it,
 * so the server's work never shares the event loop being measured.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../test/host/codeServer';

export interface EmulatorProcess {
  readonly baseUrl: string;
  readonly origin: string;
  /** The emulator's request log, through its control endpoint. */
  requests(): Promise<Array<{ method: string; path: string; status: number | null; authOk: boolean | null }>>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(options: { apiKey: string; apiSecret: string; latencyMs: number }): Promise<EmulatorProcess> {
  const main = path.join(repoRoot(), 'out', 'test', 'emulator', 'main.js');
  const child = spawn(
    process.execPath,
    [main, '--key', options.apiKey, '--secret', options.apiSecret, '--latency', String(options.latencyMs)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const address = await new Promise<{ baseUrl: string; origin: string }>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error('the emulator did not start within 15 s')), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}${stderr ? `\n${stderr}` : ''}`));
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`the emulator exited with ${code} before it listened`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as { baseUrl: string; origin: string });
      } catch (error) {
        fail(error as Error);
      }
    });
  });
  return {
    ...address,
    async requests() {
      const response = await fetch(`${address.origin}/__emulator/requests`);
      if (!response.ok) throw new Error(`the emulator's request log answered ${response.status}`);
      return (await response.json()) as Array<{ method: string; path: string; status: number | null; authOk: boolean | null }>;
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
