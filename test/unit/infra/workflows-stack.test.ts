import { createRequire } from 'node:module';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import type { WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  ResultPath?: string;
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

describe('WorkflowsStack', () => {
  let template: Template;
  let asl: Asl;
  let functionIds: { createTask: string; recordOutcome: string };

  beforeAll(() => {
    const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    template = Template.fromStack(stack);
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    asl = resolveDefinition(machine?.Properties.DefinitionString);
    functionIds = {
      createTask: stack.getLogicalId(stack.createTask.node.defaultChild as never),
      recordOutcome: stack.getLogicalId(stack.recordOutcome.node.defaultChild as never),
    };
  });

  it('runs the task functions on Node 22, arm64, with tracing and the shared environment', () => {
    // Prepare
    const expected = {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 10,
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
    expect(Object.keys(functions).sort()).toEqual(
      [functionIds.createTask, functionIds.recordOutcome].sort(),
    );
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
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

  it('waits on a task token for the enrolment confirmation, with a 30-day backstop', () => {
    // Prepare
    const name = 'ConfirmEnrollment';

    // Act
    const confirm = state(asl, name);

    // Assess
    expect(asl.StartAt).toBe(name);
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

  it('records a confirmation only when the answer is approve', () => {
    // Prepare
    const name = 'Enrollment confirmed?';

    // Act
    const choice = state(asl, name);

    // Assess
    expect(choice.Choices).toEqual([
      {
        Variable: '$.enrollment.outcome',
        StringEquals: 'approve',
        Next: 'RecordEnrollmentConfirmed',
      },
    ]);
    expect(choice.Default).toBe('RecordRejected');
  });

  it.each([
    ['RecordEnrollmentConfirmed', 'enrollment-confirmed', '$.enrollment', 'EnrollmentConfirmed'],
    ['RecordRejected', 'rejected', '$.enrollment', 'ClaimRejected'],
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
});
