import { isPlainObject } from './json.ts';

/**
 * Stands for `$$.Task.Token` in the definition the library runs: its context object is static per
 * execution, so every task would see the same token. The task handler swaps in the real token.
 */
export const TASK_TOKEN_PLACEHOLDER = '__shanyu_local_sfn_task_token__';

/**
 * What the library is told a Task may take. It arms one `setTimeout` per task (60 s when absent);
 * anything above 2^31-1 ms overflows and fires at once. The real timeouts are enforced outside it.
 */
export const LIBRARY_TASK_TIMEOUT_SECONDS = 2_147_483;

/** Resource of the Task a Wait state becomes, so that waits survive a restart. */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::shanyu-local:wait';

/**
 * The library overwrites `$$.Execution.StartTime` with the time of each run; a resumed execution
 * must see its original start time, so references are pointed at a field it leaves alone.
 */
export const START_TIME_CONTEXT_FIELD = 'ShanyuStartTime';

/**
 * `TimeoutSecondsPath` and `HeartbeatSecondsPath` read the state's input, which the library does
 * not hand to a task handler (it passes the evaluated Parameters only): the paths are evaluated
 * as extra parameters under these names and taken off again before the task runs.
 */
export const TIMEOUT_SECONDS_PARAMETER = '__shanyu_timeout_seconds';
export const HEARTBEAT_SECONDS_PARAMETER = '__shanyu_heartbeat_seconds';
/** Stands for a Task without Parameters whose limits come from paths: its whole input. */
export const WHOLE_INPUT_PARAMETER = '__shanyu_input';

/** The Parameters a task handler received, split into the task's own and its limits. */
export function splitLimitParameters(received: unknown): {
  parameters: unknown;
  timeoutSeconds?: unknown;
  heartbeatSeconds?: unknown;
} {
  if (!isPlainObject(received)) return { parameters: received };
  const {
    [TIMEOUT_SECONDS_PARAMETER]: timeoutSeconds,
    [HEARTBEAT_SECONDS_PARAMETER]: heartbeatSeconds,
    [WHOLE_INPUT_PARAMETER]: wholeInput,
    ...rest
  } = received;
  const hasWholeInput = Object.hasOwn(received, WHOLE_INPUT_PARAMETER);
  return {
    parameters: hasWholeInput ? wholeInput : rest,
    ...(Object.hasOwn(received, TIMEOUT_SECONDS_PARAMETER) ? { timeoutSeconds } : {}),
    ...(Object.hasOwn(received, HEARTBEAT_SECONDS_PARAMETER) ? { heartbeatSeconds } : {}),
  };
}

export type TaskKind =
  | 'lambda-invoke'
  | 'lambda-invoke-wait-for-token'
  | 'lambda-function'
  | 'wait'
  | 'unsupported';

/** A Task (or Wait) state as the definition declared it, before the library's copy was altered. */
export interface LocalTask {
  readonly stateName: string;
  readonly kind: TaskKind;
  /** The declared `Resource`; empty for a Wait state. */
  readonly resource: string;
  readonly timeoutSeconds?: number;
  readonly timeoutSecondsPath?: string;
  readonly heartbeatSeconds?: number;
  readonly heartbeatSecondsPath?: string;
}

export interface PreparedDefinition {
  /** The definition handed to the library. */
  readonly definition: Record<string, unknown>;
  /** Top-level `TimeoutSeconds`, enforced outside the library (its timer overflows too). */
  readonly executionTimeoutSeconds?: number;
  /** Task and Wait states by name, nested ones (Parallel branches, Map processors) included. */
  readonly tasks: ReadonlyMap<string, LocalTask>;
  /** Declared `Type` of every state by name, nested ones included. */
  readonly stateTypes: ReadonlyMap<string, string>;
}

export class UnsupportedDefinitionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDefinitionError';
  }
}

const LAMBDA_INVOKE = /^arn:[\w-]+:states:::lambda:invoke$/;
const LAMBDA_INVOKE_WAIT = /^arn:[\w-]+:states:::lambda:invoke\.waitForTaskToken$/;
const LAMBDA_FUNCTION = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[\w-]+(?::[\w$-]+)?$/;

export function classifyResource(resource: string): TaskKind {
  if (LAMBDA_INVOKE.test(resource)) return 'lambda-invoke';
  if (LAMBDA_INVOKE_WAIT.test(resource)) return 'lambda-invoke-wait-for-token';
  if (LAMBDA_FUNCTION.test(resource)) return 'lambda-function';
  return 'unsupported';
}

