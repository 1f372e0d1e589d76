import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  caseItemKinds,
  caseRecordForm,
  indexesOf,
  itemSize,
  valueSize,
  writeUnitsOf,
} from '../../../../bench/cost/item-sizes.ts';

/** Answers every query with these items (the functions filter nothing themselves). */
const answering = (items: Record<string, unknown>[]) =>
  ({ send: async () => ({ Items: items }) }) as unknown as Pick<DynamoDBDocumentClient, 'send'>;

const record = {
  pk: 'CASE#SC-1',
  sk: 'CASE',
  gsi2pk: 'APPLICANT#family-1',
  gsi3pk: 'DISTRICT#wuxing',
  caseId: 'SC-1',
  status: 'in-review',
};
const form = { child: { name: '沈小禾' }, months: ['2026-12'] };

describe('item sizes as DynamoDB counts them', () => {
  it('counts strings in UTF-8 bytes, numbers by their digits, containers with their overhead', () => {
    // Prepare / Act / Assess
    expect(valueSize('abc')).toBe(3);
    expect(valueSize('沈')).toBe(3);
    expect(valueSize(12345)).toBe(4);
    expect(valueSize(true)).toBe(1);
    expect(valueSize(['a', 'b'])).toBe(3 + 2 + 2);
    expect(valueSize({ a: 'xy' })).toBe(3 + 1 + 1 + 2);
    expect(itemSize({ pk: 'CASE#1', n: 1 })).toBe(2 + 6 + 1 + 2);
  });

  it('charges a write per started KB, for the table and every index the item is in, twice in a transaction', () => {
    // Prepare
    const item = { pk: 'CASE#1', sk: 'CASE', gsi2pk: 'A', gsi3pk: 'B', blob: 'x'.repeat(1500) };

    // Act / Assess
    expect(indexesOf(item)).toBe(2);
    expect(writeUnitsOf(item, false)).toBe(2 * 3);
    expect(writeUnitsOf(item, true)).toBe(2 * 3 * 2);
  });

  it('finds no form in a case record that has none, and the whole form in one stored with it', async () => {
    // Prepare
    const before = { ...record, form };

    // Act
    const now = await caseRecordForm(answering([record]), 't', 'SC-1');
    const then = await caseRecordForm(answering([before]), 't', 'SC-1');

    // Assess
    expect(now).toEqual({ recordBytes: itemSize(record), formBytes: 0, indexes: 2 });
    expect(then).toEqual({
      recordBytes: itemSize(before),
      formBytes: itemSize(before) - itemSize(record),
      indexes: 2,
    });
  });

  it("counts the form's own item apart from the record", async () => {
    // Prepare
    const items = [
      record,
      { pk: 'CASE#SC-1', sk: 'CASE#FORM', caseId: 'SC-1', form },
      { pk: 'CASE#SC-1', sk: 'EVENT#00000001', caseId: 'SC-1' },
      { pk: 'CASE#SC-1', sk: 'EVENT#00000002', caseId: 'SC-1' },
    ];

    // Act
    const kinds = await caseItemKinds(answering(items), 't', 'SC-1');

    // Assess
    expect(kinds.map(({ kind, count, indexes }) => ({ kind, count, indexes }))).toEqual([
      { kind: 'CASE', count: 1, indexes: 2 },
      { kind: 'FORM', count: 1, indexes: 0 },
      { kind: 'EVENT', count: 2, indexes: 0 },
    ]);
  });
});
