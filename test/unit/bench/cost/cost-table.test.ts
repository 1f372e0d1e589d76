import { describe, expect, it } from 'vitest';
import { costColumns, costNotes, costRow, pathResult } from '../../../../bench/cost/cost-table.ts';
import { prices } from '../../../../bench/cost/prices.ts';
import { summariseCases } from '../../../../bench/cost/usage.ts';

const scenario = {
  key: 'provider-registration/approved',
  workflow: 'provider-registration' as const,
  outcome: 'approved' as const,
  path: 'three reviews',
};

function measured(pass: number) {
  return summariseCases([
    {
      caseId: 'PR-1',
      invocations: [
        {
          requestId: 'r-1',
          functionName: 'DecideTaskAEA890AE',
          memorySizeMb: 512,
          durationMs: 99.2,
          billedDurationMs: 100,
          outcome: 'ok',
          consumedCapacity: {
            readUnits: 2,
            writeUnits: 40,
            calls: 2,
            byOperation: {
              TransactWriteItems: { calls: 1, units: 40 },
              GetItem: { calls: 1, units: 2 },
            },
          },
        },
      ],
      apiRequests: 1,
      executions: 1,
      stateTransitions: { Task: 6, Choice: 4, ...(pass > 0 ? { Pass: pass } : {}) },
      notifications: 0,
    },
  ]);
}

describe('the cost table', () => {
  it('has a row per path with an average case and the price of 10,000', () => {
    // Prepare
    const result = pathResult(scenario, measured(0), prices);

    // Act
    const row = costRow(result);

    // Assess
    expect(row).toHaveLength(costColumns.length);
    expect(row.slice(0, 9)).toEqual([
      'provider-registration',
      'approved',
      'three reviews',
      10,
      1,
      100,
      2,
      40,
      1,
    ]);
    // 10 transitions × $0.000025 + 40 WRU … per case, × 10,000.
    expect(result.per10kCases.total).toBeCloseTo(
      10_000 *
        (10 * 0.000025 +
          40 * 0.000000625 +
          2 * 0.000000125 +
          0.0000002 +
          0.05 * 0.0000133334 +
          0.000001),
    );
    expect(row[9]).toBe(`$${result.per10kCases.total.toFixed(2)}`);
  });

  it('names Pass states and a case record heavy with its form as candidates, with their share', () => {
    // Prepare
    const result = pathResult(scenario, measured(2), prices, {
      caseRecord: { recordBytes: 3000, formBytes: 2200, indexes: 3 },
      storedItems: [
        { kind: 'EVENT', count: 5, bytes: 300, indexes: 0, transactionalWriteUnits: 2 },
      ],
    });

    // Act
    const { notes, candidates } = costNotes([result], [], prices);

    // Assess
    expect(candidates).toHaveLength(2);
    expect(candidates[0]).toContain('2 Pass state(s) per case');
    // 3 KB in 4 places, twice: 24 WRU a change; without the form 1 KB: 8; 5 changes: 80 WRU less.
    expect(candidates[1]).toContain('about 24 WRU a change');
    expect(candidates[1]).toContain('about 8 WRU a change');
    expect(candidates[1]).toContain('about 80 WRU');
    expect(candidates[1]).toContain(
      'projecting fewer attributes into the indexes would save nothing more',
    );
    expect(notes).toEqual(expect.arrayContaining(candidates));
  });

  it('says a smaller index projection would save more only of a record over 1 KB without its form', () => {
    // Prepare
    const result = pathResult(scenario, measured(0), prices, {
      caseRecord: { recordBytes: 3000, formBytes: 1000, indexes: 3 },
      storedItems: [
        { kind: 'EVENT', count: 5, bytes: 300, indexes: 0, transactionalWriteUnits: 2 },
      ],
    });

    // Act
    const { candidates } = costNotes([result], [], prices);

    // Assess
    // 3 KB in 4 places, twice: 24 WRU a change; without the form 2 KB: 16.
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toContain('about 16 WRU a change');
    expect(candidates[0]).toContain(
      'projecting only the listed attributes into the indexes would save more',
    );
  });

  it('has no candidate for a case record without its form, however large', () => {
    // Prepare
    const result = pathResult(scenario, measured(0), prices, {
      caseRecord: { recordBytes: 3000, formBytes: 0, indexes: 3 },
      storedItems: [
        { kind: 'CASE', count: 1, bytes: 3000, indexes: 3, transactionalWriteUnits: 24 },
        { kind: 'FORM', count: 1, bytes: 2200, indexes: 0, transactionalWriteUnits: 6 },
        { kind: 'EVENT', count: 5, bytes: 300, indexes: 0, transactionalWriteUnits: 2 },
      ],
    });

    // Act
    const { candidates } = costNotes([result], [], prices);

    // Assess
    expect(candidates).toEqual([]);
  });

  it('has no candidates for a path without Pass states or a case record', () => {
    // Prepare
    const result = pathResult(scenario, measured(0), prices);

    // Act
    const { candidates } = costNotes([result], [], prices);

    // Assess
    expect(candidates).toEqual([]);
  });
});
