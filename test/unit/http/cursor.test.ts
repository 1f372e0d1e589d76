import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import {
  decodeCursor,
  encodeCursor,
  isStartKeyRefused,
  startKeySchema,
} from '../../../shared/http/cursor.ts';

const cursorSchema = z.object({ listing: z.string(), start: startKeySchema });

const tableKey = { pk: 'CASE#SC-0123456789AB', sk: 'CASE' };
const indexKey = { ...tableKey, gsi3pk: 'DISTRICT#wuxing', gsi3sk: 'in-review#2026-03-01#SC-1' };

describe('startKeySchema', () => {
  it.each([
    ['a table key', tableKey],
    ['a table key with one index pair', indexKey],
    ['keys at DynamoDB’s size limits', { pk: 'P'.repeat(2048), sk: 'S'.repeat(1024) }],
  ])('takes %s, as DynamoDB hands them out', (_, key) => {
    // Prepare / Act
    const parsed = startKeySchema.safeParse(key);

    // Assess
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['a number', { ...tableKey, sk: 7 }],
    ['an object', { ...tableKey, sk: {} }],
    ['an empty value', { ...tableKey, sk: '' }],
    ['no sort key', { pk: 'CASE#1' }],
    ['half an index pair', { ...tableKey, gsi2pk: 'APPLICANT#a' }],
    ['two index pairs', { ...indexKey, gsi2pk: 'A', gsi2sk: 'B' }],
    ['an attribute that is no key', { ...tableKey, status: 'approved' }],
    ['a partition key over 2 KB', { ...tableKey, pk: '汉'.repeat(683) }],
    ['a sort key over 1 KB', { ...tableKey, sk: 'S'.repeat(1025) }],
  ])('refuses %s', (_, key) => {
    // Prepare / Act
    const parsed = startKeySchema.safeParse(key);

    // Assess
    expect(parsed.success).toBe(false);
  });
});

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    // Prepare
    const cursor = encodeCursor({ listing: 'x', start: indexKey });

    // Act
    const decoded = decodeCursor(cursorSchema, cursor);

    // Assess
    expect(decoded).toEqual({ listing: 'x', start: indexKey });
  });

  it('refuses a forged start key as a bad cursor (400), before any query', () => {
    // Prepare
    const forged = encodeCursor({ listing: 'x', start: { pk: 1, gsi3pk: 'DISTRICT#wuxing' } });

    // Act
    const decode = () => decodeCursor(cursorSchema, forged);

    // Assess
    expect(decode).toThrow(ValidationError);
  });
});

describe('isStartKeyRefused', () => {
  const dynamoError = (message: string) =>
    Object.assign(new Error(message), { name: 'ValidationException' });

  it.each([
    'The provided starting key is invalid',
    'The provided starting key does not match the range key predicate',
    'Exclusive Start Key must have same size as table’s key schema',
  ])('recognises “%s”', (message) => {
    // Prepare / Act / Assess
    expect(isStartKeyRefused(dynamoError(message))).toBe(true);
  });

  it('leaves every other error alone', () => {
    // Prepare
    const keyTooLong = dynamoError('Hash primary key values must be under 2048 bytes');
    const other = new Error('The provided starting key is invalid');

    // Act / Assess
    expect(isStartKeyRefused(keyTooLong)).toBe(false);
    expect(isStartKeyRefused(other)).toBe(false);
  });
});
