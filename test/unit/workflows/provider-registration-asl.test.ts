import { createRequire } from 'node:module';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import type { ShanyuFunction } from '../../../infra/constructs/shanyu-function.ts';
import type { WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';
import {
  type Department,
  departmentRejectedError,
  departmentReviews,
} from '../../../workflows/provider-registration.ts';

type AslValidator = (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};
// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string;
  Next: string;
}
interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  ResultPath?: string | null;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: Catcher[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  Branches?: Asl[];
  Error?: string;
  CausePath?: string;
  Next?: string;
  End?: boolean;
}
interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

const lambdaArn = (logicalId: string) =>
  `arn:aws:lambda:cn-north-1:123456789012:function:${logicalId}`;
const waitForTaskToken = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Turns the template's `Fn::Join` into plain ASL, standing in for CloudFormation. */
function resolveDefinition(definitionString: unknown): Asl {
  const [separator, parts] = (definitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (token.Ref === 'AWS::Partition') return 'aws';
      if (token['Fn::GetAtt']?.[1] === 'Arn') return lambdaArn(token['Fn::GetAtt'][0]);
      throw new Error(`Unexpected token in the definition: ${JSON.stringify(part)}`);
    })
    .join(separator);
  return JSON.parse(text) as Asl;
}

/** Every state with the name of the branch holding it (`top` outside any Parallel). */
function allStates(asl: Asl, where = 'top'): { name: string; where: string; state: AslState }[] {
  return Object.entries(asl.States).flatMap(([name, state]) => [
    { name, where, state },
    ...(state.Branches ?? []).flatMap((branch, index) => allStates(branch, `${name}[${index}]`)),
  ]);
}

function stateIn(machine: Asl, name: string): AslState {
  const found = machine.States[name];
  if (!found) throw new Error(`No state named ${name}`);
  return found;
}

