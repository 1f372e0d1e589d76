import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { inboxItem, taskView } from '../../../shared/tasks/task-view.ts';
import { taskRecord } from './fixtures.ts';

describe('taskView', () => {
  it("masks ID numbers and phones in a decision's data, as in the form", () => {
    // Prepare: an amended filing's staff travel in the decision
    const task: TaskRecord = {
      taskId: 'T-1',
      caseId: 'PR-1',
      caseType: 'provider-registration',
      taskType: 'amend-registration',
      role: 'provider',
      status: 'done',
      createdAt: '2026-11-28T00:00:00.000Z',
      dueAt: '2026-12-18T09:30:00.000Z',
      followUpAt: '2026-12-17T09:30:00.000Z',
      summary: '禾苗托育',
      decision: {
        outcome: 'approve',
        decidedBy: 'staff-a',
        decidedAt: '2026-11-28T01:00:00.000Z',
        data: {
          changes: {
            staff: [{ name: '沈丽华', idNumber: '330502198001010011', role: 'caregiver' }],
            organisation: { legalRepresentative: { phone: '13857200000' } },
          },
        },
      },
    };

    // Act
    const view = JSON.stringify(taskView(task));

    // Assess
    expect(view).not.toContain('330502198001010011');
    expect(view).not.toContain('13857200000');
    expect(view).toContain('沈丽华');
  });
});

describe('overdue and escalated flags', () => {
  const base = taskRecord({
    taskId: 'T-1',
    caseId: 'SC-1',
    dueAt: '2026-12-03T09:30:00.000Z',
    followUpAt: '2026-12-02T09:30:00.000Z',
  });

  it.each([
    ['a task on time', {}, false, false],
    ['an overdue task', { overdueAt: '2026-12-03T09:45:00.000Z' }, true, false],
    [
      'an escalated task',
      { overdueAt: '2026-12-03T09:45:00.000Z', escalatedAt: '2026-12-03T09:45:00.000Z' },
      true,
      true,
    ],
  ])('flags %s in the view and the inbox line', (_name, extra, overdue, escalated) => {
    // Prepare
    const task: TaskRecord = { ...base, ...extra };

    // Act
    const views = [taskView(task), inboxItem(task)];

    // Assess
    for (const view of views) expect(view).toMatchObject({ overdue, escalated });
    expect(taskView(task)).toMatchObject({
      overdueAt: task.overdueAt,
      escalatedAt: task.escalatedAt,
    });
  });
});
