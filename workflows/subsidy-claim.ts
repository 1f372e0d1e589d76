import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  JsonPath,
  Pass,
  Result,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { caseSteps, registryRetry, timedOutRetry } from './steps.ts';

export interface SubsidyClaimFunctions {
  /** Opens a human task and stores the task token that will resume the execution. */
  readonly createTask: IFunction;
  /** Writes a workflow outcome (rejected, expired) onto the case and its audit trail. */
  readonly recordOutcome: IFunction;
  /** The automatic checks: registries, provider registry, policy. */
  readonly checkEligibility: IFunction;
  /** Approves the claim and files its payment records. */
  readonly approveClaim: IFunction;
}

/** The provider confirms (or corrects) that the child attends. */
export const confirmEnrollmentTask = {
  taskType: 'confirm-enrollment',
  role: 'provider',
  dueInWorkingDays: 5,
} as const;

/** The district's caseworker reviews the claim. */
export const districtReviewTask = {
  taskType: 'district-review',
  role: 'caseworker',
  dueInWorkingDays: 10,
} as const;

/** A caseworker checks by hand what a registry could not answer. */
export const manualCheckTask = {
  taskType: 'manual-check',
  role: 'caseworker',
  dueInWorkingDays: 5,
} as const;

/** The family supplies what was asked for. */
export const supplyInfoTask = {
  taskType: 'supply-info',
  role: 'citizen',
  dueInWorkingDays: 10,
} as const;

/** What a decided task hands back (see shared/tasks/task-actions.ts). */
export interface TaskDecision {
  readonly outcome: 'approve' | 'reject' | 'request-info';
  readonly reason?: string;
  readonly data?: Record<string, unknown>;
  readonly decidedBy: string;
  readonly taskId: string;
}

/** What the family is told when a request for information came without a reason. */
export const missingReasonNote = '请联系经办人员，了解需要补充的材料';

/**
 * 入托补助 (childcare enrolment subsidy): automatic checks → the provider confirms the enrolment →
 * the district reviews (asking the family for information as often as needed) → approved with
 * payment records, or rejected / expired. Input `{"caseId": "…"}`; only ids and decisions move
 * between states, never personal data.
 */
export function subsidyClaimDefinition(scope: Construct, fns: SubsidyClaimFunctions): IChainable {
  const claimApproved = new Succeed(scope, 'ClaimApproved');
  const claimRejected = new Succeed(scope, 'ClaimRejected');
  const claimExpired = new Succeed(scope, 'ClaimExpired');

  const { recordOutcome, humanStep } = caseSteps(scope, fns, {
    rejected: claimRejected,
    expired: claimExpired,
  });

  // Approval: the case approved and its payment records filed, in one transaction.
  const approve = new LambdaInvoke(scope, 'ApproveClaim', {
    lambdaFunction: fns.approveClaim,
    payload: TaskInput.fromObject({
      caseId: JsonPath.stringAt('$.caseId'),
      decision: JsonPath.objectAt('$.review'),
      // The provider may have confirmed fewer months than claimed.
      enrollment: JsonPath.objectAt('$.enrollment'),
    }),
    resultPath: JsonPath.DISCARD,
    payloadResponseOnly: true,
  })
    .addRetry(timedOutRetry)
    .next(claimApproved);

  /**
   * What follows a human decision at `path`: approve → `onApprove`; request-info → `askFamily`
   * (with a fixed note when no reason came); anything else → recorded as rejected.
   */
  const decisionChoice = (
    names: { choice: string; noReason: string; rejected: string },
    path: string,
    onApprove: IChainable,
    askFamily: IChainable,
  ) => {
    const requestsInfo = Condition.stringEquals(`${path}.outcome`, 'request-info');
    return new Choice(scope, names.choice)
      .when(Condition.stringEquals(`${path}.outcome`, 'approve'), onApprove)
      .when(
        Condition.and(requestsInfo, Condition.isNotPresent(`${path}.reason`)),
        new Pass(scope, names.noReason, {
          result: Result.fromString(missingReasonNote),
          resultPath: `${path}.reason`,
        }).next(askFamily),
      )
      .when(requestsInfo, askFamily)
      .otherwise(recordOutcome(names.rejected, 'rejected', path).next(claimRejected));
  };

  // District review, and the family's answers to its questions.
  const districtReview = humanStep('DistrictReview', districtReviewTask, '$.review');
  const amend = humanStep('AmendClaim', supplyInfoTask, '$.amendment', {
    notePath: '$.review.reason',
  });
  amend.next(districtReview);
  districtReview.next(
    decisionChoice(
      {
        choice: 'Review decision',
        noReason: 'ReviewWithoutReason',
        rejected: 'RecordReviewRejected',
      },
      '$.review',
      approve,
      amend,
    ),
  );

  // The provider confirms the enrolment (or asks the family first).
  const confirmEnrollment = humanStep('ConfirmEnrollment', confirmEnrollmentTask, '$.enrollment');
  const requestInfo = humanStep('RequestInfo', supplyInfoTask, '$.info', {
    notePath: '$.enrollment.reason',
  });
  requestInfo.next(confirmEnrollment);
  confirmEnrollment.next(
    decisionChoice(
      { choice: 'Enrollment confirmed?', noReason: 'NoReasonGiven', rejected: 'RecordRejected' },
      '$.enrollment',
      districtReview,
      requestInfo,
    ),
  );

  // A registry that cannot answer is retried, then a caseworker checks by hand.
  const manualCheck = humanStep('ManualCheck', manualCheckTask, '$.manualCheck');
  manualCheck.next(
    new Choice(scope, 'Manual check passed?')
      .when(Condition.stringEquals('$.manualCheck.outcome', 'approve'), confirmEnrollment)
      .otherwise(
        recordOutcome('RecordManualCheckRejected', 'rejected', '$.manualCheck').next(claimRejected),
      ),
  );

  // The automatic checks reject an ineligible claim themselves, with every reason at once.
  const checks = new LambdaInvoke(scope, 'CheckEligibility', {
    lambdaFunction: fns.checkEligibility,
    payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
    resultPath: '$.checks',
    payloadResponseOnly: true,
  })
    .addRetry(registryRetry)
    .addRetry(timedOutRetry)
    .addCatch(manualCheck, { errors: ['RegistryUnavailableError'], resultPath: '$.error' });

  return checks.next(
    new Choice(scope, 'Eligible?')
      .when(Condition.booleanEquals('$.checks.eligible', true), confirmEnrollment)
      .otherwise(claimRejected),
  );
}
