import { describe, expect, it } from 'vitest';
import {
  InvalidPaymentError,
  type PaymentInput,
  paymentItems,
  yuanToFen,
} from '../../../shared/payments/payment-items.ts';
import { paymentRecordSchema } from '../../../shared/payments/payment-record.ts';
import { idKey } from '../../../shared/privacy/id-key.ts';

const idNumber = '33050220230115002X';

const input: PaymentInput = {
  caseId: 'SC-0123456789AB',
  district: 'wuxing',
  providerId: 'prov-42',
  childIdNumber: idNumber,
  childName: '王小明',
  months: ['2026-03', '2026-04'],
  amountYuanPerMonth: 300,
  policyVersion: '2025-01',
  createdAt: '2026-03-05T02:00:00.000Z',
};

describe('paymentItems', () => {
  it('files one conditional put per month, keyed by case, month and benefit', () => {
    // Prepare / Act
    const items = paymentItems(input, 'shanyu-table');

    // Assess
    expect(items).toHaveLength(2);
    expect(items.map((item) => item.Put.TableName)).toEqual(['shanyu-table', 'shanyu-table']);
    expect(items.map((item) => item.Put.ConditionExpression)).toEqual([
      'attribute_not_exists(pk)',
      'attribute_not_exists(pk)',
    ]);
    expect(items[1]?.Put.Item).toMatchObject({
      pk: 'PAYMENT#SC-0123456789AB',
      sk: 'MONTH#2026-04#enrollment-subsidy',
      gsi3pk: 'PAYMENTS#2026-04#wuxing',
      gsi3sk: 'pending-disbursement#SC-0123456789AB#enrollment-subsidy',
      entity: 'Payment',
      paymentId: 'SC-0123456789AB-2026-04-enrollment-subsidy',
      caseId: 'SC-0123456789AB',
      month: '2026-04',
      district: 'wuxing',
      providerId: 'prov-42',
      benefit: 'enrollment-subsidy',
      status: 'pending-disbursement',
      policyVersion: '2025-01',
      createdAt: '2026-03-05T02:00:00.000Z',
    });
    expect(items[1]?.Put.Item.disbursedAt).toBeUndefined();
    for (const item of items)
      expect(paymentRecordSchema.safeParse(item.Put.Item).success).toBe(true);
  });

  it('stores the keyed digest of the ID number and the masked name, never the originals', () => {
    // Prepare / Act
    const items = paymentItems(input, 'table');

    // Assess
    const stored = JSON.stringify(items);
    expect(stored).not.toContain(idNumber);
    expect(stored).not.toContain(idNumber.slice(0, 17));
    expect(stored).not.toContain('王小明');
    expect(items[0]?.Put.Item.childKey).toBe(idKey(idNumber));
    expect(items[0]?.Put.Item.childName).toBe('王*明');
  });

  it('is deterministic: a retried approval writes the same items', () => {
    // Prepare / Act
    const first = paymentItems(input, 'table');
    const second = paymentItems({ ...input }, 'table');

    // Assess
    expect(second).toEqual(first);
  });

  it('keeps another benefit of the same child-month apart', () => {
    // Prepare / Act
    const [milk] = paymentItems({ ...input, months: ['2026-03'], benefit: 'milk-subsidy' }, 't');

    // Assess
    expect(milk?.Put.Item).toMatchObject({
      sk: 'MONTH#2026-03#milk-subsidy',
      gsi3sk: 'pending-disbursement#SC-0123456789AB#milk-subsidy',
      benefit: 'milk-subsidy',
    });
  });

  it.each([
    [300, 30_000],
    [0.29, 29],
    [0.07, 7],
    [1234.56, 123_456],
    [19.99, 1999],
  ])('converts %s yuan to exactly %s fen', (yuan, fen) => {
    // Prepare / Act
    const [item] = paymentItems({ ...input, amountYuanPerMonth: yuan }, 'table');

    // Assess
    expect(item?.Put.Item.amountFen).toBe(fen);
    expect(Number.isInteger(item?.Put.Item.amountFen)).toBe(true);
  });

  it.each([
    ['a third decimal', 1.005],
    ['zero', 0],
    ['a negative amount', -300],
    ['not a number', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s', (_, yuan) => {
    // Prepare / Act / Assess
    expect(() => yuanToFen(yuan)).toThrow(InvalidPaymentError);
  });

  it.each([
    ['no month', { months: [] }],
    [
      'thirteen months',
      {
        months: [
          ...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
          '2027-01',
        ],
      },
    ],
    ['a month twice', { months: ['2026-03', '2026-03'] }],
    ['a malformed month', { months: ['2026-3'] }],
    ['the city as district', { district: 'city' }],
    ['a benefit with a key separator', { benefit: 'milk#x' }],
    ['a timestamp that is not ISO', { createdAt: 'yesterday' }],
  ])('refuses %s', (_, change) => {
    // Prepare / Act / Assess
    expect(() => paymentItems({ ...input, ...change }, 'table')).toThrow(InvalidPaymentError);
  });

  it('accepts twelve months: the most a claim pays', () => {
    // Prepare
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

    // Act
    const items = paymentItems({ ...input, months }, 'table');

    // Assess
    expect(items.map((item) => item.Put.Item.month)).toEqual(months);
  });
});
