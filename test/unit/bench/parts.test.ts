import { describe, expect, it } from 'vitest';
import { benchPartKeys, selectParts, UnknownBenchPartError } from '../../../bench/parts.ts';

describe('selectParts', () => {
  it('runs the whole suite, in its order, when no part is named', () => {
    // Act
    const parts = selectParts([]);

    // Assess
    expect(parts.map((p) => p.key)).toEqual(['coldStart', 'costPerCase', 'throughput', 'scaling']);
    expect(benchPartKeys).toEqual(parts.map((p) => p.key));
  });

  it('runs only the parts named, still in the suite’s order', () => {
    // Act
    const parts = selectParts(['scaling', 'coldStart']);

    // Assess
    expect(parts.map((p) => p.key)).toEqual(['coldStart', 'scaling']);
  });

  it('refuses a name that is no part, saying which names are', () => {
    // Act
    const select = () => selectParts(['throughput', 'coldstart']);

    // Assess
    expect(select).toThrow(UnknownBenchPartError);
    expect(select).toThrow(/coldstart.*coldStart, costPerCase, throughput, scaling/);
  });
});
