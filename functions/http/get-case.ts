import { canSeeCase } from '../../shared/auth/access.ts';
import { roles } from '../../shared/auth/roles.ts';
import { getCase, listCaseEvents } from '../../shared/cases/case-store.ts';
import { caseView } from '../../shared/cases/case-view.ts';
import { NotFoundError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';

/** GET /v1/cases/{caseId} — the case and its audit trail, for whoever may see it. */
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
    return jsonResponse(200, caseView(record, await listCaseEvents(caseId)));
  },
);
