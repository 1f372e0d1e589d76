import { createRequire } from 'node:module';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import type { ShanyuFunction } from '../../../infra/constructs/shanyu-function.ts';
import type { WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';
import {
  confirmTuitionTask,
  verifyHardshipTask,
  waiverManualCheckTask,
  waiverReviewTask,
  waiverSupplyInfoTask,
} from '../../../workflows/tuition-waiver.ts';

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
  ResultPath?: string | null;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; IntervalSeconds?: number }[];
  Catch?: Catcher[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  Branches?: Asl[];
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
const thirtyDays = 30 * 24 * 60 * 60;
/** Staff and provider tasks are escalated when late; their backstop only ends abandoned cases. */
const halfYear = 180 * 24 * 60 * 60;

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

/** Every state, those inside Parallel branches included. */
function allStates(asl: Asl): { name: string; state: AslState }[] {
  return Object.entries(asl.States).flatMap(([name, state]) => [
    { name, state },
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch)),
  ]);
}

function stateIn(machine: Asl, name: string): AslState {
  const found = machine.States[name];
  if (!found) throw new Error(`No state named ${name}`);
  return found;
}

const expiryAndRejection: Catcher[] = [
  {
    ErrorEquals: ['States.Timeout', 'DeadlinePassed'],
    ResultPath: '$.error',
    Next: 'RecordExpired',
  },
  { ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'RecordTaskRejected' },
];

