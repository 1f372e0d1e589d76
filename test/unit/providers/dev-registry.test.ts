import { describe, expect, it } from 'vitest';
import { devRegistryRoutes } from '../../../infra/local/dev-registry.ts';
import type { LocalRequest } from '../../../infra/local/gateway/types.ts';
import { ProviderStore } from '../../../shared/providers/provider-store.ts';
import { TableRegistries } from '../../../shared/registries/table-registries.ts';
import { fakeTable } from '../registries/fake-table.ts';
import {
  withIdCheckDigit,
  withUsccCheck,
  withWrongLastCharacter,
} from '../validation/check-characters.ts';

const childId = withIdCheckDigit('33050220240315012');
const uscc = withUsccCheck('91330502MA2B3C4D5');

const post = (path: string, body: unknown, headers: Record<string, string> = {}): LocalRequest => ({
  method: 'POST',
  path,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  query: new URLSearchParams(),
});

function routes() {
  const table = fakeTable();
  const handlers = devRegistryRoutes(table.documents, 't');
  const route = (key: string) => {
    const handler = handlers[key];
    if (handler === undefined) throw new Error(`no route ${key}`);
    return handler;
  };
  return { table, handlers, route };
}

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

const detailPaths = (body: unknown) =>
  ((body as ErrorBody).error.details ?? []).map((detail) => detail.path).sort();

describe('devRegistryRoutes', () => {
  it('serves exactly the three dev endpoints', () => {
    // Prepare
    const { handlers } = routes();

    // Act
    const keys = Object.keys(handlers).sort();

    // Assess
    expect(keys).toEqual([
      'POST /dev/providers',
      'POST /dev/registry/enterprises',
      'POST /dev/registry/residents',
    ]);
  });

  it('stores a resident, deriving the birth date, and answers with the ID number masked', async () => {
    // Prepare
    const { table, route } = routes();
    const body = {
      idNumber: childId,
      name: '沈小禾',
      hukouDistrict: 'wuxing',
      hardship: { category: 'dibao', validUntil: '2027-06-30' },
    };

    // Act
    const response = await route('POST /dev/registry/residents')(
      post('/dev/registry/residents', body),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      idNumber: `330${'*'.repeat(11)}${childId.slice(-4)}`,
      name: '沈小禾',
      birthDate: '2024-03-15',
      hukouDistrict: 'wuxing',
      hardship: { category: 'dibao', validUntil: '2027-06-30' },
    });
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });
    expect(await registries.findResident(childId)).toMatchObject({ birthDate: '2024-03-15' });
    expect(await registries.findHardship(childId)).toEqual(body.hardship);
  });

  it('names every bad field of a resident at once, in the API error shape', async () => {
    // Prepare
    const { table, route } = routes();
    const body = {
      idNumber: `${childId.slice(0, 17)}Y`,
      name: '',
      hukouDistrict: 'hangzhou',
      hardship: { category: 'poor', validUntil: '2027-02-30' },
      note: 'extra',
    };

    // Act
    const response = await route('POST /dev/registry/residents')(
      post('/dev/registry/residents', body),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect((response.body as ErrorBody).error.code).toBe('VALIDATION_FAILED');
    expect(detailPaths(response.body)).toEqual([
      'body.hardship.category',
      'body.hardship.validUntil',
      'body.hukouDistrict',
      'body.idNumber',
      'body.name',
      'body.note',
    ]);
    expect(table.items.size).toBe(0);
  });

  it('answers in English when asked', async () => {
    // Prepare
    const { route } = routes();

    // Act
    const response = await route('POST /dev/registry/enterprises')(
      post(
        '/dev/registry/enterprises',
        { name: 'x', status: 'active' },
        { 'accept-language': 'en' },
      ),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-language']).toBe('en');
    expect((response.body as ErrorBody).error.details).toEqual([
      { path: 'body.uscc', message: 'Required' },
    ]);
  });

  it('refuses a body that is not JSON', async () => {
    // Prepare
    const { route } = routes();

    // Act
    const response = await route('POST /dev/providers')(post('/dev/providers', '{"name":'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect((response.body as ErrorBody).error.code).toBe('MALFORMED_JSON');
  });

  it('stores an enterprise', async () => {
    // Prepare
    const { table, route } = routes();
    const body = { uscc, name: '湖州吴兴禾苗托育服务有限公司', status: 'active' };

    // Act
    const response = await route('POST /dev/registry/enterprises')(
      post('/dev/registry/enterprises', body),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });
    expect(await registries.findEnterprise(uscc)).toEqual(body);
  });

  it('names every bad field of an enterprise', async () => {
    // Prepare
    const { route } = routes();
    const wrongCheck = withWrongLastCharacter(uscc, '0123456789ABCDEFGHJKLMNPQRTUWXY');
    const body = { uscc: wrongCheck, name: 'x', status: 'closed' };

    // Act
    const response = await route('POST /dev/registry/enterprises')(
      post('/dev/registry/enterprises', body),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(detailPaths(response.body)).toEqual(['body.status', 'body.uscc']);
  });

  it('makes up a provider id from the district, and defaults status and registeredFrom', async () => {
    // Prepare
    const { table, route } = routes();
    const body = { name: '安吉县新托育园', district: 'anji', inclusive: true, capacity: 30 };

    // Act
    const response = await route('POST /dev/providers')(post('/dev/providers', body));

    // Assess
    expect(response.statusCode).toBe(201);
    const record = response.body as { providerId: string };
    expect(record.providerId).toMatch(/^P-AJ-\d{4}$/);
    expect(record).toMatchObject({ ...body, status: 'registered', registeredFrom: '2024-01-01' });
    const store = new ProviderStore({ documents: table.documents, tableName: 't' });
    expect(await store.get(record.providerId)).toEqual(record);
  });

  it('stores a provider under the id it was given', async () => {
    // Prepare
    const { table, route } = routes();
    const body = {
      providerId: 'P-DQ-0042',
      name: '德清县托育',
      district: 'deqing',
      inclusive: false,
      status: 'registered',
      capacity: 12,
      registeredFrom: '2025-03-01',
    };

    // Act
    const response = await route('POST /dev/providers')(post('/dev/providers', body));

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual(body);
    expect(table.items.has('PROVIDER#P-DQ-0042|PROFILE')).toBe(true);
  });

  it('names every bad field of a provider', async () => {
    // Prepare
    const { table, route } = routes();
    const body = {
      providerId: 'P WX 1',
      district: 'city',
      inclusive: 'yes',
      status: 'pending',
      capacity: -1,
      registeredFrom: '2024-13-01',
    };

    // Act
    const response = await route('POST /dev/providers')(post('/dev/providers', body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(detailPaths(response.body)).toEqual([
      'body.capacity',
      'body.district',
      'body.inclusive',
      'body.name',
      'body.providerId',
      'body.registeredFrom',
      'body.status',
    ]);
    expect(table.commands).toHaveLength(0);
  });
});
