import * as z from 'zod';

/**
 * What one benchmark part reports: its figures for `bench/results.json` and a table for
 * `docs/benchmarks.md`. Every part measures its own figures and its own baseline in the same run,
 * so that ratios hold on a noisy machine.
 */
export const benchPart = z.object({
  /** Stable key in results.json, e.g. "coldStart". */
  key: z.string(),
  /** Heading in docs/benchmarks.md. */
  title: z.string(),
  /** How it was measured, in a sentence or two (Markdown). */
  method: z.string(),
  /** The target the issue sets, and whether this run met it. */
  target: z.object({ description: z.string(), met: z.boolean() }),
  /** The table shown in docs/benchmarks.md. */
  table: z.object({
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number()]))),
  }),
  /** Everything measured, for results.json (numbers with their unit in the key, e.g. `p50Ms`). */
  figures: z.record(z.string(), z.unknown()),
  /** Findings worth reading: where the cost goes, what was removed, what is left. */
  notes: z.array(z.string()).default([]),
});
export type BenchPart = z.input<typeof benchPart>;
export type BenchPartResult = z.output<typeof benchPart>;

/** A benchmark part: measures and returns its figures; never throws on a missed target. */
export type BenchPartRunner = () => Promise<BenchPart>;
