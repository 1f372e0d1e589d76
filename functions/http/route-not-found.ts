import middy from '@middy/core';
import { MethodNotAllowedError, RouteNotFoundError } from '../../shared/errors/http-errors.ts';
import { httpErrorHandler } from '../../shared/http/error-handler.ts';
import { language } from '../../shared/http/language.ts';
import { pathMatches } from '../../shared/http/route-match.ts';
import type { ApiContext, ApiEvent, ApiResult } from '../../shared/http/types.ts';
import { routes } from './routes.ts';

/**
 * The `$default` route: API Gateway sends here whatever matched no route. A known path with
 * another method is a 405 naming the allowed methods; anything else is a 404 — both in the
 * API's error shape rather than API Gateway's bare `{"message":"Not Found"}`.
 */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(language())
  .use(httpErrorHandler())
  .handler(async (event) => {
    const path = event.requestContext.http.path;
    const allowed = routes.filter((route) => pathMatches(route.path, path)).map((r) => r.method);
    if (allowed.length > 0) throw new MethodNotAllowedError([...new Set(allowed)].sort());
    throw new RouteNotFoundError();
  });
