import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import type { ShanyuFunction } from '../../../infra/constructs/shanyu-function.ts';
import type { VersionedWorkflow, WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';
import { missingReasonNote } from '../../../workflows/subsidy-claim.ts';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

interface AslState {
  Type: string;
  Result?: unknown;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  ResultPath?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  Next?: string;
  End?: boolean;
  Branches?: Asl[];
}
interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

/**
 * Turns the template's `Fn::Join` back into plain ASL, standing in for what CloudFormation does:
 * the partition becomes `aws`, a function's `Fn::GetAtt` a Lambda ARN named after its logical id.
 */
function resolveDefinition(definitionString: unknown): Asl {
  const [separator, parts] = (definitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (token.Ref === 'AWS::Partition') return 'aws';
      if (token['Fn::GetAtt']?.[1] === 'Arn') {
        return `arn:aws:lambda:cn-north-1:123456789012:function:${token['Fn::GetAtt'][0]}`;
      }
      throw new Error(`Unexpected token in the definition: ${JSON.stringify(part)}`);
    })
    .join(separator);
  return JSON.parse(text) as Asl;
}

function state(asl: Asl, name: string): AslState {
  const found = asl.States[name];
  if (!found) throw new Error(`No state named ${name}`);
  return found;
}

/** Field by field: the order CDK writes a retrier's fields in is not part of its meaning. */
const equalRetry = (retry: object, expected: object) =>
  JSON.stringify(Object.entries(retry).sort()) === JSON.stringify(Object.entries(expected).sort());

const waitsForToken = (candidate: AslState) =>
  candidate.Resource?.endsWith('.waitForTaskToken') ?? false;

/** The logical ids of a workflow's state machine, its version and its live alias. */
function workflowIds(stack: WorkflowsStack, workflow: VersionedWorkflow) {
  return {
    machine: stack.getLogicalId(workflow.stateMachine.node.defaultChild as never),
    version: stack.getLogicalId(workflow.version),
    alias: stack.getLogicalId(workflow.alias),
  };
}

const functionId = (stack: WorkflowsStack, fn: ShanyuFunction) =>
  stack.getLogicalId(fn.node.defaultChild as never);

/** What every task function runs with: Node 22 on arm64, traced, with the shared environment. */
const sharedFunctionProperties = {
  Runtime: 'nodejs22.x',
  Architectures: ['arm64'],
  TracingConfig: { Mode: 'Active' },
  MemorySize: 512,
  Timeout: Match.anyValue(),
  Handler: 'index.handler',
  LoggingConfig: { LogGroup: Match.anyValue() },
  Environment: {
    Variables: Match.objectLike({
      TABLE_NAME: Match.anyValue(),
      STAGE: 'dev',
      POWERTOOLS_SERVICE_NAME: 'shanyu',
      POWERTOOLS_METRICS_NAMESPACE: 'Shanyu',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    }),
  },
};

/** A Standard, traced machine logging ALL to its own log group, without execution data. */
const loggedMachine = (name: string) => ({
  StateMachineName: name,
  StateMachineType: 'STANDARD',
  TracingConfiguration: { Enabled: true },
  LoggingConfiguration: {
    Level: 'ALL',
    IncludeExecutionData: false,
    Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
  },
});

// Synthesizing the app takes well over vitest's 10 s hook timeout on a busy machine.
const synthTimeout = 180_000;

