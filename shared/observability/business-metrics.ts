import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CaseStatus } from '../cases/case-record.ts';
import { metrics } from './index.ts';

/*
 * The business events operators and the city watch (CloudWatch metrics through Powertools' EMF):
 * cases submitted and ended, by case type and district, and tasks gone past their due time. Each
 * is published on its own with its own dimensions, so one invocation's events do not share
 * dimensions by accident. Dimensions are a closed set (case types, districts): never a case id,
 * never anything personal.
 */

/** The metric each way a case can end is counted under. */
const endMetrics: Partial<Record<CaseStatus, string>> = {
  approved: 'CaseApproved',
  rejected: 'CaseRejected',
  expired: 'CaseExpired',
  withdrawn: 'CaseWithdrawn',
};

function countCase(metric: string, caseType: string, district: string | undefined): void {
  const single = metrics.singleMetric();
  single.addDimensions({ caseType, district: district ?? 'unknown' });
  single.addMetric(metric, MetricUnit.Count, 1);
}

/** A case was filed. */
export function countCaseSubmitted(caseType: string, district: string | undefined): void {
  countCase('CaseSubmitted', caseType, district);
}

/** A case moved to `status`; counted only when that ends it. */
export function countCaseEnded(
  caseType: string,
  district: string | undefined,
  status: CaseStatus,
): void {
  const metric = endMetrics[status];
  if (metric) countCase(metric, caseType, district);
}

/** What a deadline sweep found past due: escalated staff and provider tasks, expired applicants'. */
export function countTasksOverdue(counts: { escalated: number; expired: number }): void {
  if (counts.escalated + counts.expired === 0) return;
  const single = metrics.singleMetric();
  single.addMetric('TasksEscalated', MetricUnit.Count, counts.escalated);
  single.addMetric('TasksExpired', MetricUnit.Count, counts.expired);
  single.addMetric('TasksOverdue', MetricUnit.Count, counts.escalated + counts.expired);
}
