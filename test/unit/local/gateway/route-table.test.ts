import { describe, expect, it } from 'vitest';
import {
  createRouteTable,
  type GatewayRoute,
  InvalidRouteError,
} from '../../../../infra/local/gateway/index.ts';

const route = (method: string, path: string, functionName: string): GatewayRoute => ({
  method,
  path,
  functionName,
  authorization: 'NONE',
});

// The example route set from the API Gateway HTTP API routing documentation.
const table = createRouteTable([
  route('GET', '/pets/dog/1', 'exact'),
  route('GET', '/pets/dog/{id}', 'parameter'),
  route('GET', '/pets/{proxy+}', 'greedy'),
  route('ANY', '/{proxy+}', 'catch-all'),
  route('POST', '/v1/cases/{caseId}/documents/{documentId}', 'document'),
  route('ANY', '/v1/me', 'me-any'),
  route('GET', '/v1/me', 'me-get'),
]);

describe('createRouteTable', () => {
  it.each([
    ['GET', '/pets/dog/1', 'exact'],
    ['GET', '/pets/dog/2', 'parameter'],
    ['GET', '/pets/cat/1', 'greedy'],
    ['GET', '/pets/dog/1/toys', 'greedy'],
    ['GET', '/test', 'catch-all'],
    ['POST', '/pets/dog/1', 'catch-all'],
    ['GET', '/v1/me', 'me-get'],
    ['DELETE', '/v1/me', 'me-any'],
  ])('routes %s %s to the most specific route (%s)', (method, path, expected) => {
    // Prepare
    // (the table above)

    // Act
    const match = table.match(method, path);

    // Assess
    expect(match?.route.functionName).toBe(expected);
  });

  it('gives the declared route key and URL-decoded path parameters', () => {
    // Prepare
    const path = '/v1/cases/case%201/documents/%E5%8F%91%E7%A5%A8';

    // Act
    const match = table.match('post', path);

    // Assess
    expect(match?.routeKey).toBe('POST /v1/cases/{caseId}/documents/{documentId}');
    expect(match?.pathParameters).toEqual({ caseId: 'case 1', documentId: '发票' });
  });

  it('passes the rest of the path to a greedy parameter and omits parameters for exact routes', () => {
    // Prepare
    // (the table above)

    // Act
    const greedy = table.match('GET', '/pets/cat/1/whiskers');
    const exact = table.match('GET', '/pets/dog/1');

    // Assess
    expect(greedy?.pathParameters).toEqual({ proxy: 'cat/1/whiskers' });
    expect(exact?.pathParameters).toBeUndefined();
  });

  it('does not let a parameter match an empty segment, nor a greedy one match nothing', () => {
    // Prepare
    const strict = createRouteTable([
      route('GET', '/v1/cases/{caseId}', 'case'),
      route('GET', '/files/{proxy+}', 'files'),
    ]);

    // Act
    const results = ['/v1/cases/', '/v1/cases', '/files/', '/files', '/v1/cases/a/b'].map((path) =>
      strict.match('GET', path),
    );

    // Assess
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it.each([
    [[route('GET', 'v1/me', 'a')], 'must start with /'],
    [[route('FETCH', '/v1/me', 'a')], 'unknown method'],
    [[route('GET', '/{proxy+}/x', 'a')], 'last segment'],
    [[route('GET', '/v1/{a}/{a}', 'a')], 'repeats'],
    [[route('GET', '/v1/{a', 'a')], 'malformed'],
    [[route('GET', '/v1/{a}', 'a'), route('get', '/v1/{b}', 'b')], 'duplicates'],
  ])('rejects an invalid route set (%#: %s)', (routes, problem) => {
    // Prepare
    // (the routes above)

    // Act
    const creating = (): unknown => createRouteTable(routes);

    // Assess
    expect(creating).toThrow(InvalidRouteError);
    expect(creating).toThrow(problem);
  });
});
