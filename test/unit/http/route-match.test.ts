import { describe, expect, it } from 'vitest';
import { pathMatches } from '../../../shared/http/route-match.ts';

describe('pathMatches', () => {
  it.each([
    ['/v1/me', '/v1/me'],
    ['/v1/cases/{caseId}', '/v1/cases/SC-1'],
    ['/v1/cases/{caseId}/withdraw', '/v1/cases/%2F/withdraw'],
    ['/files/{path+}', '/files/a/b/c'],
  ])('%s serves %s', (route, path) => {
    // Prepare / Act / Assess
    expect(pathMatches(route, path)).toBe(true);
  });

  it.each([
    // A trailing or doubled slash is another path to API Gateway: a 404, not a 405 naming the
    // method the caller just used.
    ['/v1/me', '/v1/me/'],
    ['/v1/me', '//v1/me'],
    ['/v1/cases', '/v1/cases/'],
    ['/v1/cases/{caseId}', '/v1/cases/'],
    ['/v1/cases/{caseId}/withdraw', '/v1/cases//withdraw'],
    ['/v1/cases/{caseId}', '/v1/cases/SC-1/withdraw'],
    ['/files/{path+}', '/files/'],
  ])('%s does not serve %s', (route, path) => {
    // Prepare / Act / Assess
    expect(pathMatches(route, path)).toBe(false);
  });
});
