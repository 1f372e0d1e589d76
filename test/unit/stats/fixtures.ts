import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { newTaskItem } from '../../../shared/tasks/task-store.ts';

/** A staff task of 吴兴区 due 2026-03-10 17:30 in Huzhou, still open. */
export function staffTask(overrides: Partial<TaskRecord> = {}): TaskRecord {
  const taskId = overrides.taskId ?? 'T-1';
  return {
    taskId,
    caseId: `SC-${taskId}`,
    caseType: 'subsidy-claim',
    taskType: 'district-review',
    role: 'caseworker',
    district: 'wuxing',
    status: 'open',
    createdAt: '2026-03-03T02:00:00.000Z',
    dueAt: '2026-03-10T09:30:00.000Z',
    followUpAt: '2026-03-09T09:30:00.000Z',
    summary: '育儿补助 王*明',
    ...overrides,
  };
}

/** A decision as deciding writes it. */
export function decidedAt(at: string): NonNullable<TaskRecord['decision']> {
  return { outcome: 'approve', decidedBy: 'staff-1', decidedAt: at };
}

/** The table item of a task, index keys and all, as creating it (then moving it) stores it. */
export function taskItem(task: TaskRecord): Record<string, unknown> {
  return newTaskItem(task, `token-${task.taskId}`);
}
