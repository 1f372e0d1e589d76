import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/http/list-cases.ts';
import { listCases } from '../../../shared/cases/case-list.ts';
import { getCaller } from '../../support/api-get.ts';

// The table stays out of it: the listing comes from this stand-in.
vi.mock('../../../shared/cases/case-list.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/cases/case-list.ts')>()),
  listCases: vi.fn(),
}));

const call = getCaller(handler, '/v1/cases', 'someone');

const admin = { 'cognito:groups': '[admin]' };

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 't');
  vi.mocked(listCases).mockResolvedValue({ items: [] });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetAllMocks();
});

describe("GET /v1/cases?district=…, a district's cases", () => {
  it('lets an admin list any district it names (authorization matrix: ListCases × admin)', async () => {
    // Prepare
    const query = { district: 'anji', status: 'in-review' };

    // Act
    const response = await call(query, admin);

    // Assess
    expect(response.status).toBe(200);
    expect(vi.mocked(listCases).mock.calls).toEqual([
      [{ kind: 'district', district: 'anji', status: 'in-review' }, 20, undefined],
    ]);
  });

  it('asks an admin to name the district, as city staff must', async () => {
    // Prepare
    const query = {};

    // Act
    const response = await call(query, admin);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'query.district',
    ]);
    expect(listCases).not.toHaveBeenCalled();
  });

  it.each([
    [
      'a caseworker of the district',
      { 'cognito:groups': '[caseworker]', 'custom:district': 'anji' },
    ],
    ['city staff', { 'cognito:groups': '[finance]', 'custom:district': 'city' }],
  ])('lets %s list it', async (_name, claims) => {
    // Prepare
    const query = { district: 'anji' };

    // Act
    const response = await call(query, claims);

    // Assess
    expect(response.status).toBe(200);
    expect(vi.mocked(listCases).mock.calls[0]?.[0]).toEqual({ kind: 'district', district: 'anji' });
  });

  it.each([
    [
      'staff of another district',
      { 'cognito:groups': '[caseworker]', 'custom:district': 'deqing' },
    ],
    ['staff without a district', { 'cognito:groups': '[supervisor]' }],
    ['a family', { 'cognito:groups': '[citizen]' }],
    ['a provider', { 'cognito:groups': '[provider]', 'custom:providerId': 'P-1' }],
    ['a family claiming a district', { 'cognito:groups': '[citizen]', 'custom:district': 'city' }],
  ])('refuses %s with 403, reading nothing', async (_name, claims) => {
    // Prepare
    const query = { district: 'anji' };

    // Act
    const response = await call(query, claims);

    // Assess
    expect(response.status).toBe(403);
    expect(listCases).not.toHaveBeenCalled();
  });
});
