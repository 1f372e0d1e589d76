import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { projectRoot } from '../../support/cloud-process.ts';

/** One reliability file's figures, written when its checks have run. */
export const reliabilityFigures = z.object({
  /** The file's topic, e.g. "hostile input". */
  suite: z.string(),
  /** Cases created (or driven) by the file. */
  cases: z.number().int().nonnegative(),
  /** Requests sent to the API. */
  requests: z.number().int().nonnegative(),
  /** Faults injected: hostile requests, crashes, forged tokens, racing duplicates. */
  faults: z.number().int().nonnegative(),
  /** Cases, records or decisions missing or duplicated at the end: 0 unless something is wrong. */
  dataLost: z.number().int().nonnegative(),
  /** Server errors (5xx) seen. */
  serverErrors: z.number().int().nonnegative(),
  /** Anything a reader of the summary should know (what was checked). */
  note: z.string().default(''),
});
export type ReliabilityFigures = z.input<typeof reliabilityFigures>;

export const summaryDir = join(projectRoot, '.shanyu', 'reliability');

/** Records a file's figures for the summary table printed at the end of the run. */
export function recordReliability(figures: ReliabilityFigures): void {
  const valid = reliabilityFigures.parse(figures);
  mkdirSync(summaryDir, { recursive: true });
  const file = `${valid.suite.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`;
  writeFileSync(join(summaryDir, file), JSON.stringify(valid));
}

/** Forgets the figures of an earlier run. */
export function clearReliabilityFigures(): void {
  rmSync(summaryDir, { recursive: true, force: true });
}

/** The figures recorded in this run, by suite. */
export function readReliabilityFigures(): z.output<typeof reliabilityFigures>[] {
  let files: string[] = [];
  try {
    files = readdirSync(summaryDir).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((file) =>
      reliabilityFigures.parse(JSON.parse(readFileSync(join(summaryDir, file), 'utf8'))),
    )
    .sort((a, b) => a.suite.localeCompare(b.suite));
}

/** The summary table, as Markdown-style text (the totals row last). */
export function formatReliabilitySummary(rows: z.output<typeof reliabilityFigures>[]): string {
  const total = rows.reduce(
    (sum, row) => ({
      cases: sum.cases + row.cases,
      requests: sum.requests + row.requests,
      faults: sum.faults + row.faults,
      dataLost: sum.dataLost + row.dataLost,
      serverErrors: sum.serverErrors + row.serverErrors,
    }),
    { cases: 0, requests: 0, faults: 0, dataLost: 0, serverErrors: 0 },
  );
  const lines = [
    '| suite | cases | requests tried | faults injected | 5xx | data lost | checked |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.suite} | ${row.cases} | ${row.requests} | ${row.faults} | ${row.serverErrors} | ${row.dataLost} | ${row.note} |`,
    ),
    `| **total** | ${total.cases} | ${total.requests} | ${total.faults} | ${total.serverErrors} | ${total.dataLost} | |`,
  ];
  return lines.join('\n');
}
