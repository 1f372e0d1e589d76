import type { MiddlewareObj } from '@middy/core';
import { negotiateLanguage } from '../errors/localized.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

/** Decides the response language first, so that even a 401 speaks the caller's language. */
export function language(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      request.context.language = negotiateLanguage(request.event.headers?.['accept-language']);
    },
  };
}
