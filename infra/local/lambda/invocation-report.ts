import * as z from 'zod';
import { capacityTotalsSchema } from '../../../shared/db/consumed-capacity.ts';

/*
 * What one invocation used, as Lambda's own REPORT log line tells it (duration, billed duration,
 * memory, init duration on a cold start), plus the DynamoDB capacity the function consumed. The
 * local runtime writes one line per invocation of a traced function (SHANYU_CAPACITY_TRACE=1) to
 * the local cloud's output, where the cost benchmark reads it.
 */

export const invocationReportSchema = z.object({
  requestId: z.string(),
  functionName: z.string(),
  memorySizeMb: z.number().int().positive(),
  /** The handler's run, from its start to its answer; module loading not included. */
  durationMs: z.number().nonnegative(),
  /** What Lambda bills: the duration rounded up to the millisecond. */
  billedDurationMs: z.number().int().positive(),
  /** A cold start's module loading (Lambda's Init Duration), on the sandbox's first invocation. */
  initDurationMs: z.number().nonnegative().optional(),
  /** `error` when the handler threw: billed all the same. */
  outcome: z.enum(['ok', 'error']),
  /** DynamoDB capacity consumed since the sandbox's previous invocation ended. */
  consumedCapacity: capacityTotalsSchema.optional(),
});
export type InvocationReport = z.infer<typeof invocationReportSchema>;

const marker = 'REPORT ';

/** Lambda bills duration in 1 ms steps, at least 1 ms. */
export function billedDurationOf(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export function formatInvocationReport(report: InvocationReport): string {
  return `${marker}${JSON.stringify(report)}`;
}

/** The report a log line carries, if it is one; other lines (and damaged ones) give undefined. */
export function parseInvocationReport(line: string): InvocationReport | undefined {
  const at = line.indexOf(`${marker}{`);
  if (at < 0) return undefined;
  try {
    const parsed = invocationReportSchema.safeParse(JSON.parse(line.slice(at + marker.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
