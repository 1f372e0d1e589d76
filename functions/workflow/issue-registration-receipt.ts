import * as z from 'zod';
import { changeCase } from '../../shared/cases/case-store.ts';
import { now } from '../../shared/clock/index.ts';
import { tableName } from '../../shared/db/client.ts';
import { outboxPut } from '../../shared/notifications/outbox.ts';
import { logger } from '../../shared/observability/index.ts';
import { shanghaiDate } from '../../shared/subsidy/policy/shanghai-calendar.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

/** `HZTY-20261128-XXXXXXXXXXXX`: the day it was issued and the case (PR-…) it answers. */
export function receiptNumber(caseId: string, issuedAt: Date): string {
  return `HZTY-${shanghaiDate(issuedAt).replaceAll('-', '')}-${caseId.replace(/^PR-/, '')}`;
}

/**
 * The filing meets the standards: it gets its receipt (回执) the same day, recorded on the case
 * with an audit event, and the provider is told; the case goes to the departments. Issued once:
 * a repeated step returns the receipt already issued.
 */
export const handler = workflowHandler(
  z.object({ caseId: z.string().min(1) }),
  async ({ caseId }) => {
    const at = now();
    const record = await changeCase(caseId, (current) => {
      if (current.receipt) return undefined;
      const receipt = { number: receiptNumber(caseId, at), issuedAt: at.toISOString() };
      return {
        type: 'registration.receipt-issued',
        actor: { kind: 'system', component: 'workflow' },
        status: 'in-review',
        data: { receiptNumber: receipt.number },
        set: { receipt },
        items: [
          outboxPut(
            {
              template: 'registration-receipt',
              recipient: { kind: 'applicant', sub: current.applicantSub },
              caseId,
              params: { caseId, receiptNumber: receipt.number },
            },
            at,
            tableName(),
          ),
        ],
      };
    });
    logger.info('Receipt issued', { receiptNumber: record.receipt?.number });
    return { receiptNumber: record.receipt?.number };
  },
);
