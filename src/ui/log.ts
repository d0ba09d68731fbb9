import { LogOutputChannel } from 'vscode';
import { RequestRecord } from '../studio/client';

/** One component's lines in the shared "CSML" channel, each prefixed with `[component]`. */
export class Logger {
  /** `channel` hands out the shared channel, which may be made only when the first line is written. */
  constructor(
    private readonly channel: () => LogOutputChannel,
    private readonly component: string,
  ) {}

  trace(message: string): void {
    this.channel().trace(`[${this.component}] ${message}`);
  }

  info(message: string): void {
    this.channel().info(`[${this.component}] ${message}`);
  }

  warn(message: string): void {
    this.channel().warn(`[${this.component}] ${message}`);
  }

  /** Only messages are logged, never error objects: they may carry request options. */
  error(message: string): void {
    this.channel().error(`[${this.component}] ${message}`);
  }

  /** Method, path, status and duration: no header, body or user id ever reaches the log. */
  request(record: RequestRecord): void {
    const outcome = record.status !== undefined ? String(record.status) : 'no answer';
    this.info(`${record.method} ${record.path} ${outcome} ${record.ms} ms`);
  }
}
