import { now } from '../../shared/clock/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { subsidyClaimFormSchema } from '../../shared/subsidy/claim-form.ts';
import {
  claimLockItems,
  DuplicateClaimError,
  findClaimLocks,
} from '../../shared/subsidy/claim-locks.ts';
import { preSubmissionChecks } from '../../shared/subsidy/eligibility.ts';
import { ClaimNotEligibleError } from '../../shared/subsidy/not-eligible-error.ts';
import { policyFor } from '../../shared/subsidy/policy/policy.ts';
import { fileCase } from '../../shared/workflows/file-case.ts';
import { requiredEnv } from '../../shared/workflows/sfn-client.ts';

/** The workflow's `live` alias: new cases start on the newest version, running ones keep theirs. */
const stateMachineArn = requiredEnv('SUBSIDY_CLAIM_STATE_MACHINE_ARN');
const versionArn = process.env.SUBSIDY_CLAIM_STATE_MACHINE_VERSION_ARN;

/** POST /v1/subsidy-claims — a family files a 入托补助 claim; the workflow takes it from there. */
export const handler = apiHandler(
  {
    name: 'SubmitSubsidyClaim',
    roles: ['citizen'],
    body: subsidyClaimFormSchema,
    idempotent: true,
  },
  async ({ principal, body, event }) => {
    // What needs no registry is refused at once, with every reason (一次性告知).
    const reasons = preSubmissionChecks(body, now(), policyFor(now()));
    if (reasons.length > 0) throw new ClaimNotEligibleError(reasons);
    const record = await fileCase({
      caseType: 'subsidy-claim',
      principal,
      idempotencyKey: event.headers['idempotency-key'] ?? '',
      submitted: body,
      form: body,
      providerId: body.providerId,
      workflow: { stateMachineArn, ...(versionArn ? { versionArn } : {}) },
      // One claim per child-month.
      locks: (caseId) => claimLockItems(caseId, body.child.idNumber, body.months),
      lockRefused: async (caseId) => {
        const held = await findClaimLocks(body.child.idNumber, body.months);
        return new DuplicateClaimError(held.filter((lock) => lock.caseId !== caseId));
      },
    });
    return jsonResponse(202, { caseId: record.caseId, status: record.status });
  },
);
