import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { paymentItems } from '../../../shared/payments/payment-items.ts';
import { allPayments, listPayments } from '../../../shared/payments/payment-list.ts';
import { MemoryTable } from './memory-table.ts';

function seeded(count: number): MemoryTable {
  const db = new MemoryTable();
  for (let i = 0; i < count; i++) {
    const [item] = paymentItems(
      {
        caseId: `SC-${String(i).padStart(4, '0')}`,
        district: 'wuxing',
        providerId: 'prov-1',
        childIdNumber: `ID-${i}`,
        childName: '李四',
        months: ['2026-03'],
        amountYuanPerMonth: 300,
        policyVersion: '2025-01',
        createdAt: '2026-03-05T02:00:00.000Z',
      },
      'table',
    );
    if (item) db.put({ ...item.Put.Item, ...(i % 2 ? {} : disbursed(item.Put.Item.caseId)) });
  }
  return db;
}

const disbursed = (caseId: string) => ({
  status: 'disbursed',
  gsi3sk: `disbursed#${caseId}#enrollment-subsidy`,
  batchId: 'B-2026-03-wuxing',
  disbursedAt: '2026-04-01T01:00:00.000Z',
});

const listing = { month: '2026-03', district: 'wuxing' };

describe('listPayments', () => {
  it('pages through one index partition with a cursor', async () => {
    // Prepare
    const db = seeded(5);

    // Act
    const first = await listPayments(db, 'table', listing, 3);
    const second = await listPayments(db, 'table', listing, 3, first.cursor);

    // Assess
    expect(first.items).toHaveLength(3);
    expect(first.cursor).toBeTypeOf('string');
    expect(second.items).toHaveLength(2);
    expect(second.cursor).toBeUndefined();
    const ids = [...first.items, ...second.items].map((p) => p.caseId).sort();
    expect(ids).toEqual(['SC-0000', 'SC-0001', 'SC-0002', 'SC-0003', 'SC-0004']);
    expect(db.sent).toEqual(['QueryCommand', 'QueryCommand']);
  });

  it('narrows to one status by the sort key', async () => {
    // Prepare
    const db = seeded(5);

    // Act
    const page = await listPayments(
      db,
      'table',
      { ...listing, status: 'pending-disbursement' },
      50,
    );

    // Assess
    expect(page.items.map((p) => p.caseId)).toEqual(['SC-0001', 'SC-0003']);
  });

  it("refuses another listing's cursor", async () => {
    // Prepare
    const db = seeded(5);
    const { cursor } = await listPayments(db, 'table', listing, 2);

    // Act
    const reused = listPayments(db, 'table', { ...listing, district: 'anji' }, 2, cursor);

    // Assess
    await expect(reused).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads every page for the export', async () => {
    // Prepare
    const db = seeded(9);

    // Act
    const all = await allPayments(db, 'table', listing, 2);

    // Assess
    expect(all).toHaveLength(9);
    expect(db.sent.filter((name) => name === 'QueryCommand')).toHaveLength(5);
  });
});
