import { describe, expect, it } from 'vitest';
import { newTaskItem } from '../../../shared/tasks/task-store.ts';
import { taskRecord } from './fixtures.ts';

describe('newTaskItem', () => {
  it.each([
    ['open', {}],
    ['claimed', { claimedBy: 'anji-cw-7' }],
  ] as const)('puts a new %s task in the due index at its follow-up time', (status, extra) => {
    // Prepare
    const record = taskRecord({ status, claimedBy: undefined, ...extra });

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
      const record = taskRecord({ status, claimedBy: undefined });

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
