import * as z from 'zod';
import { changeCase } from '../../shared/cases/case-store.ts';
import { now } from '../../shared/clock/index.ts';
import { tableName } from '../../shared/db/client.ts';
import { outboxPut } from '../../shared/notifications/outbox.ts';
import { logger } from '../../shared/observability/index.ts';
import { paymentItems } from '../../shared/payments/index.ts';
import { subsidyClaimFormSchema } from '../../shared/subsidy/claim-form.ts';
import { releaseClaimLockItems } from '../../shared/subsidy/claim-locks.ts';
import { policyByVersion, policyFor } from '../../shared/subsidy/policy/policy.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const inputSchema = z.object({
  caseId: z.string().min(1),
  decision: z.record(z.string(), z.unknown()).optional(),
  /** The provider's confirmation; `data.months` lists the months attended when fewer than claimed. */
  enrollment: z
    .object({
      data: z
        .object({ months: z.array(z.string()).optional() })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
});

/**
 * The district approved: the case becomes `approved` and its payment records (one per
 * child-month, `pending-disbursement`, the amount of the policy the checks applied) are filed in
 * the same transaction, with the family's notification. Repeating it changes nothing.
 */
export const handler = workflowHandler(inputSchema, async ({ caseId, decision, enrollment }) => {
  const at = now();
  const record = await changeCase(caseId, (current) => {
    if (current.status !== 'in-review') return undefined;
    const form = subsidyClaimFormSchema.parse(current.form);
    const policy = current.checks ? policyByVersion(current.checks.policyVersion) : policyFor(at);
    const reason = typeof decision?.reason === 'string' ? decision.reason : undefined;
    // Only months both claimed and confirmed are paid; the others are freed for another claim.
    const confirmed = enrollment?.data?.months;
    const months = confirmed
      ? form.months.filter((month) => confirmed.includes(month))
      : form.months;
    const dropped = form.months.filter((month) => !months.includes(month));
    return {
      type: 'case.approved',
      actor: { kind: 'system', component: 'workflow' },
      status: 'approved',
      ...(reason ? { note: reason } : {}),
      data: {
        policyVersion: policy.version,
        months,
        ...(dropped.length ? { notConfirmed: dropped } : {}),
      },
      items: [
        ...paymentItems(
          {
            caseId,
            district: current.district ?? 'city',
            providerId: form.providerId,
            childIdNumber: form.child.idNumber,
            childName: form.child.name,
            months,
            amountYuanPerMonth: policy.monthlyAmountYuan,
            policyVersion: policy.version,
            createdAt: at.toISOString(),
          },
          tableName(),
        ),
        ...releaseClaimLockItems({ ...current, form: { ...form, months: dropped } }),
        outboxPut(
          {
            template: 'case-approved',
            recipient: { kind: 'applicant', sub: current.applicantSub },
            caseId,
            params: { caseType: current.caseType },
          },
          at,
          tableName(),
        ),
        // The provider hears it too: its fee is now partly paid by the city.
        outboxPut(
          {
            template: 'case-approved',
            recipient: { kind: 'queue', role: 'provider', scope: `P:${form.providerId}` },
            caseId,
            params: { caseType: current.caseType },
          },
          at,
          tableName(),
        ),
      ],
    };
  });
  logger.info('Claim approved', { status: record.status });
  return { caseId, status: record.status };
});
