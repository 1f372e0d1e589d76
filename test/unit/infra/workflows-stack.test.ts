import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import type { WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';
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

const waitsForToken = (candidate: AslState) =>
  candidate.Resource?.endsWith('.waitForTaskToken') ?? false;

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
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    definitionString = machine?.Properties.DefinitionString;
    asl = resolveDefinition(definitionString);
    functionIds = {
      createTask: stack.getLogicalId(stack.createTask.node.defaultChild as never),
      recordOutcome: stack.getLogicalId(stack.recordOutcome.node.defaultChild as never),
      checkEligibility: stack.getLogicalId(
        stack.checkSubsidyEligibility.node.defaultChild as never,
      ),
      approveClaim: stack.getLogicalId(stack.approveSubsidyClaim.node.defaultChild as never),
    };
    const { stateMachine, version, alias } = stack.subsidyClaim;
    ids = {
      machine: stack.getLogicalId(stateMachine.node.defaultChild as never),
      version: stack.getLogicalId(version),
      alias: stack.getLogicalId(alias),
    };
  });

  it('runs the task functions on Node 22, arm64, with tracing and the shared environment', () => {
    // Prepare
    const expected = {
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

    // Act
    const functions = template.findResources('AWS::Lambda::Function', { Properties: expected });

    // Assess
    expect(Object.keys(functions).sort()).toEqual(Object.values(functionIds).sort());
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 5);
  });

  it('defines a Standard, traced state machine logging ALL without execution data', () => {
    // Prepare
    const expected = {
      StateMachineName: 'Shanyu-Dev-SubsidyClaim',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    };

    // Act
    const machines = template.findResources('AWS::StepFunctions::StateMachine');

    // Assess
    expect(Object.keys(machines)).toHaveLength(1);
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

  it('waits on a task token for the enrolment confirmation, with a 30-day backstop', () => {
    // Prepare
    const name = 'ConfirmEnrollment';

    // Act
    const confirm = state(asl, name);

    // Assess
    expect(confirm.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(confirm.TimeoutSeconds).toBe(30 * 24 * 60 * 60);
    expect(confirm.HeartbeatSeconds).toBeUndefined();
    expect(confirm.ResultPath).toBe('$.enrollment');
    expect(confirm.Parameters).toEqual({
      FunctionName: `arn:aws:lambda:cn-north-1:123456789012:function:${functionIds.createTask}`,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        taskType: 'confirm-enrollment',
        role: 'provider',
        dueInWorkingDays: 5,
      },
    });
    expect(confirm.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'RecordExpired' },
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
        taskType: 'supply-info',
        role: 'citizen',
        dueInWorkingDays: 10,
        'note.$': '$.enrollment.reason',
      },
    });
    expect(request.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'RecordExpired' },
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
    expect(Object.keys(versions)).toEqual([ids.version]);
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
    template.resourceCountIs('AWS::StepFunctions::StateMachineAlias', 1);
  });

  it('lists the state machine itself for alarms and schedules', () => {
    // Prepare
    const { stateMachine } = stack.subsidyClaim;

    // Act
    const listed = stack.stateMachines;

    // Assess
    expect(listed).toEqual([stateMachine]);
    expect(stateMachine.node.id).toBe('SubsidyClaim');
  });
});
