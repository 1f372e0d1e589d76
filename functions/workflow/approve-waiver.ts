import * as z from 'zod';
import { changeCase } from '../../shared/cases/case-store.ts';
import { rejectionItems } from '../../shared/cases/rejection-items.ts';
import { now } from '../../shared/clock/index.ts';
import { tableName } from '../../shared/db/client.ts';
import { outboxPut } from '../../shared/notifications/outbox.ts';
import { logger } from '../../shared/observability/index.ts';
import { paymentItems } from '../../shared/payments/index.ts';
import { hardshipCategorySchema } from '../../shared/registries/registry-records.ts';
import { waiverAmounts } from '../../shared/waivers/evaluation.ts';
import { waiverPolicyByVersion } from '../../shared/waivers/policy/policy.ts';
import { waiverFormSchema } from '../../shared/waivers/waiver-form.ts';
import { releaseWaiverLockItems, termMonths } from '../../shared/waivers/waiver-locks.ts';
import { waiverMonthItems } from '../../shared/waivers/waiver-records.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const inputSchema = z.object({
  caseId: z.string().min(1),
  /** What the checks granted (the last check run, after any verification). */
  checks: z
    .object({
      policyVersion: z.string(),
      category: hardshipCategorySchema,
      percent: z.number().min(0).max(100),
      months: z.array(z.string()),
    })
    .loose(),
  /** The provider's confirmation: the tuition it charges, and the months attended if fewer. */
  enrollment: z
    .object({
      data: z
        .object({
          monthlyTuitionYuan: z.number().positive().optional(),
          months: z.array(z.string()).optional(),
        })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
  decision: z.object({ reason: z.string().optional() }).loose().optional(),
});

/** ApproveWaiver ran on a case that is not waiting for approval. */
class CaseNotInReviewError extends Error {
  constructor(caseId: string, status: string) {
    super(`Case ${caseId} is ${status}, not in review`);
    this.name = 'CaseNotInReviewError';
  }
}

/**
 * The district approved: the case becomes `approved` with a waiver record per granted month (the
 * provider-confirmed tuition, the percentage for the family's category, capped by the policy),
 * milk-subsidy payment records when applied for, the months not granted freed, and the family and
 * the provider told — one transaction. Repeating it changes nothing.
 */
export const handler = workflowHandler(
  inputSchema,
  async ({ caseId, checks, enrollment, decision }) => {
    const at = now();
    const policy = waiverPolicyByVersion(checks.policyVersion);
    const record = await changeCase(caseId, (current) => {
      // A repeated step finds its work done; any other state is a workflow bug worth failing on.
      if (current.status === 'approved') return undefined;
      if (current.status !== 'in-review') throw new CaseNotInReviewError(caseId, current.status);
      const form = waiverFormSchema.parse(current.form);
      const confirmed = enrollment?.data?.months;
      const months = confirmed
        ? checks.months.filter((month) => confirmed.includes(month))
        : checks.months;
      // The provider confirmed none of the months the checks granted: nothing can be waived.
      if (months.length === 0) {
        return {
          type: 'case.rejected',
          actor: { kind: 'system', component: 'workflow' },
          status: 'rejected',
          note: '托育机构确认的在园月份均不在可减免月份之内',
          data: {
            reason: 'NO_CONFIRMED_MONTH',
            granted: checks.months,
            confirmed: confirmed ?? [],
          },
          items: rejectionItems(current, at),
        };
      }
      const tuitionYuan = enrollment?.data?.monthlyTuitionYuan ?? form.monthlyTuitionYuan;
      const amounts = waiverAmounts({
        tuitionYuan,
        percent: checks.percent,
        maxYuan: policy.maxWaiverYuanPerMonth,
      });
      const notGranted = termMonths(form.term).filter((month) => !months.includes(month));
      const district = current.district ?? 'city';
      const reason = decision?.reason;
      return {
        type: 'case.approved',
        actor: { kind: 'system', component: 'workflow' },
        status: 'approved',
        ...(reason ? { note: reason } : {}),
        data: {
          policyVersion: policy.version,
          category: checks.category,
          percent: checks.percent,
          months,
          tuitionYuan,
          waivedYuanPerMonth: amounts.waivedYuan,
          ...(notGranted.length > 0 ? { notGranted } : {}),
          ...(form.milkSubsidy ? { milkSubsidyYuanPerMonth: policy.milkSubsidyYuanPerMonth } : {}),
        },
        items: [
          ...waiverMonthItems({
            caseId,
            providerId: form.providerId,
            district,
            childIdNumber: form.child.idNumber,
            childName: form.child.name,
            category: checks.category,
            percent: checks.percent,
            policyVersion: policy.version,
            createdAt: at.toISOString(),
            months: months.map((month) => ({ month, tuitionYuan, ...amounts })),
          }),
          ...(form.milkSubsidy && months.length > 0
            ? paymentItems(
                {
                  caseId,
                  district,
                  providerId: form.providerId,
                  childIdNumber: form.child.idNumber,
                  childName: form.child.name,
                  months,
                  amountYuanPerMonth: policy.milkSubsidyYuanPerMonth,
                  policyVersion: policy.version,
                  benefit: 'milk-subsidy',
                  createdAt: at.toISOString(),
                },
                tableName(),
              )
            : []),
          ...releaseWaiverLockItems(caseId, form.child.idNumber, notGranted),
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
          outboxPut(
            {
              template: 'waiver-granted',
              recipient: { kind: 'queue', role: 'provider', scope: `P:${form.providerId}` },
              caseId,
              params: { month: months[0] ?? '' },
            },
            at,
            tableName(),
          ),
        ],
      };
    });
    logger.info('Waiver approved', { status: record.status });
    return { caseId, status: record.status };
  },
);
