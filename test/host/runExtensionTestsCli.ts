// node out/test/host/runExtensionTestsCli.js --extension <path> --tests <compiled .js exporting run()>
//   --folder <path> [--env K=V ...] [--settings <json file>] [--timeout <seconds>]
// Exits with the tests' exit code (2 for a usage error or a run that could not finish).
import * as fs from 'fs';
import { runExtensionTests } from './runExtensionTests';

const USAGE =
  'usage: runExtensionTestsCli --extension <path> --tests <compiled .js exporting run()> --folder <path>' +
  ' [--env K=V ...] [--settings <json file>] [--timeout <seconds>]';

interface CliArgs {
  extension?: string;
  tests?: string;
  folder?: string;
  env: Record<string, string>;
  settings?: string;
  timeoutSeconds?: number;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { env: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--extension':
        args.extension = value();
        break;
      case '--tests':
        args.tests = value();
        break;
      case '--folder':
        args.folder = value();
        break;
      case '--settings':
        args.settings = value();
        break;
      case '--timeout':
        args.timeoutSeconds = Number(value());
        if (!(args.timeoutSeconds > 0)) throw new Error('--timeout needs a number of seconds');
        break;
      case '--env': {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`--env expects K=V, got ${pair}`);
        args.env[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '-h':
      case '--help':
        console.log(USAGE);
        return process.exit(0);
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  return args;
}

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
    if (!args.extension || !args.tests || !args.folder) throw new Error('--extension, --tests and --folder are required');
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const userSettings = args.settings ? (JSON.parse(fs.readFileSync(args.settings, 'utf8')) as Record<string, unknown>) : undefined;
  return runExtensionTests({
    extensionDevelopmentPath: args.extension,
    extensionTestsPath: args.tests,
    workspaceFolder: args.folder,
    env: args.env,
    userSettings,
    timeoutMs: args.timeoutSeconds ? args.timeoutSeconds * 1000 : undefined,
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
