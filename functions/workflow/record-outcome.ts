import * as z from 'zod';
import { type CaseRecord, type CaseStatus, isFinal } from '../../shared/cases/case-record.ts';
import type { CaseChange } from '../../shared/cases/case-store.ts';
import { releaseCaseLockItems } from '../../shared/cases/release-case-locks.ts';
import { now } from '../../shared/clock/index.ts';
import { tableName } from '../../shared/db/client.ts';
import { type NotificationInput, outboxPut } from '../../shared/notifications/outbox.ts';
import { logger } from '../../shared/observability/index.ts';
import { closeCaseAndTasks } from '../../shared/tasks/task-actions.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const outcomeSchema = z.enum(['rejected', 'expired']);
type WorkflowOutcome = z.infer<typeof outcomeSchema>;

const recordOutcomeInputSchema = z.object({
  caseId: z.string().min(1),
  outcome: outcomeSchema,
  /** What decided it: the task's decision, or the error a Catch caught. */
  decision: z.record(z.string(), z.unknown()).optional(),
});

const statusOf: Record<WorkflowOutcome, CaseStatus> = {
  rejected: 'rejected',
  expired: 'expired',
};

const templateOf: Record<WorkflowOutcome, NotificationInput['template']> = {
  rejected: 'case-rejected',
  expired: 'case-expired',
};

async function recordOutcome(input: z.infer<typeof recordOutcomeInputSchema>) {
  const to = statusOf[input.outcome];
  const reason = typeof input.decision?.reason === 'string' ? input.decision.reason : undefined;
  const change = (current: CaseRecord): CaseChange | undefined => {
    if (current.status === to || isFinal(current.status)) return undefined;
    const template = templateOf[input.outcome];
    return {
      type: `case.${input.outcome}`,
      actor: { kind: 'system', component: 'workflow' },
      status: to,
      ...(reason ? { note: reason } : {}),
      ...(input.decision ? { data: { decision: input.decision } } : {}),
      // The claimed child-months are free again: the case ends without payment.
      items: [
        ...releaseCaseLockItems(current),
        outboxPut(
          {
            template,
            recipient: { kind: 'applicant', sub: current.applicantSub },
            caseId: current.caseId,
            params: {
              caseId: current.caseId,
              caseType: current.caseType,
              reason: reason ?? '',
            },
          },
          now(),
          tableName(),
        ),
      ],
    };
  };
  // The case takes its open tasks with it: a department's rejection ends the other departments'
  // reviews running beside it, and an expired case leaves nothing waiting on anyone.
  return closeCaseAndTasks(
    input.caseId,
    input.outcome === 'expired' ? 'expired' : 'cancelled',
    change,
  );
}

/**
 * Writes where a workflow ended up onto the case, with its audit event, the family's
 * notification, and (on expiry) the case's open tasks closed. Repeating it is harmless, and a
 * case that already reached a final state (withdrawn meanwhile) is left as it is.
 */
export const handler = workflowHandler(recordOutcomeInputSchema, async (input) => {
  const record = await recordOutcome(input);
  logger.info('Case outcome recorded', { status: record.status });
  return { caseId: record.caseId, status: record.status };
});
