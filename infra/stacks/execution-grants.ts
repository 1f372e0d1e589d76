import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { acknowledge } from '../nag/nag-checks.ts';

/**
 * The ARN of every execution of a state machine, built from its (synthesis-time) name rather
 * than from its ARN, so the same string appears in the policy and in its acknowledgement.
 */
export function executionsArn(stack: Stack, stateMachineName: string): string {
  return Arn.format(
    {
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}

/** How cdk-nag spells `executionsArn` in a finding. */
function executionsFinding(stateMachineName: string): string {
  return `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*`;
}

/**
 * Lets a function act on the executions of the named state machines. Executions are named per
 * case when they start, so the grant is for the executions of these machines, none other.
 */
export function grantExecutions(
  fn: LambdaFunction,
  stateMachineNames: readonly string[],
  actions: readonly string[],
): void {
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...actions],
      resources: stateMachineNames.map((name) => executionsArn(stack, name)),
    }),
  );
  if (!fn.role) return;
  for (const name of stateMachineNames) {
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5',
      `Executions of ${name} are named per case when they start; this grant covers that ` +
        "state machine's executions and no other's.",
      executionsFinding(name),
    );
  }
}
