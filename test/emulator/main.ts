/**
 * Runs the Studio emulator loaded with the sample bot as a standalone process, for integration tests and the demo:
 *   node out/test/emulator/main.js [--port N] [--host 127.0.0.1] [--demo] [--step-ms MS] [--key K] [--secret S] [--latency MS]
 *     [--put-flow-answer empty|flow]
 * Prints one line of JSON ({"baseUrl", "origin"}) on stdout once listening, so a parent process can read where it is.
 */
import { parseArgs } from 'node:util';
import { StudioEmulator } from './studioEmulator';
import { sampleEmulatorOptions } from './fixtures';

const USAGE =
  'usage: main.js [--port N] [--host ADDRESS] [--demo] [--step-ms MS] [--key KEY] [--secret SECRET] [--latency MS] [--put-flow-answer empty|flow]';

interface CommandLine {
  port: number;
  host: string;
  demo: boolean;
  stepMs: number;
  key?: string;
  secret?: string;
  latencyMs: number;
  putFlowAnswer: 'empty' | 'flow';
}

function readCommandLine(argv: string[]): CommandLine {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      demo: { type: 'boolean', default: false },
      'step-ms': { type: 'string', default: '4000' },
      key: { type: 'string' },
      secret: { type: 'string' },
      latency: { type: 'string', default: '0' },
      'put-flow-answer': { type: 'string', default: 'empty' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  return {
    port: wholeNumber('--port', values.port),
    host: values.host ?? '127.0.0.1',
    demo: values.demo ?? false,
    stepMs: wholeNumber('--step-ms', values['step-ms']),
    key: values.key,
    secret: values.secret,
    latencyMs: wholeNumber('--latency', values.latency),
    putFlowAnswer: putFlowAnswer(values['put-flow-answer']),
  };
}

function wholeNumber(option: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${option} expects a whole number, got ${String(text)}`);
  return value;
}

function putFlowAnswer(text: string | undefined): 'empty' | 'flow' {
  if (text === 'empty' || text === 'flow') return text;
  throw new Error(`--put-flow-answer expects empty or flow, got ${String(text)}`);
}

async function main(): Promise<void> {
  const options = readCommandLine(process.argv.slice(2));
  const emulator = new StudioEmulator({
    apiKey: options.key,
    apiSecret: options.secret,
    ...sampleEmulatorOptions(),
    latencyMs: options.latencyMs,
    putFlowAnswer: options.putFlowAnswer,
    demo: options.demo ? { stepIntervalMs: Math.max(1, options.stepMs) } : undefined,
  });
  await emulator.start(options.port, options.host);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A parent that closes our stdout must not crash us with EPIPE before it sends the signal.
  process.stdout.on('error', () => undefined);

  process.stdout.write(JSON.stringify({ baseUrl: emulator.baseUrl, origin: emulator.origin }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`studio emulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
});
