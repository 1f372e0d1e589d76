/**
 * Order statistics for the benchmark parts. Nearest-rank percentiles: every figure reported is a
 * latency that was actually measured, never an interpolation between two.
 */

export class NoSamplesError extends Error {
  constructor(what: string) {
    super(`No samples to take the ${what} of`);
    this.name = 'NoSamplesError';
  }
}

/** The `p`-th percentile (0 < p ≤ 100) by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new NoSamplesError(`p${p}`);
  if (!(p > 0 && p <= 100)) throw new RangeError(`Percentile out of range: ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

/** The middle sample; of an even count, the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new NoSamplesError('median');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Rounds for a table: enough digits to compare, no false precision. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
