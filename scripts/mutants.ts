// `npm run test:mutants`: shows that the test suites can fail. Each mutant is a deliberate break of the
// extension; it is applied to a copy of the repository (never to this tree), built, and run against the
// cheapest suites first (unit, then integration, then UI) until one catches it: fails twice in a row with
// a failed test in common (so a flaky test is not taken for a catch). A suite counts only if it passes on
// the unbroken copy. One line per mutant, then `N passed, N failed` (passed = caught).
// Exit code: 0 when every mutant is caught, 1 when one is not, 2 when the run itself could not be made.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../test/host/codeServer';

interface Mutant {
  name: string;
  /** Relative to the repository root. */
  file: string;
  /** Text that must occur exactly once in the file. */
  find: string;
  replace: string;
}

const MUTANTS: Mutant[] = [
  {
    name: 'csml.openFlow is not registered',
    file: 'src/ui/commands.ts',
    find: 'return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));',
    replace:
      "return Object.entries(commands).filter(([id]) => id !== 'csml.openFlow').map(([id, handler]) => vscode.commands.registerCommand(id, handler));",
  },
  {
    name: 'the status bar item is never shown',
    file: 'src/ui/statusBar.ts',
    find: '    this.item.show();\n',
    replace: '',
  },
  {
    name: 'the step line is off by one',
    file: 'src/ui/flowOpener.ts',
    find: 'new vscode.Position(label.line, label.character)',
    replace: 'new vscode.Position(label.line + 1, label.character)',
  },
];

type SuiteName = 'unit' | 'integration' | 'ui';

interface Suite {
  name: SuiteName;
  /** npm scripts run in order; the suite fails when one of them does. */
  scripts: string[];
  timeoutMs: number;
}

/** Cheapest first. */
function suites(packageScripts: Record<string, string>): Suite[] {
  return [
    { name: 'unit', scripts: ['test:unit'], timeoutMs: 5 * 60_000 },
    { name: 'integration', scripts: ['test:integration'], timeoutMs: 10 * 60_000 },
    // Until package.json has test:ui, the same steps it will run.
    { name: 'ui', scripts: packageScripts['test:ui'] ? ['test:ui'] : ['vsix', '__ui-mocha'], timeoutMs: 10 * 60_000 },
  ];
}

const UI_MOCHA = ['node_modules/mocha/bin/mocha.js', '--reporter', './out/test/support/summaryReporter.js', 'out/test/ui/**/*.test.js'];

/** Top-level entries the copy leaves out; node_modules and .vscode-test are linked instead. */
const NOT_COPIED = new Set(['node_modules', '.vscode-test', 'out', 'dist', '.git', 'test-results']);
const LINKED = ['node_modules', '.vscode-test'];

class RunError extends Error {}

interface RunResult {
  ok: boolean;
  /** The suite's closing `N passed, N failed`, or why it did not print one. */
  summary: string;
  /** Titles of the failed tests (the summary reporter prints `FAIL n) <title>`); the summary when none. */
  failures: string[];
  seconds: number;
  log: string;
}

let activeChild: { pid: number } | undefined;

