export const ACCOUNT_ID = '000000000000';

const STATE_MACHINE_ARN = /^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:([^:\s]+)$/;
const EXECUTION_ARN = /^arn:[\w-]+:states:[\w-]+:\d{12}:execution:([^:\s]+):([^:\s]+)$/;

/** Execution names as AWS accepts them: 1–80 characters, none of whitespace or `<>{}[]?*"#%\^|~`$&,;:/`. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

export function isStateMachineArn(arn: string): boolean {
  return STATE_MACHINE_ARN.test(arn);
}

export function isExecutionArn(arn: string): boolean {
  return EXECUTION_ARN.test(arn);
}

export function isValidExecutionName(name: string): boolean {
  return EXECUTION_NAME.test(name);
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export function roleArnOf(stateMachineName: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:role/${stateMachineName}-local-role`;
}
