import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  classifyResource,
  LIBRARY_TASK_TIMEOUT_SECONDS,
  LOCAL_WAIT_RESOURCE,
  prepareDefinition,
  rewriteChoiceRule,
  START_TIME_CONTEXT_FIELD,
  splitLimitParameters,
  TASK_TOKEN_PLACEHOLDER,
  TIMEOUT_SECONDS_PARAMETER,
  UnsupportedDefinitionError,
  WHOLE_INPUT_PARAMETER,
} from '../../../../infra/local/stepfunctions/definition-rewrite.ts';

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:create-task';

type State = Record<string, unknown>;

function stateOf(definition: Record<string, unknown>, name: string): State {
  return (definition.States as Record<string, State>)[name] as State;
}

describe('classifyResource', () => {
  it.each([
    ['arn:aws:states:::lambda:invoke', 'lambda-invoke'],
    ['arn:aws-cn:states:::lambda:invoke', 'lambda-invoke'],
    [WAIT_FOR_TOKEN, 'lambda-invoke-wait-for-token'],
    [FUNCTION_ARN, 'lambda-function'],
    [`${FUNCTION_ARN}:live`, 'lambda-function'],
    ['arn:aws:states:::dynamodb:putItem', 'unsupported'],
    ['arn:aws:states:::lambda:invoke.sync', 'unsupported'],
  ])('classifies %s as %s', (resource, kind) => {
    // Prepare
    // Act
    const classified = classifyResource(resource);

    // Assess
    expect(classified).toBe(kind);
  });
});

