import { describe, expect, it } from 'vitest';
import { scaleSizes } from '../../../bench/scaling.ts';

describe('scaleSizes', () => {
  it('is 10,000 and 100,000 unless BENCH_SCALE_SIZES names at least two', () => {
    // Prepare / Act / Assess
    expect(scaleSizes(undefined)).toEqual([10_000, 100_000]);
    expect(scaleSizes('5000')).toEqual([10_000, 100_000]);
    expect(scaleSizes('5000, 1000,5000')).toEqual([1000, 5000]);
    expect(scaleSizes('x,2000,300')).toEqual([300, 2000]);
  });
});
