import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  type IChainable,
  IntegrationPattern,
  JsonPath,
  type RetryProps,
  TaskInput,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { deadlinePassedError } from '../shared/workflows/step-errors.ts';

/*
 * The states every case workflow builds the same way: its human steps (a task opened by
 * create-task, answered by SendTaskSuccess), and the outcomes record-outcome writes when a case
 * ends rejected or expired.
 */

/** A human step's task as create-task receives it (besides the token and the case id). */
export interface HumanTask {
  readonly taskType: string;
  readonly role: string;
  readonly dueInWorkingDays: number;
  /** Overrides the case's district: city-level steps. */
  readonly district?: string;
}

/** SendTaskFailure with this error rejects, as an answer with outcome `reject` does. */
export const rejectedError = 'Rejected';

/** What a waiting step's expiry is caught as: its own timeout, or the sweeper's word. */
export const expiryErrors = ['States.Timeout', deadlinePassedError];

/**
 * Backstops of waiting steps; the working-day due dates are the tasks' own, kept by the deadline
 * sweeper. A family's task expires at its due time (DeadlinePassed), the backstop only catches a
 * sweeper that never ran. Staff and provider tasks are escalated when late, never expired for it:
 * theirs only ends an execution nobody will ever finish, well inside Standard's one-year limit.
 */
export const applicantTaskBackstop = Duration.days(30);
export const staffTaskBackstop = Duration.days(180);

/** A registry that cannot answer is asked again before a person checks by hand. */
export const registryRetry: RetryProps = {
  errors: ['RegistryUnavailableError'],
  interval: Duration.seconds(30),
  maxAttempts: 3,
  backoffRate: 2,
};

/**
 * A step's function that ran out of time (Lambda's `Sandbox.Timedout`; `Lambda.Unknown` from older
 * runtimes) runs again: every step's function is idempotent, and a timed-out step would otherwise
 * fail the execution and leave its case waiting forever. A human step's new attempt comes with a
 * new token, which create-task puts on the task an earlier attempt may have opened.
 */
export const timedOutRetry: RetryProps = {
  errors: ['Sandbox.Timedout', 'Lambda.Unknown'],
  interval: Duration.seconds(2),
  maxAttempts: 3,
  backoffRate: 2,
};

/** Outcomes `RecordOutcome` is asked to write. */
export type CaseOutcome = 'rejected' | 'expired';

export interface StepOptions {
  /** Words for the person who acts, read from the state. */
  readonly notePath?: string;
  /** The task's district, read from the state (e.g. the family's 户籍 district). */
  readonly districtPath?: string;
  /** The step's deadline in seconds, read from the state; the backstop otherwise. */
  readonly timeoutPath?: string;
  /**
   * The task waits on whoever filed the case (shared/tasks/task-record.ts waitsOnApplicant): the
   * applicant's backstop. Defaults to the family's own tasks (role `citizen`).
   */
  readonly waitsOnApplicant?: boolean;
}

export interface CaseSteps {
  /** Writes `outcome` onto the case with the decision (or caught error) at `decisionPath`. */
  recordOutcome(id: string, outcome: CaseOutcome, decisionPath: string): LambdaInvoke;
  /** Opens the task and waits for its decision at `resultPath`; errors leave the step. */
  waitForDecision(
    id: string,
    task: HumanTask,
    resultPath: string,
    options?: StepOptions,
  ): LambdaInvoke;
  /** As waitForDecision, with the case ended `expired` on timeout and `rejected` on `Rejected`. */
  humanStep(id: string, task: HumanTask, resultPath: string, options?: StepOptions): TaskStateBase;
  /** Records the caught error (at `$.error`) as the case's expiry, then `expired`. */
  readonly recordExpired: IChainable;
  /** Records the caught `Rejected` failure (at `$.error`) as the case's rejection, then `rejected`. */
  readonly recordTaskRejected: IChainable;
}

/** The shared states of one workflow, ending in its own `rejected` and `expired` states. */
export function caseSteps(
  scope: Construct,
  fns: { readonly createTask: IFunction; readonly recordOutcome: IFunction },
  ends: { readonly rejected: IChainable; readonly expired: IChainable },
): CaseSteps {
  const recordOutcome = (id: string, outcome: CaseOutcome, decisionPath: string) => {
    const step = new LambdaInvoke(scope, id, {
      lambdaFunction: fns.recordOutcome,
      payload: TaskInput.fromObject({
        caseId: JsonPath.stringAt('$.caseId'),
        outcome,
        decision: JsonPath.objectAt(decisionPath),
      }),
      resultPath: JsonPath.DISCARD,
      payloadResponseOnly: true,
    });
    step.addRetry(timedOutRetry);
    return step;
  };
  const recordExpired = recordOutcome('RecordExpired', 'expired', '$.error').next(ends.expired);
  const recordTaskRejected = recordOutcome('RecordTaskRejected', 'rejected', '$.error').next(
    ends.rejected,
  );

  const waitForDecision = (
    id: string,
    task: HumanTask,
    resultPath: string,
    options: StepOptions = {},
  ) => {
    const step = new LambdaInvoke(scope, id, {
      lambdaFunction: fns.createTask,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        taskToken: JsonPath.taskToken,
        caseId: JsonPath.stringAt('$.caseId'),
        // A new attempt of this state (timedOutRetry) comes with a new token: by the state's name
        // create-task finds the task an earlier attempt opened.
        step: id,
        ...task,
        ...(options.notePath ? { note: JsonPath.stringAt(options.notePath) } : {}),
        ...(options.districtPath ? { district: JsonPath.stringAt(options.districtPath) } : {}),
      }),
      resultPath,
      taskTimeout: options.timeoutPath
        ? Timeout.at(options.timeoutPath)
        : Timeout.duration(
            (options.waitsOnApplicant ?? task.role === 'citizen')
              ? applicantTaskBackstop
              : staffTaskBackstop,
          ),
    });
    step.addRetry(timedOutRetry);
    return step;
  };

  const humanStep = (id: string, task: HumanTask, resultPath: string, options?: StepOptions) =>
    waitForDecision(id, task, resultPath, options)
      .addCatch(recordExpired, { errors: expiryErrors, resultPath: '$.error' })
      .addCatch(recordTaskRejected, { errors: [rejectedError], resultPath: '$.error' });

  return { recordOutcome, waitForDecision, humanStep, recordExpired, recordTaskRejected };
}
