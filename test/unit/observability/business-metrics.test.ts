import type { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  countCaseEnded,
  countCaseSubmitted,
  countTasksOverdue,
} from '../../../shared/observability/business-metrics.ts';
import { metrics } from '../../../shared/observability/index.ts';

/** Each single metric the code publishes: its dimensions and its values. */
function captured() {
  const published: { dimensions: Record<string, string>; values: Record<string, number> }[] = [];
  vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const entry = {
      dimensions: {} as Record<string, string>,
      values: {} as Record<string, number>,
    };
    published.push(entry);
    const single = {
      addDimensions: (dimensions: Record<string, string>) => {
        Object.assign(entry.dimensions, dimensions);
      },
      addMetric: (name: string, _unit: string, value: number) => {
        entry.values[name] = value;
      },
    };
    return single as unknown as Metrics;
  });
  return published;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('business metrics', () => {
  it('counts a submitted case by case type and district', () => {
    // Prepare
    const published = captured();

    // Act
    countCaseSubmitted('subsidy-claim', 'anji');

    // Assess
    expect(published).toEqual([
      { dimensions: { caseType: 'subsidy-claim', district: 'anji' }, values: { CaseSubmitted: 1 } },
    ]);
  });

  it.each([
    ['approved', 'CaseApproved'],
    ['rejected', 'CaseRejected'],
    ['expired', 'CaseExpired'],
    ['withdrawn', 'CaseWithdrawn'],
  ] as const)('counts a case that ends %s as %s', (status, metric) => {
    // Prepare
    const published = captured();

    // Act
    countCaseEnded('tuition-waiver', 'wuxing', status);

    // Assess
    expect(published).toEqual([
      { dimensions: { caseType: 'tuition-waiver', district: 'wuxing' }, values: { [metric]: 1 } },
    ]);
  });

  it('counts nothing for a status on the way (in review, waiting for information)', () => {
    // Prepare
    const published = captured();

    // Act
    countCaseEnded('subsidy-claim', 'anji', 'in-review');
    countCaseEnded('subsidy-claim', 'anji', 'info-requested');

    // Assess
    expect(published).toEqual([]);
  });

  it('names a case without a district yet as unknown rather than dropping the dimension', () => {
    // Prepare
    const published = captured();

    // Act
    countCaseEnded('provider-registration', undefined, 'rejected');

    // Assess
    expect(published[0]?.dimensions).toEqual({
      caseType: 'provider-registration',
      district: 'unknown',
    });
  });

  it('counts overdue tasks of a sweep, escalated and expired, and nothing for a quiet run', () => {
    // Prepare
    const published = captured();

    // Act
    countTasksOverdue({ escalated: 0, expired: 0 });
    countTasksOverdue({ escalated: 3, expired: 2 });

    // Assess
    expect(published).toEqual([
      { dimensions: {}, values: { TasksEscalated: 3, TasksExpired: 2, TasksOverdue: 5 } },
    ]);
  });
});
