import { describe, expect, it } from 'vitest';
import { ProviderStore } from '../../../shared/providers/provider-store.ts';
import { fakeTable } from '../registries/fake-table.ts';

const provider = {
  providerId: 'P-AJ-0001',
  name: '安吉县竹乡托育中心',
  district: 'anji' as const,
  inclusive: true,
  status: 'registered' as const,
  capacity: 45,
  registeredFrom: '2024-01-01',
};

describe('ProviderStore', () => {
  it('stores a provider under PROVIDER#<id> / PROFILE and reads it back', async () => {
    // Prepare
    const table = fakeTable();
    const store = new ProviderStore({ documents: table.documents, tableName: 't' });

    // Act
    await store.put(provider);
    const found = await store.get('P-AJ-0001');

    // Assess
    expect(found).toEqual(provider);
    expect([...table.items.keys()]).toEqual(['PROVIDER#P-AJ-0001|PROFILE']);
  });

  it('answers undefined for an unknown provider, and for an impossible id without reading', async () => {
    // Prepare
    const table = fakeTable();
    const store = new ProviderStore({ documents: table.documents, tableName: 't' });

    // Act
    const unknown = await store.get('P-AJ-0002');
    const impossible = await store.get('P-AJ-0001#x');

    // Assess
    expect(unknown).toBeUndefined();
    expect(impossible).toBeUndefined();
    expect(table.commands).toHaveLength(1);
  });

  it('creates only when the id is free', async () => {
    // Prepare
    const table = fakeTable();
    const store = new ProviderStore({ documents: table.documents, tableName: 't' });
    await store.create(provider);

    // Act
    const second = await store.create({ ...provider, name: '另一家', capacity: 1 });

    // Assess
    expect(second).toBe(false);
    expect((await store.get('P-AJ-0001'))?.name).toBe('安吉县竹乡托育中心');
  });

  it('refuses to write an invalid record', async () => {
    // Prepare
    const table = fakeTable();
    const store = new ProviderStore({ documents: table.documents, tableName: 't' });

    // Act
    const error = await store.put({ ...provider, capacity: -3 }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(table.items.size).toBe(0);
  });

  it('reports a stored item that is not a provider record', async () => {
    // Prepare
    const table = fakeTable();
    table.items.set('PROVIDER#P-AJ-0001|PROFILE', { pk: 'PROVIDER#P-AJ-0001', sk: 'PROFILE' });
    const store = new ProviderStore({ documents: table.documents, tableName: 't' });

    // Act
    const error = await store.get('P-AJ-0001').catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'InvalidProviderRecordError', providerId: 'P-AJ-0001' });
  });
});
