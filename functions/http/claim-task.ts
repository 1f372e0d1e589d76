import { roles } from '../../shared/auth/roles.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { claimTask } from '../../shared/tasks/task-actions.ts';
import { taskView } from '../../shared/tasks/task-view.ts';

/** POST /v1/tasks/{taskId}/claim — take a task from the queue; 409 if someone else holds it. */
export const handler = apiHandler(
  { name: 'ClaimTask', roles },
  async ({ principal, pathParameters }) =>
    jsonResponse(200, taskView(await claimTask(principal, pathParameters.taskId ?? ''))),
);
