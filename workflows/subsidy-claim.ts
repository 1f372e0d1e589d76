import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  IntegrationPattern,
  JsonPath,
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
 * 入托补助 (childcare enrolment subsidy), first slice: the provider confirms the child's
 * enrolment, then the outcome is recorded. Input `{"caseId": "..."}`; only ids and decisions move
 * between states, never personal data (that stays in the table).
 *
 * `Rejected` arrives two ways: as an answer whose outcome is not `approve` (its decision is at
 * `$.enrollment`), or as a SendTaskFailure with error `Rejected` (the error is at `$.error`).
 * JSONPath cannot fall back from one path to the other, hence two recording states.
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

  const enrollmentDecision = new Choice(scope, 'Enrollment confirmed?')
    .when(Condition.stringEquals('$.enrollment.outcome', 'approve'), recordConfirmed)
    .otherwise(recordRejected);

  return confirmEnrollment.next(enrollmentDecision);
}
