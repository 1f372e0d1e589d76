import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import { jsonResponse } from '../../../shared/http/response.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

function event(overrides: {
  body?: string;
  headers?: Record<string, string>;
  claims?: Record<string, string> | null;
}): ApiEvent {
  const claims =
    overrides.claims === undefined
      ? { sub: 'family-1', 'cognito:groups': '[citizen]' }
      : overrides.claims;
  return {
    version: '2.0',
    routeKey: 'POST /v1/things',
    rawPath: '/v1/things',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...overrides.headers },
    requestContext: {
      requestId: 'api-req-1',
      routeKey: 'POST /v1/things',
      http: {
        method: 'POST',
        path: '/v1/things',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    body: overrides.body,
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

const thingSchema = z.object({ name: z.string().min(1), count: z.number().int() }).strict();

let calls = 0;
const handler = apiHandler(
  { name: 'Things', roles: ['citizen'], body: thingSchema },
  async ({ body, principal }) => {
    calls += 1;
    if (body.name === 'boom') throw new Error('database password is hunter2');
    return jsonResponse(201, { name: body.name, by: principal.sub });
  },
);

async function call(e: ApiEvent) {
  const before = calls;
  const result = await handler(e, context);
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: JSON.parse(String(result.body)),
    reachedLogic: calls > before,
  };
}

describe('apiHandler, the front door', () => {
  it('hands the validated body and the principal to the route', async () => {
    // Prepare / Act
    const response = await call(event({ body: '{"name":"a","count":1}' }));

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ name: 'a', by: 'family-1' });
  });

  it.each([
    ['no claims (no authorizer)', event({ body: '{}', claims: null }), 401, 'UNAUTHENTICATED'],
    [
      'a role the route does not take',
      event({ body: '{}', claims: { sub: 'p', 'cognito:groups': '[provider]' } }),
      403,
      'FORBIDDEN',
    ],
    [
      'a body over 256 KB',
      event({ body: JSON.stringify({ name: 'x'.repeat(300_000), count: 1 }) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['a body that is not JSON', event({ body: '{"name":' }), 400, 'MALFORMED_JSON'],
    [
      'another content type',
      event({ body: 'name=a', headers: { 'content-type': 'text/plain' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'fields that break the schema',
      event({ body: '{"name":"","extra":1}' }),
      400,
      'VALIDATION_FAILED',
    ],
  ])('refuses %s before the route runs', async (_, e, status, code) => {
    // Prepare / Act
    const response = await call(e);

    // Assess
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.requestId).toBe('api-req-1');
    expect(response.reachedLogic).toBe(false);
  });

  it('names every bad path, in English when asked', async () => {
    // Prepare
    const e = event({ body: '{"name":"","extra":1}', headers: { 'accept-language': 'en' } });

    // Act
    const response = await call(e);

    // Assess
    expect(response.body.error.message).toBe('The request has invalid fields');
    expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'count',
      'extra',
      'name',
    ]);
    expect(response.headers['content-language']).toBe('en');
  });

  it('answers an unexpected fault with a bare 500 that reveals nothing', async () => {
    // Prepare / Act
    const response = await call(event({ body: '{"name":"boom","count":1}' }));

    // Assess
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(response.body.error.message).toBe('服务器内部错误，请稍后重试');
  });
});
