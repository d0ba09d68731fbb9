// Runs extension tests inside a real VS Code extension host: code-server serves the workbench with
// its smoke-test driver on, a headless Chromium opens it with a test payload in the URL, and the
// workbench loads the extension under development and runs the tests file in the extension host.
// The tests file is wrapped by extensionTestsShim; what the tests print (test/support/testOutput)
// goes to a file this process follows, ended by the exit code.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { openHeadlessPage } from './browser';
import { startCodeServer, UNNEEDED_BUILTIN_EXTENSIONS } from './codeServer';
import { Tail } from './processes';
import { EXIT_MARKER, OUTPUT_ENV } from '../support/testOutput';
import { TARGET_ENV } from './extensionTestsShim';

export interface RunExtensionTestsOptions {
  /** Folder of the extension under test (holding its package.json). */
  extensionDevelopmentPath: string;
  /** Compiled .js file (or folder with index.js) exporting `run(): Promise<void>`. */
  extensionTestsPath: string;
  /** Folder the workbench opens. */
  workspaceFolder: string;
  /** Environment for the server; the extension host and so the tests see it. */
  env?: Record<string, string>;
  userSettings?: object;
  /** Whole run, server start included. Default 5 minutes. */
  timeoutMs?: number;
  /** Each line the tests print (console output of the extension host). Default: stdout. */
  onLog?: (line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** EXT_TESTS_VERBOSE=1 also forwards what Chromium logs, the workbench's console among it. */
const verbose = !!process.env.EXT_TESTS_VERBOSE;

export async function runExtensionTests(opts: RunExtensionTestsOptions): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const onLog = opts.onLog ?? ((line: string) => process.stdout.write(line + '\n'));
  const extensionPath = path.resolve(opts.extensionDevelopmentPath);
  const testsPath = path.resolve(opts.extensionTestsPath);
  const folder = path.resolve(opts.workspaceFolder);
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) {
    throw new Error(`no extension at ${extensionPath} (package.json missing)`);
  }
  if (!fs.existsSync(testsPath)) {
    throw new Error(`tests file ${testsPath} does not exist (compile the tests first)`);
  }
  const shim = path.join(__dirname, 'extensionTestsShim.js');
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ext-tests-'));
  const output = path.join(outputDir, 'console.log');
  fs.writeFileSync(output, '');

  const recent = new Tail(30);
  const emit = (line: string) => {
    recent.push(line);
    onLog(line);
  };
  const serverTail = new Tail(30);
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const server = await startCodeServer({
      workspaceFolder: folder,
      env: { ...opts.env, [OUTPUT_ENV]: output, [TARGET_ENV]: testsPath },
      userSettings: opts.userSettings,
      smokeTestDriver: true,
      disableExtensions: UNNEEDED_BUILTIN_EXTENSIONS,
      onOutput: (line) => {
        serverTail.push(line);
      },
    });
    cleanups.unshift(() => server.stop());

    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${toUrlPath(p)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(shim)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(toUrlPath(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    // Nobody looks at this page: the workbench paints in software on the cores the tests run on, and a
    // small window is less to paint (the tests read the extension's state, not pixels).
    const page = openHeadlessPage(url, { width: 400, height: 300, onConsole: verbose ? (line) => emit(`[chromium] ${line}`) : undefined });
    cleanups.unshift(() => page.close());

    return await followOutput(output, emit, page.exited, timeoutMs, () => recent.text);
  } catch (err) {
    if (err instanceof Error && serverTail.length) {
      err.message += `\n---- last lines of code-server ----\n${serverTail.text}`;
    }
    throw err;
  } finally {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

/**
 * Reads the lines the shim appends until its exit line, handing each to `emit`. Fails when the
 * browser ends first, or when `timeoutMs` passes.
 */
async function followOutput(
  file: string,
  emit: (line: string) => void,
  browserExited: Promise<string>,
  timeoutMs: number,
  lastLines: () => string,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let browserGone: string | undefined;
  void browserExited.then((how) => (browserGone = how));
  const decoder = new StringDecoder('utf8'); // a character split between two reads stays whole
  let offset = 0;
  let rest = '';
  for (;;) {
    const gone = browserGone; // read before the file, so a last write before the exit is not missed
    const bytes = await readFrom(file, offset);
    offset += bytes.length;
    const lines = (rest + decoder.write(bytes)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(EXIT_MARKER)) return Number(line.slice(EXIT_MARKER.length));
      emit(line);
    }
    if (gone !== undefined)
      throw new Error(`Chromium ended (${gone}) before the extension tests did; last output:\n${lastLines() || '(none)'}`);
    if (Date.now() > deadline) {
      throw new Error(`extension tests did not finish within ${Math.round(timeoutMs / 1000)} s; last output:\n${lastLines() || '(none)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readFrom(file: string, offset: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    if (buffer.length) await handle.read(buffer, 0, buffer.length, offset);
    return buffer;
  } finally {
    await handle.close();
  }
}

function toUrlPath(p: string): string {
  return p
    .split(path.sep)
    .join('/')
    .replace(/^([A-Za-z]):/, '/$1:');
}