const capitalised = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}`;
const departments = Object.keys(departmentReviews) as Department[];

describe('the provider registration ASL', () => {
  let asl: Asl;
  let fns: Record<
    'createTask' | 'recordOutcome' | 'checkStandards' | 'applyAmendment' | 'registerProvider',
    string
  >;

  beforeAll(() => {
    const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    const template = Template.fromStack(stack);
    const machineId = stack.getLogicalId(
      stack.providerRegistration.stateMachine.node.defaultChild as never,
    );
    asl = resolveDefinition(template.toJSON().Resources[machineId]?.Properties.DefinitionString);
    const arnOf = (fn: ShanyuFunction) =>
      lambdaArn(stack.getLogicalId(fn.node.defaultChild as never));
    fns = {
      createTask: arnOf(stack.createTask),
      recordOutcome: arnOf(stack.recordOutcome),
      checkStandards: arnOf(stack.checkRegistrationStandards),
      applyAmendment: arnOf(stack.applyRegistrationAmendment),
      registerProvider: arnOf(stack.registerProvider),
    };
    // Synthesizing the whole app takes well over the default 10 s on a busy machine.
  }, 180_000);

  const reviews = () => stateIn(asl, 'DepartmentReviews');
  const branchOf = (department: Department): Asl => {
    const branch = reviews().Branches?.find(
      (candidate) => candidate.StartAt === `${capitalised(department)}Needed?`,
    );
    if (!branch) throw new Error(`No branch for ${department}`);
    return branch;
  };

  it('is ASL that asl-validator accepts', () => {
    // Prepare
    const definition = asl;

    // Act
    const result = validateAsl(definition);

    // Assess
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    expect(validateAsl({ ...asl, StartAt: 'NoSuchState' }).isValid).toBe(false);
  });

  it('names every state once across all branches, as the local runtime needs', () => {
    // Prepare
    const names = allStates(asl).map((entry) => entry.name);

    // Act
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);

    // Assess
    expect(names.length).toBeGreaterThan(40);
    expect(repeated).toEqual([]);
  });

  it('reviews in a Parallel state with one branch per department, after the receipt', () => {
    // Prepare
    const receipt = stateIn(asl, 'IssueReceipt');

    // Act
    const parallel = reviews();

    // Assess
    expect(receipt.Next).toBe('DepartmentReviews');
    expect(parallel.Type).toBe('Parallel');
    expect(parallel.Branches?.map((branch) => branch.StartAt)).toEqual([
      'HealthNeeded?',
      'FireNeeded?',
      'MarketNeeded?',
    ]);
    expect(parallel.ResultPath).toBe('$.reviews');
    expect(parallel.Next).toBe('InspectionNeeded?');
  });

  it.each([
    ['health', 'health-review', 'caseworker'],
    ['fire', 'fire-review', 'fire'],
    ['market', 'market-review', 'market'],
  ] as const)(
    'waits in the %s branch on a %s task for the %s role',
    (department, taskType, role) => {
      // Prepare
      const branch = branchOf(department);

      // Act
      const waiting = Object.entries(branch.States).filter(
        ([, candidate]) => candidate.Resource === waitForTaskToken,
      );
      const review = stateIn(branch, `${capitalised(department)}Review`);

      // Assess
      expect(waiting.map(([name]) => name).sort()).toEqual(
        [`${capitalised(department)}AsksProvider`, `${capitalised(department)}Review`].sort(),
      );
      expect(review.Parameters).toEqual({
        FunctionName: fns.createTask,
        Payload: {
          'taskToken.$': '$$.Task.Token',
          'caseId.$': '$.caseId',
          step: `${capitalised(department)}Review`,
          taskType,
          role,
          dueInWorkingDays: 5,
        },
      });
      expect(departmentReviews[department]).toEqual({ taskType, role, dueInWorkingDays: 5 });
      expect(review.ResultPath).toBe('$.review');
      // Late reviews are escalated, not expired: the backstop only ends abandoned filings.
      expect(review.TimeoutSeconds).toBe(180 * 24 * 60 * 60);
      // Errors leave the branch: the Parallel state's catches end the case.
      expect(review.Catch).toBeUndefined();
    },
  );

  it.each(departments)(
    'runs the %s review only when the standards check says it is needed',
    (department) => {
      // Prepare
      const name = capitalised(department);
      const branch = branchOf(department);

      // Act
      const needed = stateIn(branch, `${name}Needed?`);

      // Assess
      expect(needed.Choices).toEqual([
        {
          Variable: `$.standards.reviews.${department}`,
          BooleanEquals: true,
          Next: `${name}Review`,
        },
      ]);
      expect(needed.Default).toBe(`${name}NotNeeded`);
      expect(stateIn(branch, `${name}NotNeeded`)).toMatchObject({
        Type: 'Pass',
        Parameters: { department, skipped: true },
        End: true,
      });
    },
  );

  it.each(departments)(
    'ends the %s branch with its decision, or asks the provider and reviews again',
    (department) => {
      // Prepare
      const name = capitalised(department);
      const branch = branchOf(department);

      // Act
      const decision = stateIn(branch, `${name}Decision`);

      // Assess
      expect(decision.Choices).toEqual([
        { Variable: '$.review.outcome', StringEquals: 'approve', Next: `${name}Approved` },
        { Variable: '$.review.outcome', StringEquals: 'request-info', Next: `${name}AsksProvider` },
      ]);
      expect(stateIn(branch, `${name}Approved`)).toMatchObject({
        Type: 'Pass',
        Parameters: { department, 'decision.$': '$.review' },
        End: true,
      });
      const ask = stateIn(branch, `${name}AsksProvider`);
      expect(ask.Parameters?.Payload).toMatchObject({
        taskType: 'supply-info',
        role: 'provider',
        'note.$': '$.review.reason',
      });
      // The provider answers as the filer: the applicant's 30-day backstop, not staff's 180.
      expect(ask.TimeoutSeconds).toBe(30 * 24 * 60 * 60);
      expect(ask.Next).toBe(`${name}Review`);
    },
  );

  it.each(departments)(
    'turns a %s rejection into the branch failing with the decision as its cause',
    (department) => {
      // Prepare
      const name = capitalised(department);
      const branch = branchOf(department);

      // Act
      const cause = stateIn(branch, stateIn(branch, `${name}Decision`).Default ?? '');
      const fail = stateIn(branch, cause.Next ?? '');

      // Assess
      expect(cause).toMatchObject({
        Type: 'Pass',
        Parameters: { 'cause.$': 'States.JsonToString($.review)' },
        ResultPath: '$.rejection',
        Next: `${name}Rejected`,
      });
      expect(fail).toMatchObject({
        Type: 'Fail',
        Error: departmentRejectedError,
        CausePath: '$.rejection.cause',
      });
      expect(fail).not.toHaveProperty('Cause');
      expect(departmentRejectedError).toBe('DepartmentRejected');
    },
  );

  it('catches a department rejection first, then expiry and task failures', () => {
    // Prepare
    const parallel = reviews();

    // Act
    const catches = parallel.Catch;

    // Assess
    expect(catches).toEqual([
      { ErrorEquals: ['DepartmentRejected'], ResultPath: '$.error', Next: 'RejectionDecision' },
      {
        ErrorEquals: ['States.Timeout', 'DeadlinePassed'],
        ResultPath: '$.error',
        Next: 'RecordExpired',
      },
      { ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'RecordTaskRejected' },
    ]);
  });

  it('parses the rejecting decision back out of the cause and records it as the outcome', () => {
    // Prepare
    const name = 'RejectionDecision';

    // Act
    const parse = stateIn(asl, name);
    const record = stateIn(asl, parse.Next ?? '');

    // Assess
    expect(parse).toMatchObject({
      Type: 'Pass',
      Parameters: { 'decision.$': 'States.StringToJson($.error.Cause)' },
      ResultPath: '$.rejection',
      Next: 'RecordDepartmentRejected',
    });
    expect(record.Resource).toBe(fns.recordOutcome);
    expect(record.Parameters).toEqual({
      'caseId.$': '$.caseId',
      outcome: 'rejected',
      'decision.$': '$.rejection.decision',
    });
    expect(record.Next).toBe('RegistrationRejected');
    expect(stateIn(asl, 'RegistrationRejected').Type).toBe('Succeed');
  });

  it('gives the provider until the check says to amend, then applies the amendment and checks again', () => {
    // Prepare
    const name = 'AmendFiling';

    // Act
    const amend = stateIn(asl, name);

    // Assess
    expect(amend.Resource).toBe(waitForTaskToken);
    expect(amend.TimeoutSecondsPath).toBe('$.standards.amendTimeoutSeconds');
    expect(amend.TimeoutSeconds).toBeUndefined();
    expect(amend.Parameters).toEqual({
      FunctionName: fns.createTask,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'AmendFiling',
        taskType: 'amend-registration',
        role: 'provider',
        dueInWorkingDays: 15,
        'note.$': '$.standards.note',
      },
    });
    expect(amend.ResultPath).toBe('$.amendment');
    expect(amend.Next).toBe('ApplyAmendment');
    const apply = stateIn(asl, 'ApplyAmendment');
    expect(apply.Resource).toBe(fns.applyAmendment);
    expect(apply.Parameters).toEqual({ 'caseId.$': '$.caseId', 'decision.$': '$.amendment' });
    expect(apply.Next).toBe('CheckStandards');
    expect(stateIn(asl, 'StandardsMet?')).toMatchObject({
      Choices: [{ Variable: '$.standards.compliant', BooleanEquals: true, Next: 'IssueReceipt' }],
      Default: 'AmendFiling',
    });
  });

  it('starts with the standards check, retrying an unavailable registry before a manual check', () => {
    // Prepare
    const name = asl.StartAt;

    // Act
    const check = stateIn(asl, name);

    // Assess
    expect(name).toBe('CheckStandards');
    expect(check.Resource).toBe(fns.checkStandards);
    expect(check.ResultPath).toBe('$.standards');
    expect(check.Retry).toContainEqual(
      expect.objectContaining({ ErrorEquals: ['RegistryUnavailableError'], MaxAttempts: 3 }),
    );
    expect(check.Catch).toEqual([
      {
        ErrorEquals: ['RegistryUnavailableError'],
        ResultPath: '$.error',
        Next: 'StandardsManualCheck',
      },
    ]);
    expect(stateIn(asl, 'ManualCheckPassed?').Choices?.[0]).toMatchObject({
      Next: 'CheckStandardsConfirmed',
    });
    expect(stateIn(asl, 'CheckStandardsConfirmed')).toMatchObject({
      Resource: fns.checkStandards,
      Parameters: { 'caseId.$': '$.caseId', enterpriseConfirmed: true },
      Next: 'StandardsMet?',
    });
  });

  it('visits the premises only when needed, then the city confirms', () => {
    // Prepare
    const name = 'InspectionNeeded?';

    // Act
    const choice = stateIn(asl, name);

    // Assess
    expect(choice.Choices).toEqual([
      {
        Variable: '$.standards.reviews.inspection',
        BooleanEquals: true,
        Next: 'OnSiteInspection',
      },
    ]);
    expect(choice.Default).toBe('CityConfirmation');
    expect(stateIn(asl, 'OnSiteInspection').Parameters?.Payload).toMatchObject({
      taskType: 'on-site-inspection',
      role: 'caseworker',
    });
    expect(stateIn(asl, 'OnSiteInspectionDecision').Choices?.[0]).toEqual({
      Variable: '$.inspection.outcome',
      StringEquals: 'approve',
      Next: 'CityConfirmation',
    });
  });

  it("asks the city's supervisors to confirm, then registers the provider with that confirmation", () => {
    // Prepare
    const name = 'CityConfirmation';

    // Act
    const confirmation = stateIn(asl, name);

    // Assess
    expect(confirmation.Parameters).toEqual({
      FunctionName: fns.createTask,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'CityConfirmation',
        taskType: 'city-confirmation',
        role: 'supervisor',
        dueInWorkingDays: 5,
        district: 'city',
      },
    });
    expect(confirmation.ResultPath).toBe('$.confirmation');
    expect(stateIn(asl, 'CityConfirmationDecision').Choices?.[0]).toEqual({
      Variable: '$.confirmation.outcome',
      StringEquals: 'approve',
      Next: 'RegisterProvider',
    });
    expect(stateIn(asl, 'RegisterProvider')).toMatchObject({
      Resource: fns.registerProvider,
      Parameters: { 'caseId.$': '$.caseId', 'confirmation.$': '$.confirmation' },
      ResultPath: null,
      Next: 'ProviderRegistered',
    });
    expect(stateIn(asl, 'ProviderRegistered').Type).toBe('Succeed');
  });

  it('gives every waiting state outside the Parallel a deadline and a way out on timeout', () => {
    // Prepare
    const waiting = allStates(asl).filter((entry) => entry.state.Resource === waitForTaskToken);
    const outside = waiting.filter((entry) => entry.where === 'top');

    // Act
    const unguarded = outside
      .filter(
        ({ state }) =>
          !(state.TimeoutSeconds || state.TimeoutSecondsPath) ||
          !state.Catch?.some(
            (rule) => rule.ErrorEquals.includes('States.Timeout') && rule.Next === 'RecordExpired',
          ),
      )
      .map((entry) => entry.name);

    // Assess
    expect(outside.map((entry) => entry.name).sort()).toEqual([
      'AmendFiling',
      'CityConfirmation',
      'CityConfirmationAsksProvider',
      'OnSiteInspection',
      'OnSiteInspectionAsksProvider',
      'StandardsManualCheck',
    ]);
    expect(unguarded).toEqual([]);
    // Inside the branches a deadline is enough: the Parallel state catches the timeout.
    const inside = waiting.filter((entry) => entry.where !== 'top');
    expect(inside).toHaveLength(6);
    expect(inside.filter((entry) => !entry.state.TimeoutSeconds)).toEqual([]);
  });

  it('fails only inside the branches: every other end is a business outcome', () => {
    // Prepare
    const states = allStates(asl);

    // Act
    const fails = states.filter((entry) => entry.state.Type === 'Fail');

    // Assess
    expect(fails.map((entry) => [entry.name, entry.where])).toEqual([
      ['HealthRejected', 'DepartmentReviews[0]'],
      ['FireRejected', 'DepartmentReviews[1]'],
      ['MarketRejected', 'DepartmentReviews[2]'],
    ]);
  });

  it('moves no personal data into task payloads: ids, fixed values, notes and reasons only', () => {
    // Prepare
    const allowedPaths = [
      '$$.Task.Token',
      '$.caseId',
      '$.standards.note',
      '$.review.reason',
      '$.inspection.reason',
      '$.confirmation.reason',
    ];

    // Act
    const paths = allStates(asl)
      .filter((entry) => entry.state.Resource === waitForTaskToken)
      .flatMap(({ state }) =>
        Object.entries((state.Parameters?.Payload ?? {}) as Record<string, unknown>)
          .filter(([key]) => key.endsWith('.$'))
          .map(([, path]) => String(path)),
      );

    // Assess
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !allowedPaths.includes(path))).toEqual([]);
  });
});
