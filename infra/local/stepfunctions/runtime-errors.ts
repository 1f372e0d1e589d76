import { StateMachine } from 'aws-local-stepfunctions';

/**
 * Unwinds a run that was stopped (StopExecution, timeout, service closed). The library reads
 * `isRetryable` / `isCatchable` off errors, so no Retry or Catch of the definition intercepts it.
 */
export class ExecutionInterruptedError extends Error {
  public readonly isRetryable = false;
  public readonly isCatchable = false;

  public constructor() {
    super('The execution is no longer running here');
    this.name = 'ExecutionInterruptedError';
  }
}

/** `States.Runtime`: a fault of the definition or of this runtime, not of a task. */
export class LocalRuntimeError extends Error {
  public readonly isRetryable = false;
  public readonly isCatchable = false;

  public constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

/**
 * A task failure as the library matches it: `name` is the error Retry/Catch compare with
 * ErrorEquals, and `message` is what a Catch puts under `Cause`.
 */
export class TaskFailureError extends Error {
  public constructor(error: string, cause: string) {
    super(cause, { cause });
    this.name = error;
  }
}

/** Error and cause AWS reports for a Lambda that threw: `cause` is the Lambda's error JSON. */
export function lambdaFailure(error: unknown): { error: string; cause: string } {
  if (error instanceof Error) {
    const errorType = error.name || 'Error';
    const trace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
    return {
      error: errorType,
      cause: JSON.stringify({ errorType, errorMessage: error.message, trace }),
    };
  }
  return { error: 'Lambda.Unknown', cause: String(error) };
}

let timeoutErrorFactory: Promise<() => Error> | undefined;

/**
 * Makes `States.Timeout` errors the library recognises. It keeps timeouts out of the
 * `States.TaskFailed` wildcard with an `instanceof` check on a class it does not export, so one
 * instance is obtained by letting a probe task time out after 1 ms.
 */
export function loadTimeoutErrorFactory(): Promise<() => Error> {
  timeoutErrorFactory ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: {
          Probe: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
            TimeoutSeconds: 0.001,
            End: true,
          },
        },
      },
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run(null, {
      overrides: { taskResourceLocalHandlers: { Probe: () => new Promise(() => {}) } },
    });
    try {
      await run.result;
    } catch (error) {
      const timeout = (error as Error).cause;
      if (timeout instanceof Error && timeout.name === 'States.Timeout') {
        const Timeout = timeout.constructor as new () => Error;
        return () => new Timeout();
      }
    }
    return () => new TaskFailureError('States.Timeout', 'States.Timeout');
  })();
  return timeoutErrorFactory;
}
