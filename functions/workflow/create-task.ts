import { addWorkingDays } from '../../shared/calendar/working-days.ts';
import { CaseNotFoundError, getCase } from '../../shared/cases/case-store.ts';
import { now } from '../../shared/clock/index.ts';
import { logger } from '../../shared/observability/index.ts';
import { createTaskInputSchema, type TaskRecord } from '../../shared/tasks/task-record.ts';
import { putTask, taskIdFor } from '../../shared/tasks/task-store.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

/**
 * A workflow's human step (`.waitForTaskToken`): stores the task with its token and returns at
 * once; the execution waits until someone decides the task. A retry of the step (same token)
 * finds the task it already stored.
 */
export const handler = workflowHandler(createTaskInputSchema, async (input) => {
  const record = await getCase(input.caseId);
  if (!record) throw new CaseNotFoundError(input.caseId);
  const createdAt = now();
  const dueAt = addWorkingDays(createdAt, input.dueInWorkingDays);
  // Remind one working day before the deadline; a same-day task is followed up when created.
  const followUpAt = addWorkingDays(createdAt, Math.max(0, input.dueInWorkingDays - 1));
  const task: TaskRecord = {
    taskId: taskIdFor(input.taskToken),
    caseId: record.caseId,
    caseType: record.caseType,
    taskType: input.taskType,
    role: input.role,
    ...(record.district ? { district: record.district } : {}),
    ...(input.role === 'provider' && record.providerId ? { providerId: record.providerId } : {}),
    ...(input.role === 'citizen' ? { applicantSub: record.applicantSub } : {}),
    status: 'open',
    createdAt: createdAt.toISOString(),
    dueAt: dueAt.toISOString(),
    followUpAt: followUpAt.toISOString(),
  };
  const stored = await putTask(task, input.taskToken);
  logger.info('Task open', {
    taskId: stored.taskId,
    taskType: stored.taskType,
    dueAt: stored.dueAt,
  });
  return { taskId: stored.taskId, dueAt: stored.dueAt };
});
