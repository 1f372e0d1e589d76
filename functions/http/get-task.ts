import { roles } from '../../shared/auth/roles.ts';
import { getCase, listCaseEvents } from '../../shared/cases/case-store.ts';
import { caseView } from '../../shared/cases/case-view.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { visibleTask } from '../../shared/tasks/task-actions.ts';
import { listCaseTasks } from '../../shared/tasks/task-store.ts';
import { taskView } from '../../shared/tasks/task-view.ts';

/** GET /v1/tasks/{taskId} — the task and the case data needed to decide it (masked). */
export const handler = apiHandler(
  { name: 'GetTask', roles },
  async ({ principal, pathParameters }) => {
    const { task } = await visibleTask(principal, pathParameters.taskId ?? '');
    const [record, events, tasks] = await Promise.all([
      getCase(task.caseId),
      listCaseEvents(task.caseId),
      listCaseTasks(task.caseId),
    ]);
    return jsonResponse(200, {
      task: taskView(task),
      case: record
        ? caseView(
            record,
            events,
            tasks.map((t) => t.task),
          )
        : undefined,
    });
  },
);
