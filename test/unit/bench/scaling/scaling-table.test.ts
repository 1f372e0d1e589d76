import { describe, expect, it } from 'vitest';
import type { SizeResult } from '../../../../bench/scaling/measure-scale.ts';
import {
  scalingRatios,
  scalingRows,
  scalingTarget,
} from '../../../../bench/scaling/scaling-table.ts';

function size(storedTasks: number, inboxUnits: number, sweepWrites: number): SizeResult {
  const capacity = (readUnits: number, writeUnits = 0) => ({
    readUnits,
    writeUnits,
    calls: 1,
    byOperation: {},
  });
  return {
    storedTasks,
    seedSeconds: 1,
    inboxPage: { capacity: capacity(inboxUnits), itemsRead: 20, items: 20, ms: 10 },
    caseListPage: { capacity: capacity(2), items: 20, ms: 10 },
    sweeperRun: {
      capacity: capacity(22, sweepWrites),
      itemsRead: 20,
      items: 20,
      reminded: 20,
      ms: 50,
    },
  };
}

describe('the scaling figures', () => {
  it('compare the largest size with the smallest, read and write units together', () => {
    // Prepare
    const results = [size(10_000, 2, 520), size(100_000, 3, 520)];

    // Act
    const ratios = scalingRatios(results);

    // Assess
    expect(ratios.inboxPage).toBe(1.5);
    expect(ratios.caseListPage).toBe(1);
    expect(ratios.sweeperRun).toBe(1);
    expect(scalingTarget(ratios).met).toBe(false);
    expect(scalingRows(results, ratios)[0]).toEqual([
      'Inbox page',
      '2 + 0',
      '3 + 0',
      '1.50×',
      10,
      10,
    ]);
  });

  it('meet the target when no operation grows more than 1.2×', () => {
    // Prepare
    const ratios = scalingRatios([size(10_000, 2, 520), size(100_000, 2, 600)]);

    // Act
    const target = scalingTarget(ratios);

    // Assess
    expect(ratios.sweeperRun).toBeCloseTo(622 / 542);
    expect(target.met).toBe(true);
  });

  it('do not meet the target when an operation consumed nothing to compare with', () => {
    // Prepare
    const ratios = scalingRatios([size(10_000, 0, 520), size(100_000, 2, 520)]);

    // Act / Assess
    expect(scalingTarget(ratios).met).toBe(false);
  });
});
