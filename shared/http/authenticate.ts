import type { MiddlewareObj } from '@middy/core';
import { requireAnyRole } from '../auth/access.ts';
import { principalFromClaims } from '../auth/principal.ts';
import type { Role } from '../auth/roles.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

/**
 * Derives the principal from the JWT claims the authorizer verified, and turns away callers that
 * hold none of `roles` (403). No claims at all means the request never passed an authorizer: 401.
 */
export function authenticate(
  roles: readonly Role[],
): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      const principal = principalFromClaims(request.event.requestContext?.authorizer?.jwt?.claims);
      requireAnyRole(principal, roles);
      request.context.principal = principal;
    },
  };
}