const START_TIME_REFERENCE = /\$\$\.Execution\.StartTime\b/g;

/** Points `$$.Execution.StartTime` references (paths and intrinsic arguments) at the kept field. */
function redirectStartTime(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    const isPath = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    return isPath
      ? value.replace(START_TIME_REFERENCE, `$$$$.Execution.${START_TIME_CONTEXT_FIELD}`)
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => redirectStartTime(item, key));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, redirectStartTime(item, name)]),
    );
  }
  return value;
}

/** Replaces `"x.$": "$$.Task.Token"` by `"x": TASK_TOKEN_PLACEHOLDER`, at any depth. */
export function replaceTaskTokenReferences(template: unknown): unknown {
  if (Array.isArray(template)) return template.map(replaceTaskTokenReferences);
  if (!isPlainObject(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') && value === '$$.Task.Token'
        ? [key.slice(0, -2), TASK_TOKEN_PLACEHOLDER]
        : [key, replaceTaskTokenReferences(value)],
    ),
  );
}

function optionalNumber(value: unknown, field: string, stateName: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UnsupportedDefinitionError(`${stateName}.${field} must be a positive number`);
  }
  return value;
}

function optionalString(value: unknown, field: string, stateName: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new UnsupportedDefinitionError(`${stateName}.${field} must be a string`);
  }
  return value;
}

