import { describe, expect, it } from 'vitest';
import { median, NoSamplesError, percentile, round } from '../../../bench/stats.ts';

describe('percentile', () => {
  it('takes the nearest rank: always a measured sample', () => {
    // Prepare
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);

    // Act
    const figures = [percentile(samples, 50), percentile(samples, 99), percentile(samples, 100)];

    // Assess
    expect(figures).toEqual([50, 99, 100]);
  });

  it('of few samples, p99 is the largest', () => {
    // Act
    const p99 = percentile([3, 1, 2], 99);

    // Assess
    expect(p99).toBe(3);
  });

  it('refuses no samples and a percentile out of range', () => {
    // Act
    const none = () => percentile([], 50);
    const zero = () => percentile([1], 0);

    // Assess
    expect(none).toThrow(NoSamplesError);
    expect(zero).toThrow(RangeError);
  });
});

describe('median', () => {
  it('is the middle sample, or the mean of the middle two', () => {
    // Act
    const odd = median([5, 1, 3]);
    const even = median([4, 1, 3, 2]);

    // Assess
    expect(odd).toBe(3);
    expect(even).toBe(2.5);
  });

  it('refuses no samples', () => {
    // Act
    const none = () => median([]);

    // Assess
    expect(none).toThrow(NoSamplesError);
  });
});

describe('round', () => {
  it('rounds to the digits asked for', () => {
    // Act
    const figures = [round(1.26), round(1.26, 0), round(0.12345, 3)];

    // Assess
    expect(figures).toEqual([1.3, 1, 0.123]);
  });
});
