import { canSeeCase } from '../../shared/auth/access.ts';
import { roles } from '../../shared/auth/roles.ts';
import { getCase, listCaseEvents } from '../../shared/cases/case-store.ts';
import { caseView } from '../../shared/cases/case-view.ts';
import { NotFoundError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { listCaseTasks } from '../../shared/tasks/task-store.ts';

/** GET /v1/cases/{caseId} — the case, its current step, open tasks and timeline. */
export const handler = apiHandler(
  { name: 'GetCase', roles },
  async ({ principal, pathParameters }) => {
    const caseId = pathParameters.caseId ?? '';
    const record = await getCase(caseId);
    // Someone else's case answers exactly like a missing one: its existence is not revealed.
    if (!record || !canSeeCase(principal, record)) {
      throw new NotFoundError({
        'zh-CN': `案件 ${caseId} 不存在`,
        en: `Case ${caseId} does not exist`,
      });
    }
    const [events, tasks] = await Promise.all([listCaseEvents(caseId), listCaseTasks(caseId)]);
    return jsonResponse(
      200,
      caseView(
        record,
        events,
        tasks.map((t) => t.task),
      ),
    );
  },
);