/** Choice operators that test a variable's type or presence, with a boolean operand. */
const TYPE_TESTS = ['IsPresent', 'IsNull', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

/**
 * The library evaluates a type test as `operand && test`, so `"IsPresent": false` is never
 * true. `{"Not": {..., "IsPresent": true}}` means the same and it gets that right. Nested
 * `And`/`Or`/`Not` rules are rewritten too; `Next` stays on the outer rule.
 */
export function rewriteChoiceRule(rule: unknown): unknown {
  if (!isPlainObject(rule)) return rule;
  const { Next, ...condition } = rule;
  let rewritten: Record<string, unknown> = condition;
  if (Array.isArray(condition.And)) {
    rewritten = { ...condition, And: condition.And.map(rewriteChoiceRule) };
  } else if (Array.isArray(condition.Or)) {
    rewritten = { ...condition, Or: condition.Or.map(rewriteChoiceRule) };
  } else if (condition.Not !== undefined) {
    rewritten = { ...condition, Not: rewriteChoiceRule(condition.Not) };
  } else {
    const negated = TYPE_TESTS.find((operator) => condition[operator] === false);
    if (negated) rewritten = { Not: { ...condition, [negated]: true } };
  }
  return Next === undefined ? rewritten : { ...rewritten, Next };
}

interface Accumulator {
  tasks: Map<string, LocalTask>;
  stateTypes: Map<string, string>;
}

function prepareTask(
  name: string,
  state: Record<string, unknown>,
): { state: Record<string, unknown>; task: LocalTask } {
  const {
    TimeoutSeconds,
    TimeoutSecondsPath,
    HeartbeatSeconds,
    HeartbeatSecondsPath,
    Parameters,
    ...rest
  } = state;
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const task: LocalTask = {
    stateName: name,
    kind: classifyResource(resource),
    resource,
    timeoutSeconds: optionalNumber(TimeoutSeconds, 'TimeoutSeconds', name),
    timeoutSecondsPath: optionalString(TimeoutSecondsPath, 'TimeoutSecondsPath', name),
    heartbeatSeconds: optionalNumber(HeartbeatSeconds, 'HeartbeatSeconds', name),
    heartbeatSecondsPath: optionalString(HeartbeatSecondsPath, 'HeartbeatSecondsPath', name),
  };
  const prepared: Record<string, unknown> = {
    ...rest,
    TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
  };
  if (Parameters !== undefined) prepared.Parameters = replaceTaskTokenReferences(Parameters);
  const limitPaths: Record<string, string> = {};
  if (task.timeoutSecondsPath)
    limitPaths[`${TIMEOUT_SECONDS_PARAMETER}.$`] = task.timeoutSecondsPath;
  if (task.heartbeatSecondsPath) {
    limitPaths[`${HEARTBEAT_SECONDS_PARAMETER}.$`] = task.heartbeatSecondsPath;
  }
  if (Object.keys(limitPaths).length > 0) {
    prepared.Parameters = isPlainObject(prepared.Parameters)
      ? { ...prepared.Parameters, ...limitPaths }
      : { [`${WHOLE_INPUT_PARAMETER}.$`]: '$', ...limitPaths };
  }
  return { state: prepared, task };
}

/**
 * A Wait becomes a Task whose handler sleeps until a deadline recorded in the journal, so that a
 * restart neither restarts the wait nor lets the library's timer overflow on long waits. Its
 * parameters carry the effective input through, which the Task then outputs like a Wait does.
 */
function prepareWait(
  name: string,
  state: Record<string, unknown>,
): { state: Record<string, unknown>; task: LocalTask } {
  const parameters: Record<string, unknown> = { 'Input.$': '$' };
  if (state.Seconds !== undefined) parameters.Seconds = state.Seconds;
  else if (state.Timestamp !== undefined) parameters.Timestamp = state.Timestamp;
  else if (state.SecondsPath !== undefined) parameters['Seconds.$'] = state.SecondsPath;
  else if (state.TimestampPath !== undefined) parameters['Timestamp.$'] = state.TimestampPath;
  else throw new UnsupportedDefinitionError(`Wait state ${name} has no duration`);
  const prepared: Record<string, unknown> = {
    Type: 'Task',
    Resource: LOCAL_WAIT_RESOURCE,
    Parameters: parameters,
    TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
  };
  for (const field of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
    if (state[field] !== undefined) prepared[field] = state[field];
  }
  return { state: prepared, task: { stateName: name, kind: 'wait', resource: '' } };
}

function prepareMachine(
  machine: unknown,
  where: string,
  acc: Accumulator,
): Record<string, unknown> {
  if (!isPlainObject(machine) || !isPlainObject(machine.States)) {
    throw new UnsupportedDefinitionError(`${where} has no States`);
  }
  if (machine.QueryLanguage === 'JSONata') {
    throw new UnsupportedDefinitionError(
      `${where} uses JSONata, which the local runtime cannot run`,
    );
  }
  const states: Record<string, unknown> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isPlainObject(state))
      throw new UnsupportedDefinitionError(`State ${name} is not an object`);
    if (acc.stateTypes.has(name)) {
      // The library's task overrides are keyed by state name only.
      throw new UnsupportedDefinitionError(`State name ${name} is used more than once`);
    }
    if (state.QueryLanguage === 'JSONata') {
      throw new UnsupportedDefinitionError(
        `State ${name} uses JSONata, which the local runtime cannot run`,
      );
    }
    const type = String(state.Type);
    acc.stateTypes.set(name, type);
    if (type === 'Task' || type === 'Wait') {
      const prepared = type === 'Task' ? prepareTask(name, state) : prepareWait(name, state);
      acc.tasks.set(name, prepared.task);
      states[name] = prepared.state;
    } else if (type === 'Parallel') {
      const branches = Array.isArray(state.Branches) ? state.Branches : [];
      states[name] = {
        ...state,
        Branches: branches.map((branch, index) =>
          prepareMachine(branch, `${name}.Branches[${index}]`, acc),
        ),
      };
    } else if (type === 'Map') {
      const prepared: Record<string, unknown> = { ...state };
      for (const field of ['ItemProcessor', 'Iterator']) {
        if (state[field] !== undefined)
          prepared[field] = prepareMachine(state[field], `${name}.${field}`, acc);
      }
      states[name] = prepared;
    } else if (type === 'Choice' && Array.isArray(state.Choices)) {
      states[name] = { ...state, Choices: state.Choices.map(rewriteChoiceRule) };
    } else {
      states[name] = state;
    }
  }
  return { ...machine, States: states };
}

/**
 * Turns an ASL definition into the one the library runs, and describes its Task states: the
 * library is blind to `.waitForTaskToken`, times tasks out on its own schedule, forgets waits on
 * restart, rewrites `$$.Execution.StartTime` and never passes a negated type test, so those parts
 * are taken over here.
 */
export function prepareDefinition(definition: object): PreparedDefinition {
  const redirected = redirectStartTime(structuredClone(definition));
  if (!isPlainObject(redirected))
    throw new UnsupportedDefinitionError('The definition is not an object');
  const acc: Accumulator = { tasks: new Map(), stateTypes: new Map() };
  const { TimeoutSeconds, ...machine } = prepareMachine(redirected, 'The definition', acc);
  return {
    definition: machine,
    executionTimeoutSeconds: optionalNumber(TimeoutSeconds, 'TimeoutSeconds', 'The definition'),
    tasks: acc.tasks,
    stateTypes: acc.stateTypes,
  };
}
