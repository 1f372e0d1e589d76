/**
 * The ARN Step Functions gives an execution named `name` of a state machine, whether the machine
 * is named plainly or through a version or alias (`…:stateMachine:Name:live`).
 */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const match = /^arn:([^:]+):states:([^:]*):([^:]*):stateMachine:([^:]+)(?::[^:]+)?$/.exec(
    stateMachineArn,
  );
  if (!match) throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  const [, partition, region, account, machine] = match;
  return `arn:${partition}:states:${region}:${account}:execution:${machine}:${name}`;
}

/** The unqualified ARN of a state machine named through a version or alias. */
export function baseStateMachineArn(stateMachineArn: string): string {
  return stateMachineArn.replace(/^(arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+):[^:]+$/, '$1');
}
