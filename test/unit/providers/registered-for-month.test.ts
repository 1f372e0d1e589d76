import { describe, expect, it } from 'vitest';
import {
  monthBounds,
  type ProviderRecord,
  providerRecordSchema,
  registeredForMonth,
} from '../../../shared/providers/provider-record.ts';

type Registration = Pick<ProviderRecord, 'status' | 'registeredFrom' | 'registeredUntil'>;

const open: Registration = { status: 'registered', registeredFrom: '2024-01-01' };

describe('registeredForMonth', () => {
  it.each<[string, Registration, string, boolean]>([
    ['registered since before the month', open, '2025-06', true],
    [
      'registered from the first of the month',
      { ...open, registeredFrom: '2025-06-01' },
      '2025-06',
      true,
    ],
    [
      'registered from the last day of the month',
      { ...open, registeredFrom: '2025-06-30' },
      '2025-06',
      true,
    ],
    [
      'registered only from a later month',
      { ...open, registeredFrom: '2025-07-01' },
      '2025-06',
      false,
    ],
    [
      'registered until the last day of the month',
      { ...open, registeredUntil: '2025-06-30' },
      '2025-06',
      true,
    ],
    [
      'registered until the first day of the month',
      { ...open, registeredUntil: '2025-06-01' },
      '2025-06',
      true,
    ],
    [
      'registered until an earlier month',
      { ...open, registeredUntil: '2025-05-31' },
      '2025-06',
      false,
    ],
    [
      'until 29 February in a leap year',
      { ...open, registeredUntil: '2024-02-29' },
      '2024-02',
      true,
    ],
    ['from 29 February in a leap year', { ...open, registeredFrom: '2024-02-29' }, '2024-02', true],
    [
      'until 28 February in a common year',
      { ...open, registeredUntil: '2025-02-28' },
      '2025-02',
      true,
    ],
    ['until 31 December', { ...open, registeredUntil: '2025-12-31' }, '2025-12', true],
    ['from 1 January, for December', { ...open, registeredFrom: '2026-01-01' }, '2025-12', false],
    ['suspended', { ...open, status: 'suspended' }, '2025-06', false],
    ['revoked', { ...open, status: 'revoked' }, '2025-06', false],
  ])('%s: %s → %s', (_case, provider, month, expected) => {
    // Prepare
    const snapshot = structuredClone(provider);

    // Act
    const registered = registeredForMonth(provider, month);

    // Assess
    expect(registered).toBe(expected);
    expect(provider).toEqual(snapshot);
  });

  it.each(['2025-6', '2025-13', '2025-00', '2025-06-01', 'June'])(
    'refuses the month %s',
    (month) => {
      // Prepare
      let thrown: unknown;

      // Act
      try {
        registeredForMonth(open, month);
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(RangeError);
    },
  );
});

describe('monthBounds', () => {
  it.each([
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2100-02', '2100-02-01', '2100-02-28'],
    ['2025-04', '2025-04-01', '2025-04-30'],
    ['2025-12', '2025-12-01', '2025-12-31'],
  ])('%s runs from %s to %s', (month, first, last) => {
    // Prepare
    const input = month;

    // Act
    const bounds = monthBounds(input);

    // Assess
    expect(bounds).toEqual({ first, last });
  });
});

describe('providerRecordSchema', () => {
  const valid = {
    providerId: 'P-WX-0001',
    name: '吴兴区禾苗托育园',
    district: 'wuxing',
    inclusive: true,
    status: 'registered',
    capacity: 60,
    registeredFrom: '2024-01-01',
  };

  it('accepts a complete record', () => {
    // Prepare
    const input = { ...valid, registeredUntil: '2026-12-31' };

    // Act
    const parsed = providerRecordSchema.safeParse(input);

    // Assess
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['providerId', { providerId: 'P#WX' }],
    ['district', { district: 'city' }],
    ['capacity', { capacity: -1 }],
    ['capacity', { capacity: 1.5 }],
    ['registeredFrom', { registeredFrom: '2024-02-30' }],
    ['registeredUntil', { registeredUntil: '2023-12-31' }],
    ['status', { status: 'pending' }],
    ['uscc', { uscc: '91330502MA2B3C4D5X' }],
  ])('rejects a bad %s', (path, change) => {
    // Prepare
    const input = { ...valid, ...change };

    // Act
    const parsed = providerRecordSchema.safeParse(input);

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
