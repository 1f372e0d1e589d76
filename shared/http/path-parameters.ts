import type { MiddlewareObj } from '@middy/core';
import { NotFoundError } from '../errors/http-errors.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

/** The ids this API issues are at most 64 characters; a path parameter far longer names nothing. */
export const maxPathParameterBytes = 256;

/**
 * Answers 404 for a path parameter no id can be, before a route reads with it: ids end up in
 * table keys, and DynamoDB refuses a key over 1 KB (sort) or 2 KB (partition) with an error the
 * route would answer as a 500.
 */
export function boundedPathParameters(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      for (const value of Object.values(request.event.pathParameters ?? {})) {
        if (value !== undefined && Buffer.byteLength(value, 'utf8') > maxPathParameterBytes) {
          throw new NotFoundError();
        }
      }
    },
  };
}
