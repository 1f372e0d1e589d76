import type { ApiContext, ApiEvent, ApiResult } from '../../shared/http/types.ts';

/** The Lambda context a route handler gets in unit tests. */
export const handlerContext = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

/** An HTTP API (v2) GET of `path` with a query and a caller's JWT claims, as API Gateway sends it. */
export function apiGetEvent(
  path: string,
  query: Record<string, string>,
  claims: Record<string, string>,
): ApiEvent {
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    queryStringParameters: query,
    requestContext: {
      requestId: 'api-req-1',
      routeKey: `GET ${path}`,
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims, scopes: null } },
    },
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

/**
 * A caller of one GET route's handler: `call(query, claims)` answers status and parsed body.
 * `sub` defaults to `defaultSub` unless the claims name one.
 */
export function getCaller(
  handler: (event: ApiEvent, context: ApiContext) => Promise<ApiResult>,
  path: string,
  defaultSub: string,
) {
  return async (query: Record<string, string>, claims: Record<string, string>) => {
    const event = apiGetEvent(path, query, { sub: defaultSub, ...claims });
    const result = await handler(event, handlerContext);
    return { status: result.statusCode, body: JSON.parse(String(result.body)) };
  };
}
