import { describe, expect, it } from 'vitest';
import type { IssueTokenInput } from '../../../../infra/local/auth/index.ts';
import { devTokenRoute } from '../../../../infra/local/gateway/index.ts';

function recordingIssuer() {
  const inputs: IssueTokenInput[] = [];
  return {
    inputs,
    issueToken: async (input: IssueTokenInput) => {
      inputs.push(input);
      return `token-for-${input.sub}`;
    },
  };
}

const post = (body: string) => ({
  method: 'POST',
  path: '/dev/token',
  headers: { 'content-type': 'application/json' },
  body,
  query: new URLSearchParams(),
});

describe('devTokenRoute', () => {
  it('issues a token for a valid request', async () => {
    // Prepare
    const issuer = recordingIssuer();
    const handler = devTokenRoute(issuer);
    const request = { sub: 'worker-1', roles: ['caseworker', 'finance'], district: '330503' };

    // Act
    const response = await handler(post(JSON.stringify(request)));

    // Assess
    expect(response).toEqual({ statusCode: 200, body: { token: 'token-for-worker-1' } });
    expect(issuer.inputs).toEqual([request]);
  });

  it.each([
    ['no roles', { sub: 'u', roles: [] }, ['roles']],
    ['a duplicated role', { sub: 'u', roles: ['citizen', 'citizen'] }, ['roles']],
    ['an unknown role', { sub: 'u', roles: ['citizen', 'root'] }, ['roles.1']],
    ['an empty sub', { sub: '', roles: ['citizen'] }, ['sub']],
    ['a sub over 128 characters', { sub: 'x'.repeat(129), roles: ['citizen'] }, ['sub']],
    ['a non-string district', { sub: 'u', roles: ['citizen'], district: 330502 }, ['district']],
    ['an unknown field', { sub: 'u', roles: ['citizen'], role: 'admin' }, ['role']],
    ['nothing valid', {}, ['sub', 'roles']],
  ])('answers 400 naming the bad paths for %s', async (_case, request, paths) => {
    // Prepare
    const issuer = recordingIssuer();
    const handler = devTokenRoute(issuer);

    // Act
    const response = await handler(post(JSON.stringify(request)));

    // Assess
    expect(response.statusCode).toBe(400);
    const body = response.body as { message: string; issues: { path: string; message: string }[] };
    expect(body.issues.map((issue) => issue.path).sort()).toEqual([...paths].sort());
    expect(issuer.inputs).toHaveLength(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    // Prepare
    const issuer = recordingIssuer();
    const handler = devTokenRoute(issuer);

    // Act
    const response = await handler(post('{"sub":'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ issues: [{ path: '' }] });
    expect(issuer.inputs).toHaveLength(0);
  });
});