/** Runs a command in its own process group, its output to `log`; kills the group after `timeoutMs`. */
function run(
  command: string,
  args: string[],
  cwd: string,
  log: string,
  timeoutMs: number,
): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'a');
    fs.writeSync(out, `\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out], env: process.env });
    fs.closeSync(out);
    if (child.pid !== undefined) activeChild = { pid: child.pid };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid); // helpers it started (code-server, browsers) must not outlive it
      activeChild = undefined;
      resolve({ code, timedOut });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The `N passed, N failed` lines of a run (a suite may run mocha more than once), added up. */
function summaryOf(log: string): string | undefined {
  const counts = Array.from(fs.readFileSync(log, 'utf8').matchAll(/^(\d+) passed, (\d+) failed/gm), (m) => [Number(m[1]), Number(m[2])]);
  if (counts.length === 0) return undefined;
  const [passed, failed] = counts.reduce(([p, f], [p2, f2]) => [p + p2, f + f2], [0, 0]);
  return `${passed} passed, ${failed} failed`;
}

function failedTests(log: string): string[] {
  return Array.from(fs.readFileSync(log, 'utf8').matchAll(/^FAIL \d+\) (.+)$/gm), (m) => m[1].trim());
}

class Workspace {
  private applied: Mutant | null | undefined; // undefined: nothing built yet; null: the unbroken copy
  private readonly originals = new Map<string, string>();

  constructor(
    readonly dir: string,
    private readonly logs: string,
  ) {
    for (const mutant of MUTANTS) {
      const text = fs.readFileSync(path.join(dir, mutant.file), 'utf8');
      const count = text.split(mutant.find).length - 1;
      if (count !== 1) {
        throw new RunError(
          `mutant "${mutant.name}": ${mutant.file} holds the text to replace ${count} times, not once; ` +
            `update scripts/mutants.ts to the source as it is now:\n  ${JSON.stringify(mutant.find)}`,
        );
      }
      this.originals.set(mutant.file, text);
    }
  }

  /** Puts the copy in the state of `mutant` (null: unbroken) and compiles and bundles it. */
  async build(mutant: Mutant | null): Promise<void> {
    if (this.applied === mutant) return;
    for (const [file, text] of this.originals) fs.writeFileSync(path.join(this.dir, file), text);
    if (mutant) {
      const original = this.originals.get(mutant.file)!;
      fs.writeFileSync(
        path.join(this.dir, mutant.file),
        original.replace(mutant.find, () => mutant.replace),
      );
    }
    const log = path.join(this.logs, `build-${slug(mutant?.name ?? 'unbroken')}.log`);
    for (const script of ['compile-tests', 'build']) {
      const { code } = await run('npm', ['run', '-s', script], this.dir, log, 5 * 60_000);
      if (code !== 0) {
        throw new RunError(`npm run ${script} failed on the copy ${mutant ? `with "${mutant.name}"` : 'before any break'} (log: ${log})`);
      }
    }
    this.applied = mutant;
  }

  async runSuite(suite: Suite, mutant: Mutant | null, attempt = 1): Promise<RunResult> {
    await this.build(mutant);
    const log = path.join(this.logs, `${suite.name}-${slug(mutant?.name ?? 'unbroken')}-${attempt}.log`);
    const started = Date.now();
    const deadline = started + suite.timeoutMs;
    const seconds = () => Math.round((Date.now() - started) / 1000);
    for (const script of suite.scripts) {
      const [command, args] = script === '__ui-mocha' ? [process.execPath, UI_MOCHA] : ['npm', ['run', '-s', script]];
      const { code, timedOut } = await run(command, args, this.dir, log, Math.max(deadline - Date.now(), 1000));
      if (timedOut || code !== 0) {
        const summary = timedOut
          ? `timed out after ${Math.round(suite.timeoutMs / 1000)} s`
          : (summaryOf(log) ?? `npm run ${script} exited with ${code}`);
        const failures = failedTests(log);
        return { ok: false, summary, failures: failures.length ? failures : [summary], seconds: seconds(), log };
      }
    }
    return { ok: true, summary: summaryOf(log) ?? 'passed', failures: [], seconds: seconds(), log };
  }

  /**
   * Whether the suite fails because of the mutant: it fails twice in a row with a test in common, so
   * one flaky test (a timing under load) is not taken for a catch.
   */
  async catches(suite: Suite, mutant: Mutant): Promise<RunResult | undefined> {
    const first = await this.runSuite(suite, mutant, 1);
    if (first.ok) return undefined;
    const second = await this.runSuite(suite, mutant, 2);
    if (second.ok) return undefined;
    const common = first.failures.filter((title) => second.failures.includes(title));
    return common.length ? { ...second, failures: common } : undefined;
  }

  /** Whether the suite passes on the unbroken copy; a failure gets one more try (it may be a flake). */
  async passesUnbroken(suite: Suite): Promise<RunResult> {
    const first = await this.runSuite(suite, null, 1);
    return first.ok ? first : this.runSuite(suite, null, 2);
  }
}

function slug(text: string): string {
  return text
    .replace(/[^\w]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** The working tree without build output and dependencies; dependencies and the VS Code host linked. */
function copyRepository(root: string, target: string): void {
  fs.cpSync(root, target, {
    recursive: true,
    // Timestamps kept: scripts compare them (e.g. the lockfile against node_modules).
    preserveTimestamps: true,
    filter: (source) => {
      const relative = path.relative(root, source);
      const top = relative.split(path.sep)[0];
      return !NOT_COPIED.has(top) && !relative.endsWith('.vsix');
    },
  });
  for (const name of LINKED) {
    const real = path.join(root, name);
    if (!fs.existsSync(real)) throw new RunError(`${real} is missing: run npm ci and scripts/setup-vscode-host.sh first`);
    fs.symlinkSync(real, path.join(target, name), 'dir');
  }
}

async function main(): Promise<number> {
  const root = repoRoot();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'csml-mutants-'));
  const copy = path.join(temp, 'repository');
  const logs = path.join(temp, 'logs');
  fs.mkdirSync(logs);
  let keep = false;
  const cleanUp = () => {
    if (activeChild) killGroup(activeChild.pid);
    if (!keep) fs.rmSync(temp, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }

  try {
    copyRepository(root, copy);
    const packageScripts = (JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    const workspace = new Workspace(copy, logs);
    const baselines = new Map<SuiteName, RunResult>();

    let caught = 0;
    for (const mutant of MUTANTS) {
      let verdict: string | undefined;
      for (const suite of suites(packageScripts)) {
        // A suite that fails without any break proves nothing about the break.
        if (!baselines.has(suite.name)) {
          const baseline = await workspace.passesUnbroken(suite);
          baselines.set(suite.name, baseline);
          if (!baseline.ok) {
            throw new RunError(
              `the ${suite.name} suite fails on the unbroken copy (${baseline.summary}); fix that first (log: ${baseline.log})`,
            );
          }
        }
        const caughtBy = await workspace.catches(suite, mutant);
        if (caughtBy) {
          const [first, ...more] = caughtBy.failures;
          verdict = `caught by ${suite.name} (${caughtBy.summary}; failed: "${first}"${more.length ? ` and ${more.length} more` : ''})`;
          break;
        }
      }
      if (verdict) caught++;
      else keep = true;
      console.log(`${mutant.name}: ${verdict ?? `NOT CAUGHT (no suite fails twice on it; logs in ${logs})`}`);
    }
    console.log(`${caught} passed, ${MUTANTS.length - caught} failed`);
    return caught === MUTANTS.length ? 0 : 1;
  } catch (err) {
    keep = true; // the logs it names are in the temp folder
    if (err instanceof RunError) err.message += `\n(the copy and its logs are kept in ${temp})`;
    throw err;
  } finally {
    cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof RunError ? `mutants: ${error.message}` : error);
    process.exit(2);
  },
);
