import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { MiddlewareObj } from '@middy/core';
import { errorResponse } from '../errors/error-response.ts';
import {
  IdempotencyKeyReusedError,
  InternalError,
  RequestInProgressError,
} from '../errors/http-errors.ts';
import { ShanyuError } from '../errors/shanyu-error.ts';
import { logger } from '../logging/logger.ts';
import { invalidCursorError, isStartKeyRefused } from './cursor.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

function toShanyuError(error: unknown, event: ApiEvent | undefined): ShanyuError | undefined {
  if (error instanceof ShanyuError) return error;
  if (error instanceof IdempotencyValidationError) return new IdempotencyKeyReusedError();
  if (error instanceof IdempotencyAlreadyInProgressError) return new RequestInProgressError();
  // The only start key a client controls is the one in its cursor.
  if (event?.queryStringParameters?.cursor !== undefined && isStartKeyRefused(error)) {
    return invalidCursorError();
  }
  return undefined;
}

/**
 * Turns every error into the API's error shape. Known errors keep their status and code; anything
 * else is logged in full and answered with a bare 500 and the request id, never internals.
 */
export function httpErrorHandler(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    onError: (request) => {
      if (request.response !== undefined && request.error === undefined) return;
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const language = request.context.language ?? 'zh-CN';
      const known = toShanyuError(request.error, request.event);
      if (known) {
        if (known.statusCode >= 500) logger.error('Request failed', { error: request.error });
        else logger.info('Request rejected', { code: known.code, status: known.statusCode });
        request.response = errorResponse(known, language, requestId);
        return;
      }
      logger.error('Unexpected error', { error: request.error });
      request.response = errorResponse(new InternalError(), language, requestId);
    },
  };
}
