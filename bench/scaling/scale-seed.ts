import type { CaseSummary } from '../../shared/cases/case-record.ts';
import { keys } from '../../shared/db/keys.ts';
import type { TaskRecord } from '../../shared/tasks/task-record.ts';
import { newTaskItem, taskIdFor } from '../../shared/tasks/task-store.ts';

/*
 * The stored cases and tasks the scaling benchmark grows the table with: one subsidy claim in
 * review per task, the work spread over the six districts' caseworker queues, so that the queue
 * and the district listing measured grow with the table (1/6 of it each) while the page read stays
 * 20 items. A few tasks per batch have passed their follow-up at the run's time: the sweeper has
 * the same work at every size, and only the table around it grows.
 */

export const scaleDistricts = ['wuxing', 'nanxun', 'nantaihu', 'deqing', 'changxing', 'anji'];

export interface ScaleBatch {
  /** Items n = from … to − 1 (a case and its task each). */
  readonly from: number;
  readonly to: number;
  /** The sweeper run's time. */
  readonly now: Date;
  /** Tasks of this batch whose follow-up has passed at `now` (the batch's first ones). */
  readonly dueTasks: number;
}

const minute = 60_000;
const day = 86_400_000;

export const caseIdOf = (n: number) => `SC-SCALE-${String(n).padStart(7, '0')}`;

/** The case record of item n, as createCase stores it (its form apart: scaleFormItem). */
export function scaleCaseItem(n: number, now: Date): Record<string, unknown> {
  const district = scaleDistricts[n % scaleDistricts.length] ?? 'wuxing';
  const createdAt = new Date(now.getTime() - 30 * day + (n % 43_200) * minute).toISOString();
  const caseId = caseIdOf(n);
  const record: CaseSummary = {
    caseId,
    caseType: 'subsidy-claim',
    status: 'in-review',
    applicantSub: `family-scale-${n}`,
    district,
    providerId: `P-SCALE-${n % 500}`,
    fingerprint: `fingerprint-${n}`,
    createdAt,
    updatedAt: createdAt,
    version: 2,
  };
  return {
    ...keys.case(caseId),
    entity: 'Case',
    ...keys.applicantCases(record.applicantSub, createdAt, caseId),
    ...keys.districtCases(district, record.status, createdAt, caseId),
    ...keys.providerCases(record.providerId ?? '', createdAt, caseId),
    ...record,
    formVersion: 1,
  };
}

/**
 * The form of item n's case, in its own item as createCase stores it: in no index, so no listing
 * reads it; the sweeper reads it with the case it changes. About the size a real claim's form
 * has (masked numbers: nothing real here).
 */
export function scaleFormItem(n: number): Record<string, unknown> {
  const caseId = caseIdOf(n);
  return {
    ...keys.caseForm(caseId),
    entity: 'CaseForm',
    caseId,
    version: 1,
    form: {
      child: { name: '沈小禾', idNumber: '330502********0000' },
      guardian: { name: '沈明', idNumber: '330502********0000', phone: '138****0000' },
      providerId: `P-SCALE-${n % 500}`,
      months: ['2026-10', '2026-11'],
    },
  };
}

/** The open district review of item n's case. */
export function scaleTaskItem(n: number, batch: ScaleBatch): Record<string, unknown> {
  const { now } = batch;
  const due = n - batch.from < batch.dueTasks;
  // Due ones passed their follow-up in the half hour before the run; the rest follow up one a
  // minute over the next 60 days.
  const followUp = due
    ? now.getTime() - (1 + ((n - batch.from) % 30)) * minute
    : now.getTime() + (1 + (n % 86_400)) * minute;
  const token = `scale-token-${n}`;
  const task: TaskRecord = {
    taskId: taskIdFor(token),
    caseId: caseIdOf(n),
    caseType: 'subsidy-claim',
    taskType: 'district-review',
    role: 'caseworker',
    district: scaleDistricts[n % scaleDistricts.length] ?? 'wuxing',
    status: 'open',
    createdAt: new Date(now.getTime() - 3 * day).toISOString(),
    followUpAt: new Date(followUp).toISOString(),
    // Two days after the follow-up: a reminded task is not due again in the same run.
    dueAt: new Date(followUp + 2 * day).toISOString(),
    summary: '沈*禾 · 2026-11',
  };
  return newTaskItem(task, token);
}

/** Every item of a batch: n's case, its form, then n's task. */
export function scaleBatchItems(batch: ScaleBatch): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let n = batch.from; n < batch.to; n++) {
    items.push(scaleCaseItem(n, batch.now), scaleFormItem(n), scaleTaskItem(n, batch));
  }
  return items;
}
