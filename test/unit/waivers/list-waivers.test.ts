import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/http/list-waivers.ts';
import { documentClient } from '../../../shared/db/client.ts';
import { providerItem } from '../../../shared/providers/provider-store.ts';
import { waiverMonthItems } from '../../../shared/waivers/waiver-records.ts';
import { getCaller } from '../../support/api-get.ts';
import { fullProvider } from '../providers/fixtures.ts';
import { childIdBornOn } from './fixtures.ts';
import { WaiverTable } from './waiver-table.ts';

const childId = childIdBornOn('2025-03-15');

const call = getCaller(handler, '/v1/waivers', 'someone');

/** P-WX-0042 (吴兴区) with one case's December: 1800.50 yuan, half waived. */
const ownQuery = { providerId: 'P-WX-0042', month: '2026-12' };
const own = { roles: 'provider', providerId: 'P-WX-0042' };

let table: WaiverTable;

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 't');
  table = new WaiverTable();
  table.put(providerItem(fullProvider));
  const items = waiverMonthItems(
    {
      caseId: 'TW-0123456789AB',
      providerId: 'P-WX-0042',
      district: 'wuxing',
      childIdNumber: childId,
      childName: '沈小禾',
      category: 'dibian',
      percent: 50,
      policyVersion: '2025-01',
      createdAt: '2026-11-20T02:00:00.000Z',
      months: [
        { month: '2026-12', tuitionYuan: 1800.5, waivedYuan: 900.25, remainderYuan: 900.25 },
      ],
    },
    't',
  );
  for (const item of items) table.put(item.Put.Item);
  vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('GET /v1/waivers', () => {
  it('shows a provider its own waivers in yuan, masked, without any ID number', async () => {
    // Act
    const response = await call(ownQuery, own);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          caseId: 'TW-0123456789AB',
          month: '2026-12',
          childName: '沈*禾',
          category: 'dibian',
          percent: 50,
          tuitionYuan: 1800.5,
          waivedYuan: 900.25,
          remainderYuan: 900.25,
          status: 'active',
        },
      ],
    });
    expect(JSON.stringify(response.body)).not.toContain(childId);
    expect(table.queries[0]).toMatchObject({
      IndexName: 'gsi3',
      ExpressionAttributeValues: { ':pk': 'WAIVERS#P-WX-0042#2026-12' },
      Limit: 50,
    });
  });

  it("refuses another provider's waivers with 403", async () => {
    // Act
    const response = await call({ ...ownQuery, providerId: 'P-WX-0001' }, own);

    // Assess
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
    expect(table.queries).toHaveLength(0);
  });

  it.each([
    ['a caseworker of its district', { roles: 'caseworker', district: 'wuxing' }],
    ['a supervisor of the city', { roles: 'supervisor', district: 'city' }],
    ['finance of its district', { roles: 'finance', district: 'wuxing' }],
    ['an admin', { roles: 'admin' }],
  ])("lets %s list a provider's waivers", async (_who, claims) => {
    // Act
    const response = await call(ownQuery, claims);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
  });

  it.each([
    ['a caseworker of another district', { roles: 'caseworker', district: 'anji' }],
    ['a caseworker without a district', { roles: 'caseworker' }],
    ['a provider without a provider id', { roles: 'provider' }],
  ])('refuses %s with 403', async (_who, claims) => {
    // Act
    const response = await call(ownQuery, claims);

    // Assess
    expect(response.status).toBe(403);
    expect(table.queries).toHaveLength(0);
  });

  it.each([
    ['a citizen', { roles: 'citizen' }],
    ['fire staff', { roles: 'fire', district: 'wuxing' }],
    ['civil affairs', { roles: 'civil-affairs', district: 'wuxing' }],
  ])('refuses %s by role', async (_who, claims) => {
    // Act
    const response = await call(ownQuery, claims);

    // Assess
    expect(response.status).toBe(403);
    expect(table.queries).toHaveLength(0);
  });

  it('answers PROVIDER_NOT_FOUND to district staff asking for an unknown provider', async () => {
    // Act
    const response = await call(
      { ...ownQuery, providerId: 'P-WX-9999' },
      { roles: 'caseworker', district: 'wuxing' },
    );

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('PROVIDER_NOT_FOUND');
  });

  it.each<Record<string, string>>([
    { month: '2026-12' },
    { providerId: 'P-WX-0042' },
    { providerId: 'P-WX-0042', month: '2026-13' },
    { providerId: 'P-WX-0042', month: '2026-12', limit: '101' },
    { providerId: 'P-WX-0042', month: '2026-12', district: 'wuxing' },
  ])('refuses the query %o', async (query) => {
    // Act
    const response = await call(query, own);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(table.queries).toHaveLength(0);
  });

  it('pages with a cursor', async () => {
    // Prepare
    table.pageSize = 1;
    const second = waiverMonthItems(
      {
        caseId: 'TW-ZZZZZZZZZZZZ',
        providerId: 'P-WX-0042',
        district: 'wuxing',
        childIdNumber: childIdBornOn('2025-06-01'),
        childName: '王小明',
        category: 'dibao',
        percent: 100,
        policyVersion: '2025-01',
        createdAt: '2026-11-20T02:00:00.000Z',
        months: [{ month: '2026-12', tuitionYuan: 1500, waivedYuan: 1500, remainderYuan: 0 }],
      },
      't',
    );
    for (const item of second) table.put(item.Put.Item);

    // Act
    const first = await call({ ...ownQuery, limit: '1' }, own);
    const next = await call({ ...ownQuery, limit: '1', cursor: first.body.cursor }, own);

    // Assess
    expect(first.body.items.map((w: { caseId: string }) => w.caseId)).toEqual(['TW-0123456789AB']);
    expect(next.body.items).toEqual([
      expect.objectContaining({ caseId: 'TW-ZZZZZZZZZZZZ', remainderYuan: 0, waivedYuan: 1500 }),
    ]);
    expect(next.body).not.toHaveProperty('cursor');
  });
});
