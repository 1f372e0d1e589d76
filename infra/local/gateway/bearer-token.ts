const BEARER = /^bearer\s+/i;

/**
 * The token from an `Authorization` header. API Gateway's JWT authorizer accepts it with or
 * without the `Bearer ` prefix, so a bare token is accepted here too.
 */
export function extractBearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const token = authorization.trim().replace(BEARER, '').trim();
  return token.length === 0 || /\s/.test(token) ? undefined : token;
}
