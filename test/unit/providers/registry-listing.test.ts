import type { QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { encodeCursor } from '../../../shared/http/cursor.ts';
import type { ProviderRecord } from '../../../shared/providers/provider-record.ts';
import { ProviderStore, providerItem } from '../../../shared/providers/provider-store.ts';
import { fullProvider } from './fixtures.ts';
import { providerTable } from './provider-table.ts';

// 2026-11-28T17:00Z is already 2026-11-29 in Beijing.
const now = () => new Date('2026-11-28T17:00:00.000Z');

const provider = (n: number, change: Partial<ProviderRecord> = {}) =>
  providerItem({ ...fullProvider, providerId: `P-WX-${String(n).padStart(4, '0')}`, ...change });

const lastKey = (n: number) => ({
  pk: `PROVIDER#P-WX-${String(n).padStart(4, '0')}`,
  sk: 'PROFILE',
  gsi3pk: 'REGISTRY#PROVIDERS',
  gsi3sk: `wuxing#P-WX-${String(n).padStart(4, '0')}`,
});

function storeWith(pages: Partial<QueryCommandOutput>[]) {
  const table = providerTable({ pages });
  return { table, store: new ProviderStore({ documents: table.documents, tableName: 't', now }) };
}

describe('ProviderStore.listRegistered', () => {
  it('queries the full list (gsi3) for everyone, without a district', async () => {
    // Prepare
    const { table, store } = storeWith([{ Items: [provider(1), provider(2)] }]);

    // Act
    const page = await store.listRegistered({ limit: 20 });

    // Assess
    expect(table.queries).toEqual([
      {
        TableName: 't',
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        FilterExpression: '(attribute_not_exists(#until) OR #until >= :today)',
        ExpressionAttributeNames: { '#until': 'registeredUntil' },
        ExpressionAttributeValues: { ':pk': 'REGISTRY#PROVIDERS', ':today': '2026-11-29' },
        ScanIndexForward: true,
        Limit: 20,
      },
    ]);
    expect(page.items.map((p) => p.providerId)).toEqual(['P-WX-0001', 'P-WX-0002']);
    expect(page.items[0]).not.toHaveProperty('gsi3pk');
    expect(page.cursor).toBeUndefined();
  });

  it('queries the inclusive list (gsi2) of one district by the sort key prefix', async () => {
    // Prepare
    const { table, store } = storeWith([{ Items: [] }]);

    // Act
    await store.listRegistered({ district: 'anji', inclusive: true, limit: 5 });

    // Assess
    expect(table.queries[0]).toMatchObject({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :district)',
      ExpressionAttributeValues: {
        ':pk': 'REGISTRY#PROVIDERS#INCLUSIVE',
        ':district': 'anji#',
        ':today': '2026-11-29',
      },
      Limit: 5,
    });
  });

  it('finds the providers that are not inclusive on the full list, by a filter', async () => {
    // Prepare
    const { table, store } = storeWith([{ Items: [] }]);

    // Act
    await store.listRegistered({ district: 'deqing', inclusive: false, limit: 5 });

    // Assess
    expect(table.queries[0]).toMatchObject({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :district)',
      FilterExpression:
        '(attribute_not_exists(#until) OR #until >= :today) AND #inclusive = :false',
      ExpressionAttributeNames: { '#until': 'registeredUntil', '#inclusive': 'inclusive' },
      ExpressionAttributeValues: {
        ':pk': 'REGISTRY#PROVIDERS',
        ':district': 'deqing#',
        ':today': '2026-11-29',
        ':false': false,
      },
    });
  });

  it('tops a page up when the filter thinned it, and hands out a cursor that resumes it', async () => {
    // Prepare
    const { table, store } = storeWith([
      { Items: [provider(1)], LastEvaluatedKey: lastKey(3) },
      { Items: [provider(4), provider(5)], LastEvaluatedKey: lastKey(5) },
      { Items: [provider(6)] },
    ]);

    // Act
    const first = await store.listRegistered({ limit: 3 });
    const second = await store.listRegistered({ limit: 3, cursor: first.cursor });

    // Assess
    expect(first.items.map((p) => p.providerId)).toEqual(['P-WX-0001', 'P-WX-0004', 'P-WX-0005']);
    expect(table.queries.map((q) => [q.Limit, q.ExclusiveStartKey])).toEqual([
      [3, undefined],
      [2, lastKey(3)],
      [3, lastKey(5)],
    ]);
    expect(first.cursor).toBeTypeOf('string');
    expect(second.items.map((p) => p.providerId)).toEqual(['P-WX-0006']);
    expect(second.cursor).toBeUndefined();
  });

  it('stops after a few queries, returning a short page with a cursor', async () => {
    // Prepare: every query comes back empty (all filtered) but says there is more
    const pages = Array.from({ length: 10 }, (_, i) => ({
      Items: [],
      LastEvaluatedKey: lastKey(i),
    }));
    const { table, store } = storeWith(pages);

    // Act
    const page = await store.listRegistered({ limit: 20 });

    // Assess
    expect(table.queries).toHaveLength(5);
    expect(page.items).toEqual([]);
    expect(page.cursor).toBeTypeOf('string');
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a cursor of another listing', encodeCursor({ listing: '["anji",null]', start: lastKey(1) })],
    [
      'a cursor pointing into another partition',
      encodeCursor({ listing: '[null,null]', start: { ...lastKey(1), gsi3pk: 'DISTRICT#wuxing' } }),
    ],
  ])('refuses %s without querying', async (_case, cursor) => {
    // Prepare
    const { table, store } = storeWith([]);

    // Act
    const error = await store.listRegistered({ limit: 3, cursor }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(table.queries).toHaveLength(0);
  });
});
