import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  JsonPath,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { caseSteps, type HumanTask, registryRetry, timedOutRetry } from './steps.ts';

export interface TuitionWaiverFunctions {
  readonly createTask: IFunction;
  readonly recordOutcome: IFunction;
  /** The automatic checks: household and civil-affairs registries, provider, policy. */
  readonly checkWaiver: IFunction;
  /** Approves the waiver: a waiver record per month, milk-subsidy payments, notifications. */
  readonly approveWaiver: IFunction;
}

/** Civil affairs checks a hardship certificate its registry has no record of. */
export const verifyHardshipTask = {
  taskType: 'verify-hardship',
  role: 'civil-affairs',
  dueInWorkingDays: 5,
} as const satisfies HumanTask;

/** The provider confirms the enrolment and the tuition it actually charges. */
export const confirmTuitionTask = {
  taskType: 'confirm-tuition',
  role: 'provider',
  dueInWorkingDays: 5,
} as const satisfies HumanTask;

/** The district's caseworker reviews the waiver. */
export const waiverReviewTask = {
  taskType: 'district-review',
  role: 'caseworker',
  dueInWorkingDays: 10,
} as const satisfies HumanTask;

/** The family supplies what was asked for. */
export const waiverSupplyInfoTask = {
  taskType: 'supply-info',
  role: 'citizen',
  dueInWorkingDays: 10,
} as const satisfies HumanTask;

/** A caseworker checks by hand what the household registry could not answer. */
export const waiverManualCheckTask = {
  taskType: 'manual-check',
  role: 'caseworker',
  dueInWorkingDays: 5,
} as const satisfies HumanTask;

/**
 * 困难家庭学费减免 and 爱心牛奶: automatic checks (every reason at once; months past the third
 * birthday or the hardship status cut) → civil affairs verifies by hand when its registry has no
 * record → the provider confirms the enrolment and the tuition → the district reviews (asking the
 * family as often as needed) → approved: waiver records per month and milk-subsidy payments.
 * Input `{"caseId": "…"}`; only ids, months and decisions move between states.
 */
export function tuitionWaiverDefinition(scope: Construct, fns: TuitionWaiverFunctions): IChainable {
  const approved = new Succeed(scope, 'WaiverApproved');
  const rejected = new Succeed(scope, 'WaiverRejected');
  const expired = new Succeed(scope, 'WaiverExpired');

  const { recordOutcome, humanStep } = caseSteps(scope, fns, { rejected, expired });

  /** A decision at `path`: approve → `onApprove`; request-info → the family; else rejected. */
  const decision = (name: string, path: string, onApprove: IChainable, askFamily: IChainable) =>
    new Choice(scope, `${name}Decision`)
      .when(Condition.stringEquals(`${path}.outcome`, 'approve'), onApprove)
      .when(Condition.stringEquals(`${path}.outcome`, 'request-info'), askFamily)
      .otherwise(recordOutcome(`Record${name}Rejected`, 'rejected', path).next(rejected));

  const approve = new LambdaInvoke(scope, 'ApproveWaiver', {
    lambdaFunction: fns.approveWaiver,
    payload: TaskInput.fromObject({
      caseId: JsonPath.stringAt('$.caseId'),
      checks: JsonPath.objectAt('$.checks'),
      enrollment: JsonPath.objectAt('$.enrollment'),
      decision: JsonPath.objectAt('$.review'),
    }),
    resultPath: JsonPath.DISCARD,
    payloadResponseOnly: true,
  })
    .addRetry(timedOutRetry)
    .next(approved);

  // The district reviews; the family answers its questions.
  const review = humanStep('DistrictReview', waiverReviewTask, '$.review');
  const amend = humanStep('AmendWaiver', waiverSupplyInfoTask, '$.amendment', {
    notePath: '$.review.reason',
  });
  amend.next(review);
  review.next(decision('Review', '$.review', approve, amend));

  // The provider confirms the enrolment and the tuition it charges.
  const confirm = humanStep('ConfirmTuition', confirmTuitionTask, '$.enrollment');
  const askFamily = humanStep('RequestInfo', waiverSupplyInfoTask, '$.info', {
    notePath: '$.enrollment.reason',
  });
  askFamily.next(confirm);
  confirm.next(decision('Confirmation', '$.enrollment', review, askFamily));

  /** A check's verdict: eligible → the provider; needs verification → civil affairs; else ended. */
  const verdict = (name: string, onNeedsVerification: IChainable) =>
    new Choice(scope, name)
      .when(Condition.stringEquals('$.checks.outcome', 'eligible'), confirm)
      .when(Condition.stringEquals('$.checks.outcome', 'needs-verification'), onNeedsVerification)
      // The check recorded the rejection, with every reason, itself.
      .otherwise(rejected);

  const check = (id: string, confirmed: Record<string, unknown>) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction: fns.checkWaiver,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId'), ...confirmed }),
      resultPath: '$.checks',
      payloadResponseOnly: true,
    })
      .addRetry(registryRetry)
      .addRetry(timedOutRetry);

  // Civil affairs has no record: its staff check the certificate and decide the category.
  const verify = humanStep('VerifyHardship', verifyHardshipTask, '$.verification', {
    notePath: '$.checks.note',
    districtPath: '$.checks.hukouDistrict',
  });
  const checkVerified = check('CheckVerifiedWaiver', {
    hardshipVerified: JsonPath.objectAt('$.verification.data'),
  });
  // Cannot need verification again once verified; if it did, civil affairs would be asked again.
  checkVerified.next(verdict('Verified eligible?', verify));
  verify.next(
    new Choice(scope, 'Hardship verified?')
      .when(Condition.stringEquals('$.verification.outcome', 'approve'), checkVerified)
      .otherwise(
        recordOutcome('RecordVerificationRejected', 'rejected', '$.verification').next(rejected),
      ),
  );

  // The household registry did not answer: a caseworker checks 户籍 by hand.
  const manualCheck = humanStep('ManualCheck', waiverManualCheckTask, '$.manualCheck');
  const checkConfirmed = check('CheckConfirmedWaiver', { residentConfirmed: true });
  checkConfirmed.addCatch(manualCheck, {
    errors: ['RegistryUnavailableError'],
    resultPath: '$.error',
  });
  checkConfirmed.next(verdict('Confirmed eligible?', verify));
  manualCheck.next(
    new Choice(scope, 'Manual check passed?')
      .when(Condition.stringEquals('$.manualCheck.outcome', 'approve'), checkConfirmed)
      .otherwise(
        recordOutcome('RecordManualCheckRejected', 'rejected', '$.manualCheck').next(rejected),
      ),
  );
  checkVerified.addCatch(manualCheck, {
    errors: ['RegistryUnavailableError'],
    resultPath: '$.error',
  });

  const checks = check('CheckWaiver', {}).addCatch(manualCheck, {
    errors: ['RegistryUnavailableError'],
    resultPath: '$.error',
  });
  return checks.next(verdict('Eligible?', verify));
}
