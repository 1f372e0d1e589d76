import { describe, expect, it } from 'vitest';
import {
  executionArnOf,
  parseStateMachineArn,
} from '../../../../infra/local/stepfunctions/arns.ts';

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:Shanyu-Dev-SubsidyClaim';

describe('parseStateMachineArn', () => {
  it('takes an unqualified ARN as the state machine itself', () => {
    // Prepare
    const arn = MACHINE;

    // Act
    const reference = parseStateMachineArn(arn);

    // Assess
    expect(reference).toEqual({ machineArn: MACHINE });
  });

  it('reads a numeric qualifier as a version', () => {
    // Prepare
    const arn = `${MACHINE}:12`;

    // Act
    const reference = parseStateMachineArn(arn);

    // Assess
    expect(reference).toEqual({ machineArn: MACHINE, qualifier: { kind: 'version', number: 12 } });
  });

  it('reads any other qualifier as an alias name', () => {
    // Prepare
    const arn = `${MACHINE}:live`;

    // Act
    const reference = parseStateMachineArn(arn);

    // Assess
    expect(reference).toEqual({ machineArn: MACHINE, qualifier: { kind: 'alias', name: 'live' } });
  });

  it.each([
    ['an execution ARN', 'arn:aws:states:us-east-1:000000000000:execution:Machine:run-1'],
    ['an empty qualifier', `${MACHINE}:`],
    ['two qualifiers', `${MACHINE}:live:1`],
    ['a Distributed Map label', `${MACHINE}/mapLabel`],
    ['a qualified Distributed Map label', `${MACHINE}/mapLabel:1`],
    ['no ARN at all', 'Shanyu-Dev-SubsidyClaim'],
  ])('refuses %s', (_what, arn) => {
    // Prepare
    const candidate = arn;

    // Act
    const reference = parseStateMachineArn(candidate);

    // Assess
    expect(reference).toBeUndefined();
  });
});

describe('executionArnOf', () => {
  it('names executions after the unqualified state machine', () => {
    // Prepare
    const reference = parseStateMachineArn(`${MACHINE}:live`);

    // Act
    const executionArn = executionArnOf(reference?.machineArn ?? '', 'case-1');

    // Assess
    expect(executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:Shanyu-Dev-SubsidyClaim:case-1',
    );
  });
});
