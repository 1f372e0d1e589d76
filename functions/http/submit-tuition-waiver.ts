import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { caseIdFor, fingerprintOf } from '../../shared/cases/case-id.ts';
import {
  CaseConflictError,
  ChangeRefusedError,
  createCase,
} from '../../shared/cases/case-store.ts';
import { now } from '../../shared/clock/index.ts';
import { IdempotencyKeyReusedError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { logger, metrics } from '../../shared/observability/index.ts';
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
import { executionArnFor } from '../../shared/workflows/execution-arn.ts';
import { requiredEnv, startCaseWorkflow } from '../../shared/workflows/sfn-client.ts';

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
    const idempotencyKey = event.headers['idempotency-key'] ?? '';
    const caseId = caseIdFor('tuition-waiver', principal.sub, idempotencyKey);
    logger.appendKeys({ caseId });
    const months = termMonths(body.term);
    let status: string;
    try {
      const { record } = await createCase(
        {
          caseId,
          caseType: 'tuition-waiver',
          applicantSub: principal.sub,
          providerId: body.providerId,
          fingerprint: fingerprintOf(body),
          form: body,
          workflow: {
            executionArn: executionArnFor(stateMachineArn, caseId),
            stateMachineArn,
            ...(versionArn ? { versionArn } : {}),
          },
        },
        { kind: 'person', sub: principal.sub, roles: [...principal.roles] },
        waiverLockItems(caseId, body.child.idNumber, months),
      );
      status = record.status;
    } catch (error) {
      if (error instanceof ChangeRefusedError) {
        const held = await findWaiverLocks(body.child.idNumber, months);
        throw new DuplicateWaiverError(held.filter((lock) => lock.caseId !== caseId));
      }
      if (error instanceof CaseConflictError) {
        await startCaseWorkflow(stateMachineArn, caseId);
        throw new IdempotencyKeyReusedError();
      }
      throw error;
    }
    await startCaseWorkflow(stateMachineArn, caseId);
    metrics.addDimension('caseType', 'tuition-waiver');
    metrics.addMetric('CaseSubmitted', MetricUnit.Count, 1);
    logger.info('Case submitted');
    return jsonResponse(202, { caseId, status });
  },
);
