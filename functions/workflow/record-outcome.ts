import { z } from 'zod';
import type { CaseStatus } from '../../shared/cases/case-record.ts';
import { transitionCase } from '../../shared/cases/case-store.ts';
import { logger } from '../../shared/observability/index.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const outcomeSchema = z.enum(['enrollment-confirmed', 'rejected', 'expired']);

const recordOutcomeInputSchema = z.object({
  caseId: z.string().min(1),
  outcome: outcomeSchema,
  /** What decided it: the task's decision, or the error a Catch caught. */
  decision: z.record(z.string(), z.unknown()).optional(),
});

const statusOf: Record<z.infer<typeof outcomeSchema>, CaseStatus> = {
  'enrollment-confirmed': 'enrollment-confirmed',
  rejected: 'rejected',
  expired: 'expired',
};

/** Writes where a workflow ended up onto the case, with its audit event; repeating it is harmless. */
export const handler = workflowHandler(recordOutcomeInputSchema, async (input) => {
  const record = await transitionCase(input.caseId, {
    from: ['submitted'],
    to: statusOf[input.outcome],
    type: `case.${input.outcome}`,
    actor: { kind: 'system', component: 'workflow' },
    ...(input.decision ? { data: { decision: input.decision } } : {}),
  });
  logger.info('Case outcome recorded', { status: record.status });
  return { caseId: record.caseId, status: record.status };
});
