import { now } from '../../shared/clock/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { preSubmissionWaiverChecks } from '../../shared/waivers/evaluation.ts';
import { WaiverNotEligibleError } from '../../shared/waivers/not-eligible-error.ts';
import { waiverPolicyFor } from '../../shared/waivers/policy/policy.ts';
import { waiverFormSchema } from '../../shared/waivers/waiver-form.ts';
import {
  DuplicateWaiverError,
  findWaiverLocks,
  termMonths,
  waiverLockItems,
} from '../../shared/waivers/waiver-locks.ts';
import { fileCase } from '../../shared/workflows/file-case.ts';
import { requiredEnv } from '../../shared/workflows/sfn-client.ts';

const stateMachineArn = requiredEnv('TUITION_WAIVER_STATE_MACHINE_ARN');
const versionArn = process.env.TUITION_WAIVER_STATE_MACHINE_VERSION_ARN;

/**
 * POST /v1/tuition-waivers — a family in hardship applies for 学费减免 (and 爱心牛奶); one active
 * waiver per child per month.
 */
export const handler = apiHandler(
  { name: 'SubmitTuitionWaiver', roles: ['citizen'], body: waiverFormSchema, idempotent: true },
  async ({ principal, body, event }) => {
    const reasons = preSubmissionWaiverChecks(body, now(), waiverPolicyFor(now()));
    if (reasons.length > 0) throw new WaiverNotEligibleError(reasons);
    const months = termMonths(body.term);
    const record = await fileCase({
      caseType: 'tuition-waiver',
      principal,
      idempotencyKey: event.headers['idempotency-key'] ?? '',
      submitted: body,
      form: body,
      providerId: body.providerId,
      workflow: { stateMachineArn, ...(versionArn ? { versionArn } : {}) },
      locks: (caseId) => waiverLockItems(caseId, body.child.idNumber, months),
      lockRefused: async (caseId) => {
        const held = await findWaiverLocks(body.child.idNumber, months);
        return new DuplicateWaiverError(held.filter((lock) => lock.caseId !== caseId));
      },
    });
    return jsonResponse(202, { caseId: record.caseId, status: record.status });
  },
);
