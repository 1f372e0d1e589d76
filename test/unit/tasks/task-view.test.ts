import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { taskView } from '../../../shared/tasks/task-view.ts';

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
