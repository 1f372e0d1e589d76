import * as z from 'zod';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { assignTask } from '../../shared/tasks/task-actions.ts';
import { taskView } from '../../shared/tasks/task-view.ts';

const bodySchema = z.object({ assignee: z.string().trim().min(1).max(128) }).strict();

/** POST /v1/tasks/{taskId}/assign — a supervisor hands a task to a member of staff. */
export const handler = apiHandler(
  { name: 'AssignTask', roles: ['supervisor'], body: bodySchema },
  async ({ principal, pathParameters, body }) =>
    jsonResponse(
      200,
      taskView(await assignTask(principal, pathParameters.taskId ?? '', body.assignee)),
    ),
);
