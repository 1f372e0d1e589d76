import * as z from 'zod';
import { CaseNotFoundError, changeCase, getCase } from '../../shared/cases/case-store.ts';
import { rejectionItems } from '../../shared/cases/rejection-items.ts';
import { now } from '../../shared/clock/index.ts';
import { logger } from '../../shared/observability/index.ts';
import { getProvider } from '../../shared/providers/index.ts';
import { registriesFromEnvironment } from '../../shared/registries/index.ts';
import { subsidyClaimFormSchema } from '../../shared/subsidy/claim-form.ts';
import { evaluateClaim } from '../../shared/subsidy/eligibility.ts';
import { policyFor } from '../../shared/subsidy/policy/policy.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const registries = registriesFromEnvironment();

/**
 * The automatic checks of a 入托补助 claim: the household registry (户籍, birth date, name), our
 * provider registry and the policy in force. A passing claim goes `in-review` in the provider's
 * district; a failing one is `rejected` here with every reason at once (一次性告知) and never
 * reaches a person. A registry that cannot answer throws RegistryUnavailableError: the state
 * machine retries, then hands the check to a caseworker.
 */
export const handler = workflowHandler(
  z.object({ caseId: z.string().min(1) }),
  async ({ caseId }) => {
    const record = await getCase(caseId);
    if (!record) throw new CaseNotFoundError(caseId);
    const form = subsidyClaimFormSchema.parse(record.form);
    const today = now();
    const policy = policyFor(today);
    const provider = await getProvider(form.providerId);
    const resident = await registries.findResident(form.child.idNumber);
    const result = evaluateClaim({ form, resident, provider, today, policy });
    const checkedAt = today.toISOString();
    const reasons = result.reasons.map((reason) => ({ code: reason.code, months: reason.months }));
    await changeCase(caseId, (current) => {
      // Already judged (a retried step): nothing to add.
      if (current.status !== 'submitted') return undefined;
      if (result.eligible) {
        return {
          type: 'checks.passed',
          actor: { kind: 'system', component: 'eligibility-checks' },
          status: 'in-review',
          data: { policyVersion: policy.version },
          set: {
            checks: { policyVersion: policy.version, checkedAt },
            ...(provider ? { district: provider.district } : {}),
          },
        };
      }
      return {
        type: 'checks.failed',
        actor: { kind: 'system', component: 'eligibility-checks' },
        status: 'rejected',
        note: result.reasons.map((reason) => reason.message['zh-CN']).join('；'),
        data: { policyVersion: policy.version, reasons },
        set: { checks: { policyVersion: policy.version, checkedAt } },
        items: rejectionItems(current, today),
      };
    });
    logger.info('Eligibility checked', {
      eligible: result.eligible,
      codes: reasons.map((r) => r.code),
    });
    return {
      eligible: result.eligible,
      policyVersion: policy.version,
      reasons: reasons.map((r) => r.code),
    };
  },
);
