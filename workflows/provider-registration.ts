import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Fail,
  type IChainable,
  JsonPath,
  Parallel,
  Pass,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { amendDueInWorkingDays } from '../shared/registration/registration-deadlines.ts';
import {
  caseSteps,
  expiryErrors,
  type HumanTask,
  registryRetry,
  rejectedError,
  timedOutRetry,
} from './steps.ts';

export interface ProviderRegistrationFunctions {
  readonly createTask: IFunction;
  readonly recordOutcome: IFunction;
  /** The standards check (一次性告知): every finding at once, and which reviews a filing needs. */
  readonly checkStandards: IFunction;
  /** Applies the provider's amendment to the filing before it is checked again. */
  readonly applyAmendment: IFunction;
  /** Records the receipt (回执) and tells the provider. */
  readonly issueReceipt: IFunction;
  /** Approves the case and enters the provider in the registry, in one transaction. */
  readonly registerProvider: IFunction;
}

/** The provider corrects a filing the standards check found wanting (15 working days). */
export const amendRegistrationTask = {
  taskType: 'amend-registration',
  role: 'provider',
  dueInWorkingDays: amendDueInWorkingDays,
} as const satisfies HumanTask;

/** The provider answers a department's request for information. */
export const providerSupplyInfoTask = {
  taskType: 'supply-info',
  role: 'provider',
  dueInWorkingDays: 10,
} as const satisfies HumanTask;

/** The three departments that review a filing side by side. */
export const departmentReviews = {
  health: { taskType: 'health-review', role: 'caseworker', dueInWorkingDays: 5 },
  fire: { taskType: 'fire-review', role: 'fire', dueInWorkingDays: 5 },
  market: { taskType: 'market-review', role: 'market', dueInWorkingDays: 5 },
} as const satisfies Record<string, HumanTask>;
export type Department = keyof typeof departmentReviews;

/** A district caseworker visits the premises; the date is set when the task is claimed. */
export const onSiteInspectionTask = {
  taskType: 'on-site-inspection',
  role: 'caseworker',
  dueInWorkingDays: 10,
} as const satisfies HumanTask;

/** The city confirms the registration. */
export const cityConfirmationTask = {
  taskType: 'city-confirmation',
  role: 'supervisor',
  dueInWorkingDays: 5,
  district: 'city',
} as const satisfies HumanTask;

/** A caseworker checks by hand what the enterprise registry could not answer. */
export const standardsManualCheckTask = {
  taskType: 'manual-check',
  role: 'caseworker',
  dueInWorkingDays: 5,
} as const satisfies HumanTask;

/** A department's rejection, raised by its branch so that the Parallel state stops the others. */
export const departmentRejectedError = 'DepartmentRejected';

const capitalised = (name: string) => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;

/**
 * 托育机构备案 (provider registration, new or a change): standards check (all findings at once;
 * the provider amends and it is checked again) → receipt → health, fire and market reviews in
 * parallel (each may ask the provider for information; any rejection ends the filing and stops the
 * other reviews) → on-site inspection → city confirmation → the provider enters the registry.
 * A change filing runs the same states; the check says which reviews the change needs and the
 * others pass at once. Input `{"caseId": "…"}`; only ids and decisions move between states.
 */
