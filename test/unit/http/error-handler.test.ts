import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

function listEvent(query: Record<string, string>): ApiEvent {
  return {
    version: '2.0',
    routeKey: 'GET /v1/things',
    rawPath: '/v1/things',
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    queryStringParameters: query,
    requestContext: {
      requestId: 'api-req-1',
      routeKey: 'GET /v1/things',
      http: {
        method: 'GET',
        path: '/v1/things',
        protocol: 'HTTP/1.1',
        sourceIp: '',
        userAgent: '',
      },
      authorizer: {
        jwt: { claims: { sub: 's-1', 'cognito:groups': '[caseworker]' }, scopes: null },
      },
    },
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

const dynamoError = (message: string) =>
  Object.assign(new Error(message), { name: 'ValidationException' });

/** A list route whose query fails in DynamoDB with `error`. */
const failingList = (error: Error) =>
  apiHandler(
    {
      name: 'ListThings',
      roles: ['caseworker'],
      query: z.object({ cursor: z.string().optional() }).strict(),
    },
    async () => {
      throw error;
    },
  );

async function call(error: Error, query: Record<string, string>) {
  const result = await failingList(error)(listEvent(query), context);
  return { status: result.statusCode, body: JSON.parse(String(result.body)) };
}

describe('the error handler and page cursors', () => {
  it('answers a start key DynamoDB refuses as the client’s bad cursor (400)', async () => {
    // Prepare
    const refused = dynamoError('The provided starting key does not match the range key predicate');

    // Act
    const response = await call(refused, { cursor: 'eyJ9' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'query.cursor',
    ]);
  });

  it.each([
    [
      'a refused start key without a cursor: our own bug',
      'The provided starting key is invalid',
      {},
    ],
    [
      'another refusal with a cursor',
      'Hash primary key values must be under 2048 bytes',
      { cursor: 'eyJ9' },
    ],
  ])('still answers %s with a 500', async (_, message, query) => {
    // Prepare / Act
    const response = await call(dynamoError(message), query);

    // Assess
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('INTERNAL');
  });
});
