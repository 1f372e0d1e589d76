import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Pass,
  Result,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export interface SubsidyClaimFunctions {
  /** Opens a human task and stores the task token that will resume the execution. */
  readonly createTask: IFunction;
  /** Writes a workflow outcome onto the case (and its audit trail). */
  readonly recordOutcome: IFunction;
}

/** Task type and role of the enrolment confirmation, shared with the task handlers. */
export const confirmEnrollmentTask = {
  taskType: 'confirm-enrollment',
  role: 'provider',
  dueInWorkingDays: 5,
} as const;

/** Task type and role of the family's answer to a request for information. */
export const supplyInfoTask = {
  taskType: 'supply-info',
  role: 'citizen',
  dueInWorkingDays: 15,
} as const;

/**
 * What a decided task hands back through SendTaskSuccess (`$.enrollment`, `$.info`). Only
 * `approve` confirms; `request-info` asks the family and then the provider again; anything
 * else rejects.
 */
export interface TaskDecision {
  readonly outcome: 'approve' | 'reject' | 'request-info';
  readonly reason?: string;
  readonly data?: Record<string, unknown>;
  readonly decidedBy: string;
  readonly taskId: string;
}

/** Outcomes `RecordOutcome` is asked to write. */
export type SubsidyClaimOutcome = 'enrollment-confirmed' | 'rejected' | 'expired';

/**
 * Error name a task answerer passes to SendTaskFailure to reject: a legitimate business end of
 * the claim, not a failure of the workflow.
 */
export const rejectedError = 'Rejected';

/**
 * Backstop for a task nobody answers; the working-day due date is enforced by the task itself.
 */
export const confirmEnrollmentTimeout = Duration.days(30);

/**
 * The family's note when the provider asked for information without saying which (the API
 * requires a reason, so this is a safety net): at least it tells them whom to ask.
 */
export const missingReasonNote = '请联系托育机构，了解需要补充的材料';

/** Backstop for a request for information the family never answers. */
export const supplyInfoTimeout = Duration.days(30);

/**
 * 入托补助 (childcare enrolment subsidy), second slice: the provider confirms the child's
 * enrolment, asking the family for information as often as it needs to, then the outcome is
 * recorded. Input `{"caseId": "..."}`; only ids and decisions move between states, never
 * personal data (that stays in the table).
 *
 * `Rejected` arrives two ways: as an answer whose outcome is neither `approve` nor
 * `request-info` (its decision is at `$.enrollment`), or as a SendTaskFailure with error
 * `Rejected` (the error is at `$.error`). JSONPath cannot fall back from one path to the other,
 * hence two recording states.
 */
export function subsidyClaimDefinition(scope: Construct, fns: SubsidyClaimFunctions): IChainable {
  const recordOutcome = (id: string, outcome: SubsidyClaimOutcome, decisionPath: string) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction: fns.recordOutcome,
      payload: TaskInput.fromObject({
        caseId: JsonPath.stringAt('$.caseId'),
        outcome,
        decision: JsonPath.objectAt(decisionPath),
      }),
      payloadResponseOnly: true,
    });

  // Rejection and expiry are business outcomes: the execution succeeds, the case records why.
  const enrollmentConfirmed = new Succeed(scope, 'EnrollmentConfirmed');
  const claimRejected = new Succeed(scope, 'ClaimRejected');
  const claimExpired = new Succeed(scope, 'ClaimExpired');

  const recordConfirmed = recordOutcome(
    'RecordEnrollmentConfirmed',
    'enrollment-confirmed',
    '$.enrollment',
  ).next(enrollmentConfirmed);
  const recordRejected = recordOutcome('RecordRejected', 'rejected', '$.enrollment').next(
    claimRejected,
  );
  const recordTaskRejected = recordOutcome('RecordTaskRejected', 'rejected', '$.error').next(
    claimRejected,
  );
  const recordExpired = recordOutcome('RecordExpired', 'expired', '$.error').next(claimExpired);

  const confirmEnrollment = new LambdaInvoke(scope, 'ConfirmEnrollment', {
    lambdaFunction: fns.createTask,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({
      taskToken: JsonPath.taskToken,
      caseId: JsonPath.stringAt('$.caseId'),
      ...confirmEnrollmentTask,
    }),
    resultPath: '$.enrollment',
    taskTimeout: Timeout.duration(confirmEnrollmentTimeout),
  })
    .addCatch(recordExpired, { errors: ['States.Timeout'], resultPath: '$.error' })
    .addCatch(recordTaskRejected, { errors: [rejectedError], resultPath: '$.error' });

  const requestInfo = new LambdaInvoke(scope, 'RequestInfo', {
    lambdaFunction: fns.createTask,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({
      taskToken: JsonPath.taskToken,
      caseId: JsonPath.stringAt('$.caseId'),
      ...supplyInfoTask,
      // What the provider asked for, in its own words: the family's task shows it.
      note: JsonPath.stringAt('$.enrollment.reason'),
    }),
    resultPath: '$.info',
    taskTimeout: Timeout.duration(supplyInfoTimeout),
  }).addCatch(recordExpired, { errors: ['States.Timeout'], resultPath: '$.error' });
  requestInfo.next(confirmEnrollment);

  // The API requires a reason for request-info; should one still arrive without, a missing path
  // would be a States.Runtime error no Catch can take, and the claim would die with it.
  const withoutReason = new Pass(scope, 'NoReasonGiven', {
    result: Result.fromString(missingReasonNote),
    resultPath: '$.enrollment.reason',
  }).next(requestInfo);

  const requestsInfo = Condition.stringEquals('$.enrollment.outcome', 'request-info');
  const enrollmentDecision = new Choice(scope, 'Enrollment confirmed?')
    .when(Condition.stringEquals('$.enrollment.outcome', 'approve'), recordConfirmed)
    .when(Condition.and(requestsInfo, Condition.isNotPresent('$.enrollment.reason')), withoutReason)
    .when(requestsInfo, requestInfo)
    .otherwise(recordRejected);

  return confirmEnrollment.next(enrollmentDecision);
}
