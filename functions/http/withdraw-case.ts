import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { canSeeCase, canWithdrawCase } from '../../shared/auth/access.ts';
import { isFinal } from '../../shared/cases/case-record.ts';
import { getCase } from '../../shared/cases/case-store.ts';
import { caseListItem } from '../../shared/cases/case-view.ts';
import { releaseCaseLockItems } from '../../shared/cases/release-case-locks.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { logger } from '../../shared/observability/index.ts';
import { actorOf, closeCaseAndTasks } from '../../shared/tasks/task-actions.ts';
import { caseAlreadyDecided } from '../../shared/tasks/task-errors.ts';
import { sfnClient } from '../../shared/workflows/sfn-client.ts';

/**
 * POST /v1/cases/{caseId}/withdraw — whoever filed a case not yet decided (a family, or any account
 * of a provider its registration filing) takes it back: the case is `withdrawn`, its open tasks
 * cancelled (one transaction, audited), its locks released, then its execution stopped.
 */
export const handler = apiHandler(
  { name: 'WithdrawCase', roles: ['citizen', 'provider'] },
  async ({ principal, pathParameters }) => {
    const caseId = pathParameters.caseId ?? '';
    const found = await getCase(caseId);
    if (!found || !canSeeCase(principal, found)) {
      throw new NotFoundError({
        'zh-CN': `案件 ${caseId} 不存在`,
        en: `Case ${caseId} does not exist`,
      });
    }
    if (!canWithdrawCase(principal, found)) throw new ForbiddenError();
    const record = await closeCaseAndTasks(caseId, 'cancelled', (current) => {
      if (current.status === 'withdrawn') return undefined;
      if (isFinal(current.status)) throw caseAlreadyDecided();
      return {
        type: 'case.withdrawn',
        actor: actorOf(principal),
        status: 'withdrawn',
        items: releaseCaseLockItems(current),
      };
    });
    const executionArn = record.workflow?.executionArn;
    if (executionArn) {
      await sfnClient
        .send(new StopExecutionCommand({ executionArn, cause: 'Withdrawn by the applicant' }))
        .catch((error: unknown) => {
          // Already ended (or never started): the case record is what counts.
          logger.warn('Execution not stopped', { error: (error as Error).name });
        });
    }
    return jsonResponse(200, caseListItem(record));
  },
);
