export const ACCOUNT_ID = '000000000000';

// Names have no `/`: `stateMachine:Name/label` designates a Distributed Map state, not a machine.
const STATE_MACHINE_ARN = /^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:([^:/\s]+)$/;
/** A version (`:1`) or alias (`:live`) of a state machine. */
const QUALIFIED_STATE_MACHINE_ARN =
  /^(arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[^:/\s]+):([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_ARN = /^arn:[\w-]+:states:[\w-]+:\d{12}:execution:([^:\s]+):([^:\s]+)$/;

/** Execution names as AWS accepts them: 1–80 characters, none of whitespace or `<>{}[]?*"#%\^|~`$&,;:/`. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

export function isStateMachineArn(arn: string): boolean {
  return STATE_MACHINE_ARN.test(arn);
}

/** A state machine ARN, plain or with a version number or alias name after it. */
export interface StateMachineReference {
  /** The unqualified ARN. */
  machineArn: string;
  qualifier?: { kind: 'version'; number: number } | { kind: 'alias'; name: string };
}

/** `undefined` when `arn` is no state machine ARN at all. */
export function parseStateMachineArn(arn: string): StateMachineReference | undefined {
  if (STATE_MACHINE_ARN.test(arn)) return { machineArn: arn };
  const [, machineArn, qualifier] = QUALIFIED_STATE_MACHINE_ARN.exec(arn) ?? [];
  if (machineArn === undefined || qualifier === undefined) return undefined;
  // Versions are numbered; alias names must contain a non-digit, so the two never collide.
  return /^\d+$/.test(qualifier)
    ? { machineArn, qualifier: { kind: 'version', number: Number(qualifier) } }
    : { machineArn, qualifier: { kind: 'alias', name: qualifier } };
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