describe('prepareDefinition', () => {
  it('replaces $$.Task.Token references at any depth by the placeholder', () => {
    // Prepare
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: WAIT_FOR_TOKEN,
          Parameters: {
            FunctionName: FUNCTION_ARN,
            Payload: {
              'taskToken.$': '$$.Task.Token',
              'caseId.$': '$.caseId',
              nested: [{ 'token.$': '$$.Task.Token' }],
            },
          },
          End: true,
        },
      },
    };

    // Act
    const prepared = prepareDefinition(definition);

    // Assess
    expect(stateOf(prepared.definition, 'Ask').Parameters).toEqual({
      FunctionName: FUNCTION_ARN,
      Payload: {
        taskToken: TASK_TOKEN_PLACEHOLDER,
        'caseId.$': '$.caseId',
        nested: [{ token: TASK_TOKEN_PLACEHOLDER }],
      },
    });
  });

  it('gives the library a harmless task timeout and remembers the declared ones', () => {
    // Prepare
    const definition = {
      StartAt: 'Ask',
      TimeoutSeconds: 86_400,
      States: {
        Ask: {
          Type: 'Task',
          Resource: WAIT_FOR_TOKEN,
          TimeoutSeconds: 2_592_000,
          HeartbeatSeconds: 600,
          Next: 'Record',
        },
        Record: {
          Type: 'Task',
          Resource: FUNCTION_ARN,
          TimeoutSecondsPath: '$.timeout',
          End: true,
        },
      },
    };

    // Act
    const prepared = prepareDefinition(definition);

    // Assess
    expect(prepared.executionTimeoutSeconds).toBe(86_400);
    expect(prepared.definition.TimeoutSeconds).toBeUndefined();
    expect(stateOf(prepared.definition, 'Ask')).toEqual({
      Type: 'Task',
      Resource: WAIT_FOR_TOKEN,
      TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
      Next: 'Record',
    });
    expect(stateOf(prepared.definition, 'Record').TimeoutSecondsPath).toBeUndefined();
    expect(LIBRARY_TASK_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(prepared.tasks.get('Ask')).toEqual({
      stateName: 'Ask',
      kind: 'lambda-invoke-wait-for-token',
      resource: WAIT_FOR_TOKEN,
      timeoutSeconds: 2_592_000,
      timeoutSecondsPath: undefined,
      heartbeatSeconds: 600,
      heartbeatSecondsPath: undefined,
    });
    expect(prepared.tasks.get('Record')?.timeoutSeconds).toBeUndefined();
    expect(prepared.tasks.get('Record')?.timeoutSecondsPath).toBe('$.timeout');
  });

  it('evaluates TimeoutSecondsPath and HeartbeatSecondsPath on the state input, as extra parameters', async () => {
    // Prepare: the library hands a task handler its evaluated Parameters only
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: WAIT_FOR_TOKEN,
          Parameters: { 'Payload.$': '$.payload' },
          TimeoutSecondsPath: '$.limits.timeout',
          HeartbeatSecondsPath: '$.limits.heartbeat',
          End: true,
        },
      },
    };
    const prepared = prepareDefinition(definition);
    let received: unknown;
    const machine = new StateMachine(prepared.definition as unknown as StateMachineDefinition);

    // Act
    await machine.run(
      { payload: { caseId: 'PR-1' }, limits: { timeout: 90, heartbeat: 30 } },
      {
        overrides: {
          taskResourceLocalHandlers: {
            Ask: async (input) => {
              received = input;
              return {};
            },
          },
        },
      },
    ).result;
    const split = splitLimitParameters(received);

    // Assess
    expect(split).toEqual({
      parameters: { Payload: { caseId: 'PR-1' } },
      timeoutSeconds: 90,
      heartbeatSeconds: 30,
    });
  });

  it('passes a Task without Parameters its whole input besides its limits', () => {
    // Prepare
    const received = { [WHOLE_INPUT_PARAMETER]: { a: 1 }, [TIMEOUT_SECONDS_PARAMETER]: 5 };

    // Act
    const split = splitLimitParameters(received);

    // Assess
    expect(split).toEqual({ parameters: { a: 1 }, timeoutSeconds: 5 });
    expect(splitLimitParameters({ b: 2 })).toEqual({ parameters: { b: 2 } });
  });

  it('collects the Task states of Parallel branches and Map processors', () => {
    // Prepare
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Left',
              States: { Left: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
            },
            { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Item',
            States: {
              Item: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true },
            },
          },
          Next: 'Legacy',
        },
        Legacy: {
          Type: 'Map',
          Iterator: {
            StartAt: 'Old',
            States: { Old: { Type: 'Task', Resource: WAIT_FOR_TOKEN, End: true } },
          },
          End: true,
        },
      },
    };

    // Act
    const prepared = prepareDefinition(definition);

    // Assess
    expect([...prepared.tasks.keys()].sort()).toEqual(['Item', 'Left', 'Old']);
    expect(Object.fromEntries(prepared.stateTypes)).toEqual({
      Both: 'Parallel',
      Left: 'Task',
      Right: 'Pass',
      Each: 'Map',
      Item: 'Task',
      Legacy: 'Map',
      Old: 'Task',
    });
    const both = stateOf(prepared.definition, 'Both');
    const left = stateOf(
      (both.Branches as Record<string, unknown>[])[0] as Record<string, unknown>,
      'Left',
    );
    expect(left.TimeoutSeconds).toBe(LIBRARY_TASK_TIMEOUT_SECONDS);
  });

  it('turns a Wait state into a task that carries its input through', () => {
    // Prepare
    const definition = {
      StartAt: 'Pause',
      States: {
        Pause: {
          Type: 'Wait',
          SecondsPath: '$.delay',
          InputPath: '$.body',
          OutputPath: '$.kept',
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const prepared = prepareDefinition(definition);

    // Assess
    expect(stateOf(prepared.definition, 'Pause')).toEqual({
      Type: 'Task',
      Resource: LOCAL_WAIT_RESOURCE,
      Parameters: { 'Input.$': '$', 'Seconds.$': '$.delay' },
      TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
      InputPath: '$.body',
      OutputPath: '$.kept',
      Next: 'Done',
    });
    expect(prepared.tasks.get('Pause')?.kind).toBe('wait');
    expect(prepared.stateTypes.get('Pause')).toBe('Wait');
  });

  it('points $$.Execution.StartTime at the field kept across restarts, in paths and intrinsics only', () => {
    // Prepare
    const definition = {
      StartAt: 'Note',
      States: {
        Note: {
          Type: 'Pass',
          Parameters: {
            'at.$': '$$.Execution.StartTime',
            'text.$': "States.Format('since {}', $$.Execution.StartTime)",
            literal: '$$.Execution.StartTime',
          },
          End: true,
        },
      },
    };

    // Act
    const prepared = prepareDefinition(definition);

    // Assess
    expect(stateOf(prepared.definition, 'Note').Parameters).toEqual({
      'at.$': `$$.Execution.${START_TIME_CONTEXT_FIELD}`,
      'text.$': `States.Format('since {}', $$.Execution.${START_TIME_CONTEXT_FIELD})`,
      literal: '$$.Execution.StartTime',
    });
  });

  it('negates type tests whose operand is false, at any depth, keeping Next outside', () => {
    // Prepare
    const definition = {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.outcome', StringEquals: 'request-info' },
                { Variable: '$.reason', IsPresent: false },
              ],
              Next: 'Done',
            },
            { Variable: '$.x', IsNull: false, Next: 'Done' },
            { Variable: '$.y', IsString: true, Next: 'Done' },
          ],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const prepared = prepareDefinition(definition).definition;

    // Assess
    expect(stateOf(prepared, 'Decide').Choices).toEqual([
      {
        And: [
          { Variable: '$.outcome', StringEquals: 'request-info' },
          { Not: { Variable: '$.reason', IsPresent: true } },
        ],
        Next: 'Done',
      },
      { Not: { Variable: '$.x', IsNull: true }, Next: 'Done' },
      { Variable: '$.y', IsString: true, Next: 'Done' },
    ]);
  });

  it.each([
    [{ reason: 'why' }, 'Present'],
    [{}, 'Absent'],
  ])('lets the library route %j by a negated IsPresent to %s', async (input, expected) => {
    // Prepare
    const definition = {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          Choices: [{ Variable: '$.reason', IsPresent: false, Next: 'Absent' }],
          Default: 'Present',
        },
        Absent: { Type: 'Pass', Result: 'Absent', End: true },
        Present: { Type: 'Pass', Result: 'Present', End: true },
      },
    };
    const prepared = prepareDefinition(definition).definition;
    const library = new StateMachine(prepared as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });

    // Act
    const result = await library.run(input).result;

    // Assess
    expect(result).toBe(expected);
  });

  it('leaves choice rules without a negated type test as they are', () => {
    // Prepare
    const rule = { Or: [{ Not: { Variable: '$.a', IsPresent: true } }], Next: 'X' };

    // Act
    const rewritten = rewriteChoiceRule(rule);

    // Assess
    expect(rewritten).toEqual(rule);
  });

  it('leaves the given definition untouched', () => {
    // Prepare
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: WAIT_FOR_TOKEN,
          Parameters: { 'token.$': '$$.Task.Token' },
          End: true,
        },
      },
    };
    const before = structuredClone(definition);

    // Act
    prepareDefinition(definition);

    // Assess
    expect(definition).toEqual(before);
  });

  it.each([
    [
      'a state name used twice',
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
              { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
            ],
            End: true,
          },
        },
      },
    ],
    [
      'JSONata',
      { QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
    ],
    ['a definition without States', { StartAt: 'X' }],
  ])('refuses %s', (_case, definition) => {
    // Prepare
    // Act
    const prepare = () => prepareDefinition(definition);

    // Assess
    expect(prepare).toThrow(UnsupportedDefinitionError);
  });
});
