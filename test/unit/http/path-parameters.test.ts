import { describe, expect, it } from 'vitest';
import { apiHandler, publicApiHandler } from '../../../shared/http/api-handler.ts';
import { maxPathParameterBytes } from '../../../shared/http/path-parameters.ts';
import { jsonResponse } from '../../../shared/http/response.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

function getEvent(caseId: string): ApiEvent {
  return {
    version: '2.0',
    routeKey: 'GET /v1/cases/{caseId}',
    rawPath: `/v1/cases/${caseId}`,
    rawQueryString: '',
    headers: {},
    pathParameters: { caseId },
    requestContext: {
      requestId: 'api-req-1',
      routeKey: 'GET /v1/cases/{caseId}',
      http: {
        method: 'GET',
        path: '/v1/cases/x',
        protocol: 'HTTP/1.1',
        sourceIp: '',
        userAgent: '',
      },
      authorizer: {
        jwt: { claims: { sub: 'family-1', 'cognito:groups': '[citizen]' }, scopes: null },
      },
    },
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

let reads = 0;
const logic = async ({
  pathParameters,
}: {
  pathParameters: Record<string, string | undefined>;
}) => {
  reads += 1;
  return jsonResponse(200, { caseId: pathParameters.caseId });
};
const getCase = apiHandler({ name: 'GetCase', roles: ['citizen'] }, logic);
const getProvider = publicApiHandler({ name: 'GetProvider' }, logic);

async function call(handler: typeof getCase, id: string) {
  const before = reads;
  const result = await handler(getEvent(id), context);
  return {
    status: result.statusCode,
    body: JSON.parse(String(result.body)),
    reachedLogic: reads > before,
  };
}

describe('path parameters no id can be', () => {
  it.each([
    ['ASCII', 'A'.repeat(maxPathParameterBytes + 1)],
    ['Chinese, counted in UTF-8 bytes', '案'.repeat(Math.ceil(maxPathParameterBytes / 3) + 1)],
  ])('are not found (404) before the route reads with them: %s', async (_, id) => {
    // Prepare / Act
    const [privateRoute, publicRoute] = [await call(getCase, id), await call(getProvider, id)];

    // Assess
    for (const response of [privateRoute, publicRoute]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
      expect(response.reachedLogic).toBe(false);
    }
  });

  it('reach the route up to the limit', async () => {
    // Prepare / Act
    const response = await call(getCase, 'A'.repeat(maxPathParameterBytes));

    // Assess
    expect(response.status).toBe(200);
    expect(response.reachedLogic).toBe(true);
  });
});
