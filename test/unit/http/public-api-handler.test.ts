import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { publicApiHandler } from '../../../shared/http/api-handler.ts';
import { jsonResponse } from '../../../shared/http/response.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

/** A request as API Gateway forwards it on a route without authorizer: no claims at all. */
function event(query: Record<string, string> = {}, headers: Record<string, string> = {}): ApiEvent {
  return {
    version: '2.0',
    routeKey: 'GET /v1/things',
    rawPath: '/v1/things',
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: query,
    requestContext: {
      requestId: 'api-req-1',
      routeKey: 'GET /v1/things',
      http: { method: 'GET', path: '/v1/things', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    },
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

const seen: unknown[] = [];
const handler = publicApiHandler(
  { name: 'Things', query: z.object({ n: z.coerce.number().int().min(1) }).strict() },
  async ({ principal, query }) => {
    seen.push(principal);
    return jsonResponse(200, { n: query.n });
  },
);

async function call(e: ApiEvent) {
  const result = await handler(e, context);
  return { status: result.statusCode, body: JSON.parse(String(result.body)) };
}

describe('publicApiHandler, the front door without login', () => {
  it('runs the route without an Authorization header, with no principal', async () => {
    // Prepare
    seen.length = 0;

    // Act
    const response = await call(event({ n: '3' }));

    // Assess
    expect(response).toEqual({ status: 200, body: { n: 3 } });
    expect(seen).toEqual([undefined]);
  });

  it('ignores claims a request might carry: a public route reads no identity', async () => {
    // Prepare
    seen.length = 0;
    const e = event({ n: '1' });
    (e.requestContext as unknown as Record<string, unknown>).authorizer = {
      jwt: { claims: { sub: 'family-1', 'cognito:groups': '[admin]' }, scopes: null },
    };

    // Act
    const response = await call(e);

    // Assess
    expect(response.status).toBe(200);
    expect(seen).toEqual([undefined]);
  });

  it('still validates the query, in the error shape and the caller’s language', async () => {
    // Prepare
    seen.length = 0;

    // Act
    const response = await call(event({ n: '0', extra: 'x' }, { 'accept-language': 'en' }));

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.message).toBe('The request has invalid fields');
    expect(response.body.error.requestId).toBe('api-req-1');
    expect(seen).toEqual([]);
  });
});
