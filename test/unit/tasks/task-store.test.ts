import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { newTaskItem } from '../../../shared/tasks/task-store.ts';

function task(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    taskId: 'T-review',
    caseId: 'SC-7K3M9Q2X4B8N',
    caseType: 'subsidy-claim',
    taskType: 'district-review',
    role: 'caseworker',
    district: 'anji',
    status: 'open',
    createdAt: '2026-11-26T02:00:00.000Z',
    dueAt: '2026-12-04T09:30:00.000Z',
    followUpAt: '2026-12-03T09:30:00.000Z',
    summary: '沈*禾 · 2026-11',
    ...overrides,
  };
}

describe('newTaskItem', () => {
  it.each([
    ['open', {}],
    ['claimed', { claimedBy: 'anji-cw-7' }],
  ] as const)('puts a new %s task in the due index at its follow-up time', (status, extra) => {
    // Prepare
    const record = task({ status, ...extra });

    // Act
    const item = newTaskItem(record, 'token-1');

    // Assess
    expect(item).toMatchObject({
      pk: 'CASE#SC-7K3M9Q2X4B8N',
      sk: 'TASK#T-review',
      gsi4pk: 'DUE#TASKS',
      gsi4sk: '2026-12-03T09:30:00.000Z#T-review',
      deadline: 'follow-up',
      taskToken: 'token-1',
    });
  });

  it.each(['done', 'expired', 'cancelled'] as const)(
    'leaves a %s task out of the due index',
    (status) => {
      // Prepare
      const record = task({ status });

      // Act
      const item = newTaskItem(record, 'token-1');

      // Assess
      expect(item).not.toHaveProperty('gsi4pk');
      expect(item).not.toHaveProperty('gsi4sk');
      expect(item).not.toHaveProperty('deadline');
      expect(item).toMatchObject({ status, gsi2pk: `INBOX#caseworker#D:anji#${status}` });
    },
  );
});
