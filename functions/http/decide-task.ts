import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { roles } from '../../shared/auth/roles.ts';
import { validate } from '../../shared/errors/validate.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { metrics } from '../../shared/observability/index.ts';
import { decisionBodySchema } from '../../shared/tasks/decision-forms.ts';
import { decideTask, visibleTask } from '../../shared/tasks/task-actions.ts';
import { taskView } from '../../shared/tasks/task-view.ts';

/**
 * POST /v1/tasks/{taskId}/decision — decide a task, exactly once. The body is checked against
 * the task type's decision form, which is known only once the task is read.
 */
export const handler = apiHandler(
  { name: 'DecideTask', roles, body: z.record(z.string(), z.unknown()) },
  async ({ principal, pathParameters, body }) => {
    const stored = await visibleTask(principal, pathParameters.taskId ?? '');
    const decision = validate(decisionBodySchema(stored.task.taskType), body);
    const { task, delivered } = await decideTask(principal, stored, decision);
    metrics.addDimension('taskType', task.taskType);
    metrics.addMetric(`TaskDecided_${decision.outcome}`, MetricUnit.Count, 1);
    return jsonResponse(200, { task: taskView(task), delivered });
  },
);