describe('WorkflowsStack', () => {
  let stack: WorkflowsStack;
  let template: Template;
  let definitionString: unknown;
  let asl: Asl;
  let functionIds: {
    createTask: string;
    recordOutcome: string;
    checkEligibility: string;
    approveClaim: string;
  };
  let ids: { machine: string; version: string; alias: string };

  beforeAll(() => {
    const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    template = Template.fromStack(stack);
    ids = workflowIds(stack, stack.subsidyClaim);
    // By logical id, not by position: the stack holds more than one workflow.
    const machine = template.toJSON().Resources[ids.machine];
    definitionString = machine?.Properties.DefinitionString;
    asl = resolveDefinition(definitionString);
    functionIds = {
      createTask: functionId(stack, stack.createTask),
      recordOutcome: functionId(stack, stack.recordOutcome),
      checkEligibility: functionId(stack, stack.checkSubsidyEligibility),
      approveClaim: functionId(stack, stack.approveSubsidyClaim),
    };
  }, synthTimeout);

  it('runs a timed-out function again in every Task state of the three workflows, a human step naming itself', () => {
    // Prepare
    const timedOut = {
      ErrorEquals: ['Sandbox.Timedout', 'Lambda.Unknown'],
      IntervalSeconds: 2,
      MaxAttempts: 3,
      BackoffRate: 2,
    };
    const everyState = (machine: Asl): [string, AslState][] =>
      Object.entries(machine.States).flatMap(([name, candidate]) => [
        [name, candidate] as [string, AslState],
        ...(candidate.Branches ?? []).flatMap(everyState),
      ]);
    const machines = [stack.subsidyClaim, stack.providerRegistration, stack.tuitionWaiver].map(
      (workflow) =>
        resolveDefinition(
          template.toJSON().Resources[workflowIds(stack, workflow).machine]?.Properties
            .DefinitionString,
        ),
    );

    // Act
    const tasks = machines.flatMap(everyState).filter(([, candidate]) => candidate.Type === 'Task');
    const withoutRetry = tasks.filter(
      ([, candidate]) => !(candidate.Retry ?? []).some((retry) => equalRetry(retry, timedOut)),
    );
    const unnamedSteps = tasks.filter(
      ([name, candidate]) =>
        waitsForToken(candidate) &&
        (candidate.Parameters?.Payload as Record<string, unknown> | undefined)?.step !== name,
    );

    // Assess
    expect(tasks.length).toBeGreaterThan(20);
    expect(withoutRetry.map(([name]) => name)).toEqual([]);
    expect(unnamedSteps.map(([name]) => name)).toEqual([]);
  });

  it('runs every task function on Node 22, arm64, with tracing and the shared environment', () => {
    // Prepare
    const expected = [
      ...Object.values(functionIds),
      ...[
        stack.checkRegistrationStandards,
        stack.applyRegistrationAmendment,
        stack.issueRegistrationReceipt,
        stack.registerProvider,
        stack.checkWaiverEligibility,
        stack.approveWaiver,
      ].map((fn) => functionId(stack, fn)),
    ];

    // Act
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: sharedFunctionProperties,
    });

    // Assess
    expect(Object.keys(functions).sort()).toEqual(expected.sort());
    expect(stack.functions.map((fn) => functionId(stack, fn)).sort()).toEqual(expected.sort());
    // One log group per function and one per state machine.
    template.resourcePropertiesCountIs(
      'AWS::Logs::LogGroup',
      { RetentionInDays: 30 },
      expected.length + 3,
    );
  });

  it('defines the subsidy workflow as a Standard, traced state machine logging ALL without execution data', () => {
    // Prepare
    const expected = loggedMachine('Shanyu-Dev-SubsidyClaim');

    // Act
    const machines = template.findResources('AWS::StepFunctions::StateMachine');

    // Assess
    expect(Object.keys(machines).sort()).toEqual(
      [
        ids.machine,
        workflowIds(stack, stack.providerRegistration).machine,
        workflowIds(stack, stack.tuitionWaiver).machine,
      ].sort(),
    );
    expect(machines[ids.machine]?.Properties).toMatchObject({
      ...expected,
      LoggingConfiguration: { ...expected.LoggingConfiguration, Destinations: [expect.anything()] },
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', expected);
  });

  it('synthesizes ASL that asl-validator accepts', () => {
    // Prepare
    const definition = asl;

    // Act
    const result = validateAsl(definition);

    // Assess
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is checked by a validator that does reject broken ASL', () => {
    // Prepare
    const broken = { ...asl, StartAt: undefined };

    // Act
    const result = validateAsl(broken);

    // Assess
    expect(result.isValid).toBe(false);
  });

  it('starts with the automatic checks, retrying an unavailable registry before a manual check', () => {
    // Prepare
    const name = 'CheckEligibility';

    // Act
    const checks = state(asl, name);

    // Assess
    expect(asl.StartAt).toBe(name);
    expect(checks.Resource).toBe(
      `arn:aws:lambda:cn-north-1:123456789012:function:${functionIds.checkEligibility}`,
    );
    expect(checks.Retry).toContainEqual(
      expect.objectContaining({ ErrorEquals: ['RegistryUnavailableError'], MaxAttempts: 3 }),
    );
    expect(checks.Catch).toEqual([
      { ErrorEquals: ['RegistryUnavailableError'], ResultPath: '$.error', Next: 'ManualCheck' },
    ]);
    expect(state(asl, 'Eligible?').Default).toBe('ClaimRejected');
  });

  it('waits on a task token for the enrolment confirmation, with a 180-day backstop (late is escalated, not expired)', () => {
    // Prepare
    const name = 'ConfirmEnrollment';

    // Act
    const confirm = state(asl, name);

    // Assess
    expect(confirm.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(confirm.TimeoutSeconds).toBe(180 * 24 * 60 * 60);
    expect(confirm.HeartbeatSeconds).toBeUndefined();
    expect(confirm.ResultPath).toBe('$.enrollment');
    expect(confirm.Parameters).toEqual({
      FunctionName: `arn:aws:lambda:cn-north-1:123456789012:function:${functionIds.createTask}`,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'ConfirmEnrollment',
        taskType: 'confirm-enrollment',
        role: 'provider',
        dueInWorkingDays: 5,
      },
    });
    expect(confirm.Catch).toEqual([
      {
        ErrorEquals: ['States.Timeout', 'DeadlinePassed'],
        ResultPath: '$.error',
        Next: 'RecordExpired',
      },
      { ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'RecordTaskRejected' },
    ]);
    expect(confirm.Next).toBe('Enrollment confirmed?');
  });

  it('sends a confirmed enrolment to district review, asks the family on request-info, rejects otherwise', () => {
    // Prepare
    const name = 'Enrollment confirmed?';

    // Act
    const choice = state(asl, name);

    // Assess
    const requestsInfo = { Variable: '$.enrollment.outcome', StringEquals: 'request-info' };
    expect(choice.Choices).toEqual([
      { Variable: '$.enrollment.outcome', StringEquals: 'approve', Next: 'DistrictReview' },
      {
        And: [requestsInfo, { Variable: '$.enrollment.reason', IsPresent: false }],
        Next: 'NoReasonGiven',
      },
      { ...requestsInfo, Next: 'RequestInfo' },
    ]);
    expect(choice.Default).toBe('RecordRejected');
  });

  it('has the district review approve, ask the family (and review again), or reject', () => {
    // Prepare
    const review = state(asl, 'DistrictReview');

    // Act
    const choice = state(asl, 'Review decision');

    // Assess
    expect(review.Parameters?.Payload).toMatchObject({
      taskType: 'district-review',
      role: 'caseworker',
      dueInWorkingDays: 10,
    });
    expect(choice.Choices?.[0]).toEqual({
      Variable: '$.review.outcome',
      StringEquals: 'approve',
      Next: 'ApproveClaim',
    });
    expect(state(asl, 'AmendClaim').Next).toBe('DistrictReview');
    expect(choice.Default).toBe('RecordReviewRejected');
    expect(state(asl, 'ApproveClaim').Next).toBe('ClaimApproved');
  });

  it('asks the family for information on a task token, noting what the provider asked', () => {
    // Prepare
    const name = 'RequestInfo';

    // Act
    const request = state(asl, name);

    // Assess
    expect(request.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(request.TimeoutSeconds).toBe(30 * 24 * 60 * 60);
    expect(request.ResultPath).toBe('$.info');
    expect(request.Parameters).toEqual({
      FunctionName: `arn:aws:lambda:cn-north-1:123456789012:function:${functionIds.createTask}`,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'RequestInfo',
        taskType: 'supply-info',
        role: 'citizen',
        dueInWorkingDays: 10,
        'note.$': '$.enrollment.reason',
      },
    });
    expect(request.Catch).toEqual([
      {
        ErrorEquals: ['States.Timeout', 'DeadlinePassed'],
        ResultPath: '$.error',
        Next: 'RecordExpired',
      },
      { ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'RecordTaskRejected' },
    ]);
  });

  it('asks the provider again once the family has answered', () => {
    // Prepare
    const name = 'RequestInfo';

    // Act
    const next = state(asl, name).Next;

    // Assess
    expect(next).toBe('ConfirmEnrollment');
    expect(state(asl, 'ConfirmEnrollment').Next).toBe('Enrollment confirmed?');
  });

  it('gives a request for information without a reason a fixed note instead of failing', () => {
    // Prepare
    const name = 'NoReasonGiven';

    // Act
    const pass = state(asl, name);

    // Assess
    expect(pass).toMatchObject({
      Type: 'Pass',
      Result: missingReasonNote,
      ResultPath: '$.enrollment.reason',
      Next: 'RequestInfo',
    });
  });

  it('gives every waiting state a backstop and a way out on timeout', () => {
    // Prepare
    const waiting = Object.entries(asl.States).filter(([, candidate]) => waitsForToken(candidate));

    // Act
    const unguarded = waiting
      .filter(
        ([, candidate]) =>
          !(candidate.TimeoutSeconds && candidate.TimeoutSeconds > 0) ||
          !candidate.Catch?.some((rule) => rule.ErrorEquals.includes('States.Timeout')),
      )
      .map(([name]) => name);

    // Assess
    expect(waiting.map(([name]) => name).sort()).toEqual([
      'AmendClaim',
      'ConfirmEnrollment',
      'DistrictReview',
      'ManualCheck',
      'RequestInfo',
    ]);
    expect(unguarded).toEqual([]);
  });

  it('moves no personal data into task payloads: ids, fixed values and the reason only', () => {
    // Prepare
    const allowedPaths = ['$$.Task.Token', '$.caseId', '$.enrollment.reason', '$.review.reason'];

    // Act
    const paths = Object.values(asl.States)
      .filter(waitsForToken)
      .flatMap((candidate) =>
        Object.entries((candidate.Parameters?.Payload ?? {}) as Record<string, unknown>)
          .filter(([key]) => key.endsWith('.$'))
          .map(([, path]) => path),
      );

    // Assess
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !allowedPaths.includes(String(path)))).toEqual([]);
  });

  it.each([
    ['RecordRejected', 'rejected', '$.enrollment', 'ClaimRejected'],
    ['RecordReviewRejected', 'rejected', '$.review', 'ClaimRejected'],
    ['RecordManualCheckRejected', 'rejected', '$.manualCheck', 'ClaimRejected'],
    ['RecordTaskRejected', 'rejected', '$.error', 'ClaimRejected'],
    ['RecordExpired', 'expired', '$.error', 'ClaimExpired'],
  ])(
    '%s passes only ids and the decision to RecordOutcome, then succeeds',
    (name, outcome, decision, end) => {
      // Prepare
      const recordOutcomeArn = `arn:aws:lambda:cn-north-1:123456789012:function:${functionIds.recordOutcome}`;

      // Act
      const record = state(asl, name);

      // Assess
      expect(record.Resource).toBe(recordOutcomeArn);
      expect(record.Parameters).toEqual({
        'caseId.$': '$.caseId',
        outcome,
        'decision.$': decision,
      });
      expect(record.Next).toBe(end);
      expect(state(asl, end).Type).toBe('Succeed');
    },
  );

  it('has no Fail state: rejection and expiry are business outcomes', () => {
    // Prepare
    const types = Object.values(asl.States).map((candidate) => candidate.Type);

    // Act
    const fails = types.filter((type) => type === 'Fail');

    // Assess
    expect(types).toContain('Succeed');
    expect(fails).toEqual([]);
  });

  it('publishes the definition as a version named after its digest, and keeps old versions', () => {
    // Prepare
    const digest = createHash('sha256').update(JSON.stringify(definitionString)).digest('hex');

    // Act
    const versions = template.findResources('AWS::StepFunctions::StateMachineVersion');

    // Assess
    expect(Object.keys(versions)).toContain(ids.version);
    expect(Object.keys(versions)).toHaveLength(3);
    expect(versions[ids.version]).toEqual({
      Type: 'AWS::StepFunctions::StateMachineVersion',
      Properties: {
        StateMachineArn: { Ref: ids.machine },
        StateMachineRevisionId: { 'Fn::GetAtt': [ids.machine, 'StateMachineRevisionId'] },
        Description: `definition sha256:${digest}`,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('routes all of the live alias to that version', () => {
    // Prepare
    const expected = {
      Name: 'live',
      RoutingConfiguration: [
        { StateMachineVersionArn: { 'Fn::GetAtt': [ids.version, 'Arn'] }, Weight: 100 },
      ],
    };

    // Act
    const aliases = template.findResources('AWS::StepFunctions::StateMachineAlias', {
      Properties: expected,
    });

    // Assess
    expect(Object.keys(aliases)).toEqual([ids.alias]);
    template.resourceCountIs('AWS::StepFunctions::StateMachineAlias', 3);
  });

  it('lists all three state machines themselves for alarms and schedules', () => {
    // Prepare
    const subsidy = stack.subsidyClaim.stateMachine;
    const registration = stack.providerRegistration.stateMachine;
    const waiver = stack.tuitionWaiver.stateMachine;

    // Act
    const listed = stack.stateMachines;

    // Assess
    // By identity: a deep comparison of constructs walks into detached ones and throws.
    expect(listed).toHaveLength(3);
    expect(listed[0]).toBe(subsidy);
    expect(listed[1]).toBe(registration);
    expect(listed[2]).toBe(waiver);
    expect(subsidy.node.id).toBe('SubsidyClaim');
    expect(registration.node.id).toBe('ProviderRegistration');
    expect(waiver.node.id).toBe('TuitionWaiver');
  });
});

describe('WorkflowsStack: the provider registration workflow', () => {
  let stack: WorkflowsStack;
  let template: Template;
  let ids: { machine: string; version: string; alias: string };

  beforeAll(() => {
    const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    template = Template.fromStack(stack);
    ids = workflowIds(stack, stack.providerRegistration);
  }, synthTimeout);

  it('is a Standard, traced state machine logging ALL without execution data', () => {
    // Prepare
    const expected = loggedMachine('Shanyu-Dev-ProviderRegistration');

    // Act
    const machine = template.toJSON().Resources[ids.machine];

    // Assess
    expect(machine?.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(machine?.Properties).toMatchObject({
      ...expected,
      LoggingConfiguration: { ...expected.LoggingConfiguration, Destinations: [expect.anything()] },
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', expected);
  });

  it('logs to a log group of its own, apart from the subsidy workflow', () => {
    // Prepare
    const subsidy = template.toJSON().Resources[workflowIds(stack, stack.subsidyClaim).machine];

    // Act
    const destination = (machine: { Properties: Record<string, never> } | undefined) =>
      (
        machine?.Properties.LoggingConfiguration as
          | { Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[] }
          | undefined
      )?.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn;
    const own = destination(template.toJSON().Resources[ids.machine]);

    // Assess
    expect(own).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ProviderRegistrationLogGroup/), 'Arn'],
    });
    expect(own).not.toEqual(destination(subsidy));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/Shanyu-Dev-ProviderRegistration',
      RetentionInDays: 30,
    });
  });

  it('publishes its definition as a retained version named after its digest', () => {
    // Prepare
    const definitionString = template.toJSON().Resources[ids.machine]?.Properties.DefinitionString;
    const digest = createHash('sha256').update(JSON.stringify(definitionString)).digest('hex');

    // Act
    const version = template.toJSON().Resources[ids.version];

    // Assess
    expect(version).toEqual({
      Type: 'AWS::StepFunctions::StateMachineVersion',
      Properties: {
        StateMachineArn: { Ref: ids.machine },
        StateMachineRevisionId: { 'Fn::GetAtt': [ids.machine, 'StateMachineRevisionId'] },
        Description: `definition sha256:${digest}`,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('routes all of its live alias to that version', () => {
    // Prepare
    const expected = {
      Name: 'live',
      RoutingConfiguration: [
        { StateMachineVersionArn: { 'Fn::GetAtt': [ids.version, 'Arn'] }, Weight: 100 },
      ],
    };

    // Act
    const aliases = template.findResources('AWS::StepFunctions::StateMachineAlias', {
      Properties: expected,
    });

    // Assess
    expect(Object.keys(aliases)).toEqual([ids.alias]);
  });

  it.each([
    ['CheckRegistrationStandards', 'checkRegistrationStandards'],
    ['ApplyRegistrationAmendment', 'applyRegistrationAmendment'],
    ['IssueRegistrationReceipt', 'issueRegistrationReceipt'],
    ['RegisterProvider', 'registerProvider'],
  ] as const)('has the %s function with the shared environment', (id, property) => {
    // Prepare
    const fn = stack[property];

    // Act
    const resource = template.toJSON().Resources[functionId(stack, fn)];

    // Assess
    expect(fn.node.id).toBe(id);
    expect(resource?.Type).toBe('AWS::Lambda::Function');
    expect(
      Object.keys(
        template.findResources('AWS::Lambda::Function', { Properties: sharedFunctionProperties }),
      ),
    ).toContain(functionId(stack, fn));
  });

  it("calls its four functions and the shared task functions from its definition, and no other workflow's", () => {
    // Prepare
    const definitionString = template.toJSON().Resources[ids.machine]?.Properties
      .DefinitionString as { 'Fn::Join': [string, unknown[]] };
    const called = (fn: ShanyuFunction) =>
      definitionString['Fn::Join'][1].some(
        (part) =>
          JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [functionId(stack, fn), 'Arn'] }),
      );

    // Act
    const calls = {
      checkStandards: called(stack.checkRegistrationStandards),
      applyAmendment: called(stack.applyRegistrationAmendment),
      issueReceipt: called(stack.issueRegistrationReceipt),
      registerProvider: called(stack.registerProvider),
      createTask: called(stack.createTask),
      recordOutcome: called(stack.recordOutcome),
      checkEligibility: called(stack.checkSubsidyEligibility),
      approveClaim: called(stack.approveSubsidyClaim),
      checkWaiver: called(stack.checkWaiverEligibility),
      approveWaiver: called(stack.approveWaiver),
    };

    // Assess
    expect(calls).toEqual({
      checkStandards: true,
      applyAmendment: true,
      issueReceipt: true,
      registerProvider: true,
      createTask: true,
      recordOutcome: true,
      checkEligibility: false,
      approveClaim: false,
      checkWaiver: false,
      approveWaiver: false,
    });
  });

  it('registers providers for 3 years unless configured otherwise', () => {
    // Prepare
    const id = functionId(stack, stack.registerProvider);

    // Act
    const variables = template.toJSON().Resources[id]?.Properties.Environment.Variables;

    // Assess
    expect(variables.REGISTRATION_VALIDITY_YEARS).toBe('3');
    expect(
      template.toJSON().Resources[functionId(stack, stack.issueRegistrationReceipt)]?.Properties
        .Environment.Variables,
    ).not.toHaveProperty('REGISTRATION_VALIDITY_YEARS');
  });
});

describe('WorkflowsStack: the tuition waiver workflow', () => {
  let stack: WorkflowsStack;
  let template: Template;
  let ids: { machine: string; version: string; alias: string };

  beforeAll(() => {
    const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    template = Template.fromStack(stack);
    ids = workflowIds(stack, stack.tuitionWaiver);
  }, synthTimeout);

  it('is a Standard, traced state machine logging ALL without execution data', () => {
    // Prepare
    const expected = loggedMachine('Shanyu-Dev-TuitionWaiver');

    // Act
    const machine = template.toJSON().Resources[ids.machine];

    // Assess
    expect(machine?.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(machine?.Properties).toMatchObject({
      ...expected,
      LoggingConfiguration: { ...expected.LoggingConfiguration, Destinations: [expect.anything()] },
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', expected);
  });

  it('logs to a log group of its own, apart from the other workflows', () => {
    // Prepare
    const others = [stack.subsidyClaim, stack.providerRegistration].map(
      (workflow) => template.toJSON().Resources[workflowIds(stack, workflow).machine],
    );

    // Act
    const destination = (machine: { Properties: Record<string, never> } | undefined) =>
      (
        machine?.Properties.LoggingConfiguration as
          | { Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[] }
          | undefined
      )?.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn;
    const own = destination(template.toJSON().Resources[ids.machine]);

    // Assess
    expect(own).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^TuitionWaiverLogGroup/), 'Arn'],
    });
    for (const other of others) expect(own).not.toEqual(destination(other));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/Shanyu-Dev-TuitionWaiver',
      RetentionInDays: 30,
    });
  });

  it('publishes its definition as a retained version named after its digest', () => {
    // Prepare
    const definitionString = template.toJSON().Resources[ids.machine]?.Properties.DefinitionString;
    const digest = createHash('sha256').update(JSON.stringify(definitionString)).digest('hex');

    // Act
    const version = template.toJSON().Resources[ids.version];

    // Assess
    expect(version).toEqual({
      Type: 'AWS::StepFunctions::StateMachineVersion',
      Properties: {
        StateMachineArn: { Ref: ids.machine },
        StateMachineRevisionId: { 'Fn::GetAtt': [ids.machine, 'StateMachineRevisionId'] },
        Description: `definition sha256:${digest}`,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('routes all of its live alias to that version', () => {
    // Prepare
    const expected = {
      Name: 'live',
      RoutingConfiguration: [
        { StateMachineVersionArn: { 'Fn::GetAtt': [ids.version, 'Arn'] }, Weight: 100 },
      ],
    };

    // Act
    const aliases = template.findResources('AWS::StepFunctions::StateMachineAlias', {
      Properties: expected,
    });

    // Assess
    expect(Object.keys(aliases)).toEqual([ids.alias]);
  });

  it.each([
    ['CheckWaiverEligibility', 'checkWaiverEligibility'],
    ['ApproveWaiver', 'approveWaiver'],
  ] as const)('has the %s function with the shared environment', (id, property) => {
    // Prepare
    const fn = stack[property];

    // Act
    const resource = template.toJSON().Resources[functionId(stack, fn)];

    // Assess
    expect(fn.node.id).toBe(id);
    expect(resource?.Type).toBe('AWS::Lambda::Function');
    expect(
      Object.keys(
        template.findResources('AWS::Lambda::Function', { Properties: sharedFunctionProperties }),
      ),
    ).toContain(functionId(stack, fn));
  });

  it("calls its two functions and the shared task functions from its definition, and no other workflow's", () => {
    // Prepare
    const definitionString = template.toJSON().Resources[ids.machine]?.Properties
      .DefinitionString as { 'Fn::Join': [string, unknown[]] };
    const called = (fn: ShanyuFunction) =>
      definitionString['Fn::Join'][1].some(
        (part) =>
          JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [functionId(stack, fn), 'Arn'] }),
      );

    // Act
    const calls = {
      checkWaiver: called(stack.checkWaiverEligibility),
      approveWaiver: called(stack.approveWaiver),
      createTask: called(stack.createTask),
      recordOutcome: called(stack.recordOutcome),
      checkEligibility: called(stack.checkSubsidyEligibility),
      approveClaim: called(stack.approveSubsidyClaim),
      checkStandards: called(stack.checkRegistrationStandards),
      applyAmendment: called(stack.applyRegistrationAmendment),
      issueReceipt: called(stack.issueRegistrationReceipt),
      registerProvider: called(stack.registerProvider),
    };

    // Assess
    expect(calls).toEqual({
      checkWaiver: true,
      approveWaiver: true,
      createTask: true,
      recordOutcome: true,
      checkEligibility: false,
      approveClaim: false,
      checkStandards: false,
      applyAmendment: false,
      issueReceipt: false,
      registerProvider: false,
    });
  });
});

describe('WorkflowsStack with registrationValidityYears configured', () => {
  let variables: Record<string, unknown>;

  beforeAll(() => {
    const app = buildApp({
      context: { 'aws:cdk:bundling-stacks': [], registrationValidityYears: '5' },
    });
    const stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    const template = Template.fromStack(stack);
    variables =
      template.toJSON().Resources[functionId(stack, stack.registerProvider)]?.Properties.Environment
        .Variables;
  }, synthTimeout);

  it('registers providers for the configured number of years', () => {
    // Prepare
    const expected = '5';

    // Act
    const configured = variables.REGISTRATION_VALIDITY_YEARS;

    // Assess
    expect(configured).toBe(expected);
    expect(variables).toMatchObject({ STAGE: 'dev', POWERTOOLS_SERVICE_NAME: 'shanyu' });
  });
});
