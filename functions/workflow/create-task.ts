import { logger } from '../../shared/observability/index.ts';
import { openTask } from '../../shared/tasks/task-actions.ts';
import { createTaskInputSchema } from '../../shared/tasks/task-record.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

/**
 * A workflow's human step (`.waitForTaskToken`): stores the task with its token, its audit event
 * and its queue's notification, and returns at once; the execution waits until someone decides
 * the task. A retry of the step (same token) finds the task it already stored.
 */
export const handler = workflowHandler(createTaskInputSchema, async (input) => {
  const task = await openTask(input);
  logger.info('Task open', { taskId: task.taskId, taskType: task.taskType, dueAt: task.dueAt });
  return { taskId: task.taskId, dueAt: task.dueAt };
});
