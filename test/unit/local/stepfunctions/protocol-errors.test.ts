import { describe, expect, it } from 'vitest';
import { actionOf } from '../../../../infra/local/stepfunctions/http-server.ts';
import {
  ERROR_TYPE_NAMESPACE,
  errorResponse,
  StepFunctionsProtocolError,
} from '../../../../infra/local/stepfunctions/protocol-errors.ts';

describe('errorResponse', () => {
  it('answers a protocol error with its status and a namespaced __type the SDK maps by suffix', () => {
    // Prepare
    const error = new StepFunctionsProtocolError(
      'ExecutionDoesNotExist',
      "Execution Does Not Exist: 'x'",
    );

    // Act
    const response = errorResponse(error);

    // Assess
    expect(response).toEqual({
      statusCode: 400,
      body: {
        __type: 'com.amazonaws.swf.service.model.v20120125#ExecutionDoesNotExist',
        message: "Execution Does Not Exist: 'x'",
      },
    });
  });

  it('answers any other error as a 500 InternalFailure', () => {
    // Prepare
    const error = new TypeError('boom');

    // Act
    const response = errorResponse(error);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({
      __type: `${ERROR_TYPE_NAMESPACE}#InternalFailure`,
      message: 'boom',
    });
  });
});

describe('actionOf', () => {
  it.each([
    ['AWSStepFunctions.StartExecution', 'StartExecution'],
    ['AWSStepFunctions.', undefined],
    ['DynamoDB_20120810.GetItem', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (target, action) => {
    // Prepare
    // Act
    const read = actionOf(target);

    // Assess
    expect(read).toBe(action);
  });
});
