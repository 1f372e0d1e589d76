import { describe, expect, it } from 'vitest';
import { indexesOf, itemSize, valueSize, writeUnitsOf } from '../../../../bench/cost/item-sizes.ts';

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
});
