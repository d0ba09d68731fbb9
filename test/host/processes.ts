// Small helpers for the processes the test hosts start (code-server, Chromium).

/** Calls `onLine` with each line a stream carries, the last one too when it has no line end. */
export function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split(/\r?\n/);
    rest = parts.pop() ?? '';
    parts.forEach(onLine);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}

/** Sends a signal to a process group (a child started with `detached: true` leads its own). */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Keeps the last lines a process printed, for error messages. */
export class Tail {
  private lines: string[] = [];
  constructor(private readonly max = 40) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  get length(): number {
    return this.lines.length;
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
