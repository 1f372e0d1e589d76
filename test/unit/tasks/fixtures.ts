import type { TaskRecord } from '../../../shared/tasks/task-record.ts';

/**
 * A 安吉县 district review of a subsidy claim, claimed by its caseworker: follow-up at 17:30 on
 * Thursday 3 December 2026 in Huzhou, due at 17:30 the next day.
 */
export function taskRecord(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    taskId: 'T-review',
    caseId: 'SC-7K3M9Q2X4B8N',
    caseType: 'subsidy-claim',
    taskType: 'district-review',
    role: 'caseworker',
    district: 'anji',
    status: 'claimed',
    claimedBy: 'anji-cw-7',
    createdAt: '2026-11-26T02:00:00.000Z',
    dueAt: '2026-12-04T09:30:00.000Z',
    followUpAt: '2026-12-03T09:30:00.000Z',
    summary: '沈*禾 · 2026-11',
    ...overrides,
  };
}

/** The same review as the sweeper leaves it: found overdue and escalated at 17:45 on its due day. */
export function escalatedTaskRecord(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return taskRecord({
    overdueAt: '2026-12-04T09:45:00.000Z',
    escalatedAt: '2026-12-04T09:45:00.000Z',
    ...overrides,
  });
}