export function providerRegistrationDefinition(
  scope: Construct,
  fns: ProviderRegistrationFunctions,
): IChainable {
  const registered = new Succeed(scope, 'ProviderRegistered');
  const rejected = new Succeed(scope, 'RegistrationRejected');
  const expired = new Succeed(scope, 'RegistrationExpired');

  // Human steps outside the Parallel state end the case themselves on expiry or failure; those
  // inside it (waitForDecision) leave their errors to the Parallel state's catches.
  const { recordOutcome, recordExpired, recordTaskRejected, waitForDecision, humanStep } =
    caseSteps(scope, fns, { rejected, expired });

  /**
   * A staff step whose decision at `path` approves (→ `onApprove`), asks the provider (who answers,
   * and the same step decides again) or rejects the filing.
   */
  const staffStep = (name: string, task: HumanTask, path: string, onApprove: IChainable) => {
    const step = humanStep(name, task, path);
    const askProvider = humanStep(`${name}AsksProvider`, providerSupplyInfoTask, '$.info', {
      notePath: `${path}.reason`,
      waitsOnApplicant: true,
    });
    askProvider.next(step);
    step.next(
      new Choice(scope, `${name}Decision`)
        .when(Condition.stringEquals(`${path}.outcome`, 'approve'), onApprove)
        .when(Condition.stringEquals(`${path}.outcome`, 'request-info'), askProvider)
        .otherwise(recordOutcome(`Record${name}Rejected`, 'rejected', path).next(rejected)),
    );
    return step;
  };

  const registerProvider = new LambdaInvoke(scope, 'RegisterProvider', {
    lambdaFunction: fns.registerProvider,
    payload: TaskInput.fromObject({
      caseId: JsonPath.stringAt('$.caseId'),
      confirmation: JsonPath.objectAt('$.confirmation'),
    }),
    resultPath: JsonPath.DISCARD,
    payloadResponseOnly: true,
  })
    // The provider changed (a suspension) while it was read: read it again and write again.
    .addRetry({
      errors: ['ChangeRefusedError', 'ServiceBusyError'],
      interval: Duration.seconds(2),
      maxAttempts: 5,
      backoffRate: 2,
    })
    .addRetry(timedOutRetry)
    .next(registered);
  const cityConfirmation = staffStep(
    'CityConfirmation',
    cityConfirmationTask,
    '$.confirmation',
    registerProvider,
  );
  const inspection = staffStep(
    'OnSiteInspection',
    onSiteInspectionTask,
    '$.inspection',
    cityConfirmation,
  );

  /**
   * One department's branch. Errors leave the branch (the Parallel state's catches end the case);
   * a rejection becomes the branch's failure, carrying the decision as its cause.
   */
  const reviewBranch = (department: Department) => {
    const name = capitalised(department);
    const reviewPath = '$.review';
    const approved = new Pass(scope, `${name}Approved`, {
      parameters: { department, 'decision.$': reviewPath },
    });
    const review = waitForDecision(`${name}Review`, departmentReviews[department], reviewPath);
    const askProvider = waitForDecision(`${name}AsksProvider`, providerSupplyInfoTask, '$.info', {
      notePath: `${reviewPath}.reason`,
      waitsOnApplicant: true,
    });
    askProvider.next(review);
    const rejection = new Pass(scope, `${name}RejectionCause`, {
      parameters: { 'cause.$': `States.JsonToString(${reviewPath})` },
      resultPath: '$.rejection',
    }).next(
      new Fail(scope, `${name}Rejected`, {
        error: departmentRejectedError,
        causePath: '$.rejection.cause',
      }),
    );
    review.next(
      new Choice(scope, `${name}Decision`)
        .when(Condition.stringEquals(`${reviewPath}.outcome`, 'approve'), approved)
        .when(Condition.stringEquals(`${reviewPath}.outcome`, 'request-info'), askProvider)
        .otherwise(rejection),
    );
    // A change filing needs only the reviews its changes touch.
    return new Choice(scope, `${name}Needed?`)
      .when(Condition.booleanEquals(`$.standards.reviews.${department}`, true), review)
      .otherwise(
        new Pass(scope, `${name}NotNeeded`, { parameters: { department, skipped: true } }),
      );
  };

  const rejectedByDepartment = new Pass(scope, 'RejectionDecision', {
    parameters: { 'decision.$': 'States.StringToJson($.error.Cause)' },
    resultPath: '$.rejection',
  }).next(
    recordOutcome('RecordDepartmentRejected', 'rejected', '$.rejection.decision').next(rejected),
  );
  const reviews = new Parallel(scope, 'DepartmentReviews', { resultPath: '$.reviews' })
    .branch(reviewBranch('health'))
    .branch(reviewBranch('fire'))
    .branch(reviewBranch('market'))
    .addCatch(rejectedByDepartment, { errors: [departmentRejectedError], resultPath: '$.error' })
    .addCatch(recordExpired, { errors: expiryErrors, resultPath: '$.error' })
    .addCatch(recordTaskRejected, { errors: [rejectedError], resultPath: '$.error' });
  reviews.next(
    new Choice(scope, 'InspectionNeeded?')
      .when(Condition.booleanEquals('$.standards.reviews.inspection', true), inspection)
      .otherwise(cityConfirmation),
  );

  const receipt = new LambdaInvoke(scope, 'IssueReceipt', {
    lambdaFunction: fns.issueReceipt,
    payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
    resultPath: '$.receipt',
    payloadResponseOnly: true,
  })
    .addRetry(timedOutRetry)
    .next(reviews);

  const checkStandards = new LambdaInvoke(scope, 'CheckStandards', {
    lambdaFunction: fns.checkStandards,
    payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
    resultPath: '$.standards',
    payloadResponseOnly: true,
  })
    .addRetry(registryRetry)
    .addRetry(timedOutRetry);

  // The provider corrects the filing; it is checked again from the start.
  const applyAmendment = new LambdaInvoke(scope, 'ApplyAmendment', {
    lambdaFunction: fns.applyAmendment,
    payload: TaskInput.fromObject({
      caseId: JsonPath.stringAt('$.caseId'),
      decision: JsonPath.objectAt('$.amendment'),
    }),
    resultPath: JsonPath.DISCARD,
    payloadResponseOnly: true,
  })
    .addRetry(timedOutRetry)
    .next(checkStandards);
  const amend = humanStep('AmendFiling', amendRegistrationTask, '$.amendment', {
    notePath: '$.standards.note',
    timeoutPath: '$.standards.amendTimeoutSeconds',
  }).next(applyAmendment);

  const standardsMet = new Choice(scope, 'StandardsMet?')
    .when(Condition.booleanEquals('$.standards.compliant', true), receipt)
    .otherwise(amend);

  // The enterprise registry did not answer: a caseworker checks the organisation by hand, and the
  // rest of the standards are checked with the organisation taken as confirmed.
  const recheck = new LambdaInvoke(scope, 'CheckStandardsConfirmed', {
    lambdaFunction: fns.checkStandards,
    payload: TaskInput.fromObject({
      caseId: JsonPath.stringAt('$.caseId'),
      enterpriseConfirmed: true,
    }),
    resultPath: '$.standards',
    payloadResponseOnly: true,
  })
    .addRetry(timedOutRetry)
    .next(standardsMet);
  const manualCheck = humanStep('StandardsManualCheck', standardsManualCheckTask, '$.manualCheck');
  manualCheck.next(
    new Choice(scope, 'ManualCheckPassed?')
      .when(Condition.stringEquals('$.manualCheck.outcome', 'approve'), recheck)
      .otherwise(
        recordOutcome('RecordManualCheckRejected', 'rejected', '$.manualCheck').next(rejected),
      ),
  );
  checkStandards.addCatch(manualCheck, {
    errors: ['RegistryUnavailableError'],
    resultPath: '$.error',
  });

  return checkStandards.next(standardsMet);
}