describe('the tuition waiver ASL', () => {
  let asl: Asl;
  let fns: Record<'createTask' | 'recordOutcome' | 'checkWaiver' | 'approveWaiver', string>;

  beforeAll(() => {
    const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    const template = Template.fromStack(stack);
    const machineId = stack.getLogicalId(
      stack.tuitionWaiver.stateMachine.node.defaultChild as never,
    );
    asl = resolveDefinition(template.toJSON().Resources[machineId]?.Properties.DefinitionString);
    const arnOf = (fn: ShanyuFunction) =>
      lambdaArn(stack.getLogicalId(fn.node.defaultChild as never));
    fns = {
      createTask: arnOf(stack.createTask),
      recordOutcome: arnOf(stack.recordOutcome),
      checkWaiver: arnOf(stack.checkWaiverEligibility),
      approveWaiver: arnOf(stack.approveWaiver),
    };
    // Synthesizing the whole app takes well over the default 10 s on a busy machine.
  }, 180_000);

  const waiting = () => allStates(asl).filter((entry) => entry.state.Resource === waitForTaskToken);

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

  it('names every state once, as the local runtime needs', () => {
    // Prepare
    const names = allStates(asl).map((entry) => entry.name);

    // Act
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);

    // Assess
    expect(names.length).toBeGreaterThan(20);
    expect(repeated).toEqual([]);
  });

  it('starts with the checks, retrying an unavailable registry before a manual check', () => {
    // Prepare
    const name = asl.StartAt;

    // Act
    const check = stateIn(asl, name);

    // Assess
    expect(name).toBe('CheckWaiver');
    expect(check.Resource).toBe(fns.checkWaiver);
    expect(check.Parameters).toEqual({ 'caseId.$': '$.caseId' });
    expect(check.ResultPath).toBe('$.checks');
    expect(check.Retry).toContainEqual(
      expect.objectContaining({
        ErrorEquals: ['RegistryUnavailableError'],
        IntervalSeconds: 30,
        MaxAttempts: 3,
      }),
    );
    expect(check.Catch).toEqual([
      { ErrorEquals: ['RegistryUnavailableError'], ResultPath: '$.error', Next: 'ManualCheck' },
    ]);
    expect(check.Next).toBe('Eligible?');
  });

  it.each([
    ['CheckWaiver', { 'caseId.$': '$.caseId' }],
    ['CheckConfirmedWaiver', { 'caseId.$': '$.caseId', residentConfirmed: true }],
    [
      'CheckVerifiedWaiver',
      { 'caseId.$': '$.caseId', 'hardshipVerified.$': '$.verification.data' },
    ],
  ])(
    'has %s retry an unavailable registry, then hand over to a manual check',
    (name, parameters) => {
      // Prepare
      const expected = { ErrorEquals: ['RegistryUnavailableError'], MaxAttempts: 3 };

      // Act
      const check = stateIn(asl, name);

      // Assess
      expect(check.Resource).toBe(fns.checkWaiver);
      expect(check.Parameters).toEqual(parameters);
      expect(check.ResultPath).toBe('$.checks');
      expect(check.Retry).toContainEqual(expect.objectContaining(expected));
      expect(check.Catch).toEqual([
        { ErrorEquals: ['RegistryUnavailableError'], ResultPath: '$.error', Next: 'ManualCheck' },
      ]);
    },
  );

  it('sends an eligible application to the provider and an unverified one to civil affairs; the check already recorded a rejection', () => {
    // Prepare
    const name = 'Eligible?';

    // Act
    const choice = stateIn(asl, name);

    // Assess
    expect(choice.Choices).toEqual([
      { Variable: '$.checks.outcome', StringEquals: 'eligible', Next: 'ConfirmTuition' },
      {
        Variable: '$.checks.outcome',
        StringEquals: 'needs-verification',
        Next: 'VerifyHardship',
      },
    ]);
    expect(choice.Default).toBe('WaiverRejected');
    expect(stateIn(asl, 'WaiverRejected').Type).toBe('Succeed');
  });

  it("asks the civil affairs of the family's 户籍 district to verify the hardship status, with the check's note", () => {
    // Prepare
    const name = 'VerifyHardship';

    // Act
    const verify = stateIn(asl, name);

    // Assess
    expect(verify.Resource).toBe(waitForTaskToken);
    expect(verify.Parameters).toEqual({
      FunctionName: fns.createTask,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'VerifyHardship',
        taskType: 'verify-hardship',
        role: 'civil-affairs',
        dueInWorkingDays: 5,
        'district.$': '$.checks.hukouDistrict',
        'note.$': '$.checks.note',
      },
    });
    expect(verifyHardshipTask).toEqual({
      taskType: 'verify-hardship',
      role: 'civil-affairs',
      dueInWorkingDays: 5,
    });
    expect(verify.ResultPath).toBe('$.verification');
    expect(verify.TimeoutSeconds).toBe(halfYear);
    expect(verify.Catch).toEqual(expiryAndRejection);
    expect(verify.Next).toBe('Hardship verified?');
  });

  it('checks again with what civil affairs verified, or records its refusal as the outcome', () => {
    // Prepare
    const name = 'Hardship verified?';

    // Act
    const choice = stateIn(asl, name);
    const refused = stateIn(asl, choice.Default ?? '');

    // Assess
    expect(choice.Choices).toEqual([
      { Variable: '$.verification.outcome', StringEquals: 'approve', Next: 'CheckVerifiedWaiver' },
    ]);
    expect(refused.Resource).toBe(fns.recordOutcome);
    expect(refused.Parameters).toEqual({
      'caseId.$': '$.caseId',
      outcome: 'rejected',
      'decision.$': '$.verification',
    });
    expect(refused.Next).toBe('WaiverRejected');
    expect(stateIn(asl, 'CheckVerifiedWaiver').Next).toBe('Verified eligible?');
    expect(stateIn(asl, 'Verified eligible?').Choices?.[0]).toEqual({
      Variable: '$.checks.outcome',
      StringEquals: 'eligible',
      Next: 'ConfirmTuition',
    });
    expect(stateIn(asl, 'Verified eligible?').Default).toBe('WaiverRejected');
  });

  it('has a caseworker check 户籍 by hand, then checks again with it confirmed', () => {
    // Prepare
    const name = 'ManualCheck';

    // Act
    const manual = stateIn(asl, name);
    const choice = stateIn(asl, manual.Next ?? '');

    // Assess
    expect(manual.Parameters?.Payload).toEqual({
      'taskToken.$': '$$.Task.Token',
      'caseId.$': '$.caseId',
      step: 'ManualCheck',
      ...waiverManualCheckTask,
    });
    expect(waiverManualCheckTask).toEqual({
      taskType: 'manual-check',
      role: 'caseworker',
      dueInWorkingDays: 5,
    });
    expect(manual.ResultPath).toBe('$.manualCheck');
    expect(choice.Choices).toEqual([
      { Variable: '$.manualCheck.outcome', StringEquals: 'approve', Next: 'CheckConfirmedWaiver' },
    ]);
    expect(choice.Default).toBe('RecordManualCheckRejected');
    expect(stateIn(asl, 'CheckConfirmedWaiver').Next).toBe('Confirmed eligible?');
    expect(stateIn(asl, 'Confirmed eligible?').Choices).toEqual([
      { Variable: '$.checks.outcome', StringEquals: 'eligible', Next: 'ConfirmTuition' },
      {
        Variable: '$.checks.outcome',
        StringEquals: 'needs-verification',
        Next: 'VerifyHardship',
      },
    ]);
  });

  it('has the provider confirm the enrolment and tuition within 5 working days', () => {
    // Prepare
    const name = 'ConfirmTuition';

    // Act
    const confirm = stateIn(asl, name);

    // Assess
    expect(confirm.Resource).toBe(waitForTaskToken);
    expect(confirm.Parameters).toEqual({
      FunctionName: fns.createTask,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'ConfirmTuition',
        taskType: 'confirm-tuition',
        role: 'provider',
        dueInWorkingDays: 5,
      },
    });
    expect(confirmTuitionTask).toEqual({
      taskType: 'confirm-tuition',
      role: 'provider',
      dueInWorkingDays: 5,
    });
    expect(confirm.ResultPath).toBe('$.enrollment');
    expect(confirm.TimeoutSeconds).toBe(halfYear);
    expect(confirm.Catch).toEqual(expiryAndRejection);
    expect(confirm.Next).toBe('ConfirmationDecision');
  });

  it('sends a confirmed enrolment to the district, asks the family on request-info, and records a refusal', () => {
    // Prepare
    const name = 'ConfirmationDecision';

    // Act
    const choice = stateIn(asl, name);
    const ask = stateIn(asl, 'RequestInfo');

    // Assess
    expect(choice.Choices).toEqual([
      { Variable: '$.enrollment.outcome', StringEquals: 'approve', Next: 'DistrictReview' },
      { Variable: '$.enrollment.outcome', StringEquals: 'request-info', Next: 'RequestInfo' },
    ]);
    expect(stateIn(asl, choice.Default ?? '')).toMatchObject({
      Resource: fns.recordOutcome,
      Parameters: { 'caseId.$': '$.caseId', outcome: 'rejected', 'decision.$': '$.enrollment' },
      Next: 'WaiverRejected',
    });
    expect(ask.Parameters?.Payload).toEqual({
      'taskToken.$': '$$.Task.Token',
      'caseId.$': '$.caseId',
      step: 'RequestInfo',
      ...waiverSupplyInfoTask,
      'note.$': '$.enrollment.reason',
    });
    expect(ask.ResultPath).toBe('$.info');
    expect(ask.Next).toBe('ConfirmTuition');
  });

  it('has the district caseworker review within 10 working days, the family answering its questions', () => {
    // Prepare
    const name = 'DistrictReview';

    // Act
    const review = stateIn(asl, name);
    const choice = stateIn(asl, review.Next ?? '');
    const amend = stateIn(asl, 'AmendWaiver');

    // Assess
    expect(review.Parameters).toEqual({
      FunctionName: fns.createTask,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'caseId.$': '$.caseId',
        step: 'DistrictReview',
        taskType: 'district-review',
        role: 'caseworker',
        dueInWorkingDays: 10,
      },
    });
    expect(waiverReviewTask).toEqual({
      taskType: 'district-review',
      role: 'caseworker',
      dueInWorkingDays: 10,
    });
    expect(review.ResultPath).toBe('$.review');
    expect(choice.Choices).toEqual([
      { Variable: '$.review.outcome', StringEquals: 'approve', Next: 'ApproveWaiver' },
      { Variable: '$.review.outcome', StringEquals: 'request-info', Next: 'AmendWaiver' },
    ]);
    expect(choice.Default).toBe('RecordReviewRejected');
    expect(amend.Parameters?.Payload).toEqual({
      'taskToken.$': '$$.Task.Token',
      'caseId.$': '$.caseId',
      step: 'AmendWaiver',
      taskType: 'supply-info',
      role: 'citizen',
      dueInWorkingDays: 10,
      'note.$': '$.review.reason',
    });
    expect(amend.ResultPath).toBe('$.amendment');
    expect(amend.Next).toBe('DistrictReview');
  });

  it('approves with the case id, the last checks, the enrolment and the district decision', () => {
    // Prepare
    const name = 'ApproveWaiver';

    // Act
    const approve = stateIn(asl, name);

    // Assess
    expect(approve.Resource).toBe(fns.approveWaiver);
    expect(approve.Parameters).toEqual({
      'caseId.$': '$.caseId',
      'checks.$': '$.checks',
      'enrollment.$': '$.enrollment',
      'decision.$': '$.review',
    });
    expect(approve.ResultPath).toBeNull();
    expect(approve.Next).toBe('WaiverApproved');
    expect(stateIn(asl, 'WaiverApproved').Type).toBe('Succeed');
  });

  it.each([
    ['RecordConfirmationRejected', 'rejected', '$.enrollment', 'WaiverRejected'],
    ['RecordReviewRejected', 'rejected', '$.review', 'WaiverRejected'],
    ['RecordVerificationRejected', 'rejected', '$.verification', 'WaiverRejected'],
    ['RecordManualCheckRejected', 'rejected', '$.manualCheck', 'WaiverRejected'],
    ['RecordTaskRejected', 'rejected', '$.error', 'WaiverRejected'],
    ['RecordExpired', 'expired', '$.error', 'WaiverExpired'],
  ])(
    '%s passes only ids and the decision to RecordOutcome, then succeeds',
    (name, outcome, decision, end) => {
      // Prepare
      const expected = { 'caseId.$': '$.caseId', outcome, 'decision.$': decision };

      // Act
      const record = stateIn(asl, name);

      // Assess
      expect(record.Resource).toBe(fns.recordOutcome);
      expect(record.Parameters).toEqual(expected);
      expect(record.ResultPath).toBeNull();
      expect(record.Next).toBe(end);
      expect(stateIn(asl, end).Type).toBe('Succeed');
    },
  );

  it("gives every waiting task a backstop that ends the case as expired: 30 days for the family's, 180 for staff and providers", () => {
    // Prepare
    const tasks = waiting();

    // Act
    const unguarded = tasks
      .filter(
        ({ state }) =>
          state.TimeoutSeconds !==
            ((state.Parameters as { Payload?: { role?: string } } | undefined)?.Payload?.role ===
            'citizen'
              ? thirtyDays
              : halfYear) ||
          !state.Catch?.some(
            (rule) => rule.ErrorEquals.includes('States.Timeout') && rule.Next === 'RecordExpired',
          ),
      )
      .map((entry) => entry.name);

    // Assess
    expect(tasks.map((entry) => entry.name).sort()).toEqual([
      'AmendWaiver',
      'ConfirmTuition',
      'DistrictReview',
      'ManualCheck',
      'RequestInfo',
      'VerifyHardship',
    ]);
    expect(unguarded).toEqual([]);
  });

  it('has no Fail state: rejection and expiry are business outcomes', () => {
    // Prepare
    const types = allStates(asl).map((entry) => entry.state.Type);

    // Act
    const fails = types.filter((type) => type === 'Fail');

    // Assess
    expect(types).toContain('Succeed');
    expect(fails).toEqual([]);
  });

  it('moves no personal data into task payloads: ids, fixed values, notes, reasons and the district', () => {
    // Prepare
    const allowedPaths = [
      '$$.Task.Token',
      '$.caseId',
      '$.checks.note',
      '$.checks.hukouDistrict',
      '$.enrollment.reason',
      '$.review.reason',
    ];

    // Act
    const paths = waiting().flatMap(({ state }) =>
      Object.entries((state.Parameters?.Payload ?? {}) as Record<string, unknown>)
        .filter(([key]) => key.endsWith('.$'))
        .map(([, path]) => String(path)),
    );
    const fixedKeys = waiting().flatMap(({ state }) =>
      Object.keys((state.Parameters?.Payload ?? {}) as Record<string, unknown>).filter(
        (key) => !key.endsWith('.$'),
      ),
    );

    // Assess
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !allowedPaths.includes(path))).toEqual([]);
    expect([...new Set(fixedKeys)].sort()).toEqual([
      'dueInWorkingDays',
      'role',
      'step',
      'taskType',
    ]);
  });
});
