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
import { subsidyClaimFormSchema } from '../../shared/subsidy/claim-form.ts';
import {
  claimLockItems,
  DuplicateClaimError,
  findClaimLocks,
} from '../../shared/subsidy/claim-locks.ts';
import { preSubmissionChecks } from '../../shared/subsidy/eligibility.ts';
import { ClaimNotEligibleError } from '../../shared/subsidy/not-eligible-error.ts';
import { policyFor } from '../../shared/subsidy/policy/policy.ts';
import { executionArnFor } from '../../shared/workflows/execution-arn.ts';
import { requiredEnv, startCaseWorkflow } from '../../shared/workflows/sfn-client.ts';

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
    const idempotencyKey = event.headers['idempotency-key'] ?? '';
    const caseId = caseIdFor('subsidy-claim', principal.sub, idempotencyKey);
    logger.appendKeys({ caseId });
    let record: Awaited<ReturnType<typeof createCase>>['record'];
    try {
      ({ record } = await createCase(
        {
          caseId,
          caseType: 'subsidy-claim',
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
        claimLockItems(caseId, body.child.idNumber, body.months),
      ));
    } catch (error) {
      // Another case holds some of these child-months.
      if (error instanceof ChangeRefusedError) {
        const held = await findClaimLocks(body.child.idNumber, body.months);
        throw new DuplicateClaimError(held.filter((lock) => lock.caseId !== caseId));
      }
      // An earlier attempt with this key left a case with another form behind. That attempt may
      // have failed before starting its workflow: start it now, so the case is not stranded.
      if (error instanceof CaseConflictError) {
        await startCaseWorkflow(stateMachineArn, caseId);
        throw new IdempotencyKeyReusedError();
      }
      throw error;
    }
    await startCaseWorkflow(stateMachineArn, caseId);
    metrics.addDimension('caseType', 'subsidy-claim');
    metrics.addMetric('CaseSubmitted', MetricUnit.Count, 1);
    logger.info('Case submitted');
    return jsonResponse(202, { caseId, status: record.status });
  },
);
