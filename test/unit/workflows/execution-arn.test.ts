import { describe, expect, it } from 'vitest';
import { baseStateMachineArn, executionArnFor } from '../../../shared/workflows/execution-arn.ts';

describe('executionArnFor', () => {
  it.each([
    'arn:aws:states:cn-north-1:123456789012:stateMachine:Shanyu-Prod-SubsidyClaim',
    'arn:aws:states:cn-north-1:123456789012:stateMachine:Shanyu-Prod-SubsidyClaim:live',
    'arn:aws:states:cn-north-1:123456789012:stateMachine:Shanyu-Prod-SubsidyClaim:7',
  ])('names the execution of %s', (arn) => {
    // Prepare / Act
    const execution = executionArnFor(arn, 'SC-ABC');

    // Assess
    expect(execution).toBe(
      'arn:aws:states:cn-north-1:123456789012:execution:Shanyu-Prod-SubsidyClaim:SC-ABC',
    );
    expect(baseStateMachineArn(arn)).toBe(
      'arn:aws:states:cn-north-1:123456789012:stateMachine:Shanyu-Prod-SubsidyClaim',
    );
  });

  it('refuses what is not a state machine ARN', () => {
    // Prepare / Act / Assess
    expect(() => executionArnFor('arn:aws:lambda:us-east-1:1:function:x', 'n')).toThrow();
  });
});
