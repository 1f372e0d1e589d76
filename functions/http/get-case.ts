import { canSeeCase } from '../../shared/auth/access.ts';
import { roles } from '../../shared/auth/roles.ts';
import { getCase, listCaseEvents } from '../../shared/cases/case-store.ts';
import { caseView } from '../../shared/cases/case-view.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';

/** GET /v1/cases/{caseId} — the case and its audit trail, for whoever may see it. */
export const handler = apiHandler(
  { name: 'GetCase', roles },
  async ({ principal, pathParameters }) => {
    const caseId = pathParameters.caseId ?? '';
    const record = await getCase(caseId);
    if (!record) {
      throw new NotFoundError({
        'zh-CN': `案件 ${caseId} 不存在`,
        en: `Case ${caseId} does not exist`,
      });
    }
    if (!canSeeCase(principal, record)) {
      throw new ForbiddenError({ 'zh-CN': '您无权查看此案件', en: 'You may not see this case' });
    }
    return jsonResponse(200, caseView(record, await listCaseEvents(caseId)));
  },
);
