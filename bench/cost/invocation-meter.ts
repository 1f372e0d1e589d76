import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  type InvocationReport,
  parseInvocationReport,
} from '../../infra/local/lambda/invocation-report.ts';

/**
 * Reads the REPORT lines a traced local cloud writes to its output (one per Lambda invocation,
 * infra/local/lambda/invocation-report.ts), as they come. Cases are measured one after another:
 * what was reported between two marks belongs to the case run between them.
 */
export class InvocationMeter {
  readonly #reports: InvocationReport[] = [];
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';
  #lastAt = Date.now();

  constructor(output: Readable) {
    output.on('data', (chunk: Buffer | string) => this.take(chunk));
  }

  /** Feeds output in; exposed so that the line handling can be tested without a process. */
  take(chunk: Buffer | string): void {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      const report = parseInvocationReport(line);
      if (report) {
        this.#reports.push(report);
        this.#lastAt = Date.now();
      }
    }
  }

  /** A mark to measure from. */
  mark(): number {
    return this.#reports.length;
  }

  since(mark: number): InvocationReport[] {
    return this.#reports.slice(mark);
  }

  /**
   * Settles once no report has come for `quietMs` since it was called: the last lines of a case
   * may still be on their way through the pipe when its last answer has arrived.
   */
  async quiet(quietMs = 400, timeoutMs = 15_000): Promise<void> {
    const calledAt = Date.now();
    const deadline = calledAt + timeoutMs;
    while (Date.now() < deadline) {
      const waited = Date.now() - Math.max(this.#lastAt, calledAt);
      if (waited >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, quietMs - waited));
    }
  }
}
