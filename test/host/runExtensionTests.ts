// Runs extension tests inside a real VS Code extension host: code-server serves the workbench with
// its smoke-test driver on, Chromium opens it with a test payload in the URL, the workbench loads the
// extension under development and calls run() of the tests file in the extension host, and the exit
// code comes back through window.codeAutomationExit.
import * as fs from 'fs';
import * as path from 'path';
import { launchChromium, newWorkbenchContext } from './browser';
import { startCodeServer, UNNEEDED_BUILTIN_EXTENSIONS } from './codeServer';

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
  /** Open the folder untrusted, in Restricted Mode. */
  restrictedMode?: boolean;
  /** Whole run, server start included. Default 5 minutes. */
  timeoutMs?: number;
  /** Each line the tests print (console output of the extension host). Default: stdout. */
  onLog?: (line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** EXT_TESTS_VERBOSE=1 forwards everything the workbench logs, not only the extension host's console. */
const verbose = !!process.env.EXT_TESTS_VERBOSE;

type AutomationExit = (code: number) => void;

/**
 * Turns console arguments (as the workbench hands them to codeAutomationLog) into one text the way
 * a console prints them: printf-style directives in a leading string are filled in, `%c` styling
 * is dropped with its CSS argument, the remaining arguments follow, separated by spaces.
 */
export function formatConsoleArgs(args: unknown[]): string {
  const rest = [...args];
  const parts: string[] = [];
  if (typeof rest[0] === 'string') {
    const format = rest.shift() as string;
    parts.push(
      format.replace(/%[csdifoOj%]/g, (directive) => {
        if (directive === '%%') return '%';
        if (!rest.length) return directive;
        const value = rest.shift();
        return directive === '%c' ? '' : stringify(value);
      }),
    );
  }
  parts.push(...rest.map(stringify));
  return parts.join(' ');
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

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

  let settle!: { resolve: (code: number) => void; reject: (err: Error) => void };
  const outcome = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
  const recent: string[] = [];
  const emit = (line: string) => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    onLog(line);
  };
  const timer = setTimeout(() => {
    settle.reject(
      new Error(
        `extension tests did not finish within ${Math.round(timeoutMs / 1000)} s ` +
          `(tests: ${testsPath}); last output:\n${recent.join('\n') || '(none)'}`,
      ),
    );
  }, timeoutMs);

  const serverTail: string[] = [];
  // Everything opened is closed in `finally`; what opens only after that is closed at once.
  const cleanups: Array<() => Promise<void>> = [];
  let finished = false;
  const own = async <T>(resource: T, close: (r: T) => Promise<void>): Promise<T> => {
    if (finished) {
      await close(resource).catch(() => undefined);
      throw new Error('the run is already over');
    }
    cleanups.unshift(() => close(resource));
    return resource;
  };

  try {
    const started = (async () => {
      const [server, browser] = await Promise.all([
        startCodeServer({
          workspaceFolder: folder,
          env: opts.env,
          userSettings: opts.userSettings,
          smokeTestDriver: true,
          restrictedMode: opts.restrictedMode,
          disableExtensions: UNNEEDED_BUILTIN_EXTENSIONS,
          onOutput: (line) => {
            serverTail.push(line);
            if (serverTail.length > 30) serverTail.shift();
          },
        }).then((s) => own(s, (x) => x.stop())),
        launchChromium().then((b) => own(b, (x) => x.close())),
      ]);
      const page = await (await newWorkbenchContext(browser, { width: 800, height: 500 })).newPage();

      // The workbench calls window.codeAutomationLog for every message of its log service; the
      // extension host's console output reaches that service through the RPC method
      // $logExtensionHostMessage (a protocol name, so it survives minification). A small wrapper
      // in the page tells the two sources apart by the call stack.
      const log = (type: string, args: unknown, fromExtensionHost: boolean) => {
        const text = formatConsoleArgs(Array.isArray(args) ? args : [args]);
        for (const line of text.split(/\r?\n/)) {
          if (fromExtensionHost) emit(line);
          else if (verbose) emit(`[workbench ${type}] ${line}`);
        }
      };
      const exit: AutomationExit = (code) => settle.resolve(Number(code));
      await page.exposeFunction('__hostTestsLog', log);
      await page.exposeFunction('codeAutomationExit', exit);
      await page.addInitScript(() => {
        const w = window as unknown as Record<string, unknown>;
        w.codeAutomationLog = (type: string, args: unknown) => {
          const limit = Error.stackTraceLimit;
          Error.stackTraceLimit = 100;
          const stack = new Error().stack ?? '';
          Error.stackTraceLimit = limit;
          const forward = w.__hostTestsLog as (type: string, args: unknown, fromExtensionHost: boolean) => void;
          forward(type, args, stack.includes('$logExtensionHostMessage'));
        };
      });
      page.on('crash', () => settle.reject(new Error('the workbench page crashed')));
      if (verbose) page.on('pageerror', (err) => emit(`[workbench pageerror] ${err.stack ?? err.message}`));

      const authority = `127.0.0.1:${server.port}`;
      const remote = (p: string) => `vscode-remote://${authority}${toUrlPath(p)}`;
      const payload = [
        ['extensionDevelopmentPath', remote(extensionPath)],
        ['extensionTestsPath', remote(testsPath)],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ];
      const url =
        `${server.url}/?folder=${encodeURIComponent(toUrlPath(folder))}` +
        `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    })();
    started.catch((err: unknown) => settle.reject(err instanceof Error ? err : new Error(String(err))));
    return await outcome;
  } catch (err) {
    if (err instanceof Error && serverTail.length) {
      err.message += `\n---- last lines of code-server ----\n${serverTail.join('\n')}`;
    }
    throw err;
  } finally {
    finished = true;
    clearTimeout(timer);
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  }
}

function toUrlPath(p: string): string {
  return p.split(path.sep).join('/').replace(/^([A-Za-z]):/, '/$1:');
}
