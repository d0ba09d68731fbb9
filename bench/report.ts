/**
 * The benchmark's output: one `BENCH <name> <value> <unit> target <target> ok|MISS` line per target
 * metric and one `BENCH <name> <value> <unit> info` line per figure reported for information (no
 * target, never missed) on stdout, notes on how each figure was taken as `# ` lines, and the same
 * figures in bench/results.json with the machine they came from.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { round } from './stats';

export type Comparison = '<=' | '>=' | '=';

export interface Target {
  readonly op: Comparison;
  readonly value: number;
}

export const atMost = (value: number): Target => ({ op: '<=', value });
export const atLeast = (value: number): Target => ({ op: '>=', value });
export const exactly = (value: number): Target => ({ op: '=', value });

export interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** 'target': checked against `target`; 'info': a figure reported for information, with no target. */
  readonly kind: 'target' | 'info';
  /** Undefined for an 'info' figure. */
  readonly target?: Target;
  /** Whether the target is met; always true for an 'info' figure, which cannot miss. */
  readonly ok: boolean;
  /** Group that produced it. */
  readonly group: string;
  /** Samples, spreads and anything else worth keeping beside the headline figure. */
  readonly details?: Record<string, unknown>;
}

export interface GroupFailure {
  readonly group: string;
  readonly error: string;
}

/** `300` for an exact target, `<=300` or `>=10` for a bound. */
export function formatTarget(target: Target): string {
  return target.op === '=' ? formatNumber(target.value) : `${target.op}${formatNumber(target.value)}`;
}

/** Plain decimal notation with at most four significant digits, never an exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const rounded = round(value, 4);
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  // Tiny values: fixed notation with enough decimals for four significant digits.
  const decimals = Math.min(20, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(rounded)))));
  return rounded.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '');
}

export function meets(value: number, target: Target): boolean {
  switch (target.op) {
    case '<=':
      return value <= target.value;
    case '>=':
      return value >= target.value;
    case '=':
      return value === target.value;
  }
}

export function benchLine(metric: Metric): string {
  if (!metric.target) return `BENCH ${metric.name} ${formatNumber(metric.value)} ${metric.unit} info`;
  return `BENCH ${metric.name} ${formatNumber(metric.value)} ${metric.unit} target ${formatTarget(metric.target)} ${metric.ok ? 'ok' : 'MISS'}`;
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly platform: string;
  readonly node: string;
  readonly date: string;
  /** 1-, 5- and 15-minute load averages: other work on the machine shows in every timing. */
  readonly loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 3),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((v) => round(v, 3)),
  };
}

/** Collects what the groups measure, prints it as it comes, and writes results.json at the end. */
export class Report {
  readonly metrics: Metric[] = [];
  readonly notes: Array<{ group: string; text: string }> = [];
  readonly failures: GroupFailure[] = [];
  private readonly startedAt = Date.now();
  private readonly machineAtStart = machineInfo();

  constructor(private readonly out: (line: string) => void = (line) => process.stdout.write(line + '\n')) {}

  /** Records a metric with a target and prints its BENCH line. */
  metric(group: string, name: string, value: number, unit: string, target: Target, details?: Record<string, unknown>): Metric {
    return this.record({ group, name, value, unit, kind: 'target', target, ok: meets(value, target), details });
  }

  /** Records a figure reported for information only (no target, never a miss) and prints its BENCH line. */
  info(group: string, name: string, value: number, unit: string, details?: Record<string, unknown>): Metric {
    return this.record({ group, name, value, unit, kind: 'info', ok: true, details });
  }

  private record(metric: Metric): Metric {
    this.metrics.push(metric);
    this.out(benchLine(metric));
    return metric;
  }

  /** How a figure was taken; printed as a `# ` line. */
  note(group: string, text: string): void {
    this.notes.push({ group, text });
    for (const line of text.split('\n')) this.out(`# ${line}`);
  }

  fail(group: string, error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.failures.push({ group, error: text });
    process.stderr.write(`bench: the ${group} group broke: ${text}\n`);
  }

  write(file: string): void {
    const results = {
      machine: this.machineAtStart,
      loadAverageAtEnd: machineInfo().loadAverage,
      durationSeconds: round((Date.now() - this.startedAt) / 1000, 3),
      metrics: this.metrics.map((m) => ({
        name: m.name,
        value: m.value,
        unit: m.unit,
        kind: m.kind,
        ...(m.target ? { target: formatTarget(m.target), ok: m.ok } : {}),
        group: m.group,
        ...(m.details ? { details: m.details } : {}),
      })),
      notes: this.notes,
      failures: this.failures,
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  }
}
