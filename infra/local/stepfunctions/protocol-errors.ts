/** Namespace the service puts before error codes in `__type`; the SDK keeps what follows `#`. */
export const ERROR_TYPE_NAMESPACE = 'com.amazonaws.swf.service.model.v20120125';

/**
 * Error codes this server answers with. The SDK maps each to its exception class by the part of
 * `__type` after `#` (`ExecutionDoesNotExist` → `ExecutionDoesNotExist`); codes it does not model
 * (UnknownOperationException, SerializationException, InternalFailure) become `SFNServiceException`
 * with that name.
 */
export type ProtocolErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InternalFailure'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'SerializationException'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'UnknownOperationException'
  | 'ValidationException';

/** A failure the Step Functions API reports to its caller, with the HTTP status it uses. */
export class StepFunctionsProtocolError extends Error {
  public readonly code: ProtocolErrorCode;
  public readonly statusCode: number;

  public constructor(code: ProtocolErrorCode, message: string, statusCode = 400) {
    super(message);
    this.name = 'StepFunctionsProtocolError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

export interface ErrorResponse {
  readonly statusCode: number;
  readonly body: { __type: string; message: string };
}

/** The response AWS sends for an error: any non-protocol error is an internal failure. */
export function errorResponse(error: unknown): ErrorResponse {
  const failure =
    error instanceof StepFunctionsProtocolError
      ? error
      : new StepFunctionsProtocolError(
          'InternalFailure',
          error instanceof Error ? error.message : String(error),
          500,
        );
  return {
    statusCode: failure.statusCode,
    body: { __type: `${ERROR_TYPE_NAMESPACE}#${failure.code}`, message: failure.message },
  };
}
