import { roles } from '../../shared/auth/roles.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { unclaimTask } from '../../shared/tasks/task-actions.ts';
import { taskView } from '../../shared/tasks/task-view.ts';

/** POST /v1/tasks/{taskId}/unclaim — put a held task back in its queue (holder or supervisor). */
export const handler = apiHandler(
  { name: 'UnclaimTask', roles },
  async ({ principal, pathParameters }) =>
    jsonResponse(200, taskView(await unclaimTask(principal, pathParameters.taskId ?? ''))),
);
