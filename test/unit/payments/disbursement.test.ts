import { beforeEach, describe, expect, it } from 'vitest';
import { DisbursementInProgressError, disburse } from '../../../shared/payments/disbursement.ts';
import { paymentItems } from '../../../shared/payments/payment-items.ts';
import { MemoryTable } from './memory-table.ts';

const table = 'table';
let clock = new Date('2026-04-01T01:00:00.000Z');
const now = () => clock;
const request = { month: '2026-03', district: 'wuxing', startedBy: 'finance-1', leaseMs: 15_000 };

function seed(db: MemoryTable, count: number, month = '2026-03', district = 'wuxing') {
  for (let i = 0; i < count; i++) {
    for (const item of paymentItems(
      {
        caseId: `SC-${district}-${String(i).padStart(4, '0')}`,
        district,
        providerId: 'prov-1',
        childIdNumber: `ID-${i}`,
        childName: '王小明',
        months: [month],
        amountYuanPerMonth: 300,
        policyVersion: '2025-01',
        createdAt: '2026-03-05T02:00:00.000Z',
      },
      table,
    )) {
      db.put(item.Put.Item);
    }
  }
}

const payments = (db: MemoryTable, month = '2026-03', district = 'wuxing') =>
  [...db.items.values()].filter((item) => item.gsi3pk === `PAYMENTS#${month}#${district}`);

const batch = (db: MemoryTable) => db.get('PAYBATCH#2026-03#wuxing', 'BATCH');

let db: MemoryTable;
beforeEach(() => {
  clock = new Date('2026-04-01T01:00:00.000Z');
  db = new MemoryTable();
});

describe('disburse', () => {
  it('moves every pending payment of the month and district, and only those, in one batch', async () => {
    // Prepare
    seed(db, 60);
    seed(db, 3, '2026-03', 'anji');
    seed(db, 2, '2026-04', 'wuxing');
    db.pageSize = 7;

    // Act
    const result = await disburse(db, table, request, { now, chunkSize: 10 });

    // Assess
    expect(result).toEqual({ batchId: 'B-2026-03-wuxing', alreadyDisbursed: false, count: 60 });
    for (const payment of payments(db)) {
      expect(payment).toMatchObject({
        status: 'disbursed',
        batchId: 'B-2026-03-wuxing',
        disbursedAt: clock.toISOString(),
        gsi3sk: `disbursed#${payment.caseId}#enrollment-subsidy`,
      });
    }
    const untouched = [...payments(db, '2026-03', 'anji'), ...payments(db, '2026-04')];
    expect(untouched.map((p) => p.status)).toEqual(Array(5).fill('pending-disbursement'));
    expect(batch(db)).toMatchObject({ status: 'disbursed', count: 60, startedBy: 'finance-1' });
    expect(batch(db)?.leaseToken).toBeUndefined();
  });

  it('changes nothing the second time, and says so', async () => {
    // Prepare
    seed(db, 5);
    await disburse(db, table, request, { now });
    const before = structuredClone([...db.items.entries()]);

    // Act
    const again = await disburse(db, table, request, { now });

    // Assess
    expect(again).toEqual({ batchId: 'B-2026-03-wuxing', alreadyDisbursed: true, count: 5 });
    expect([...db.items.entries()]).toEqual(before);
  });

  it('lets one of ten concurrent calls do the work and disburses each payment once', async () => {
    // Prepare
    seed(db, 40);

    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => disburse(db, table, request, { now, chunkSize: 5 })),
    );

    // Assess
    const worked = outcomes.filter(
      (o) => o.status === 'fulfilled' && o.value.alreadyDisbursed === false,
    );
    expect(worked).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(DisbursementInProgressError);
        expect(outcome.reason).toMatchObject({ statusCode: 409, code: 'DISBURSEMENT_IN_PROGRESS' });
      } else expect(outcome.value.count).toBe(40);
    }
    expect(payments(db).every((p) => p.status === 'disbursed')).toBe(true);
    for (const payment of payments(db)) {
      // Seeded directly, then moved exactly once.
      expect(db.statusChanges.get(MemoryTable.id(payment as { pk: string; sk: string }))).toBe(1);
    }
    expect(batch(db)).toMatchObject({ status: 'disbursed', count: 40 });
  });

  it('refuses while the holder works, and finishes a crashed batch once its lease lapsed', async () => {
    // Prepare
    seed(db, 30);
    let transactions = 0;
    db.beforeSend = (command) => {
      if (command.constructor.name === 'TransactWriteCommand' && ++transactions === 3) {
        throw new Error('Lambda timed out');
      }
    };
    await expect(disburse(db, table, request, { now, chunkSize: 10 })).rejects.toThrow(
      'Lambda timed out',
    );
    db.beforeSend = () => {};
    const halfway = payments(db).filter((p) => p.status === 'disbursed').length;

    // Act
    const tooSoon = disburse(db, table, request, { now });
    await expect(tooSoon).rejects.toBeInstanceOf(DisbursementInProgressError);
    clock = new Date(clock.getTime() + request.leaseMs + 1);
    const resumed = await disburse(db, table, { ...request, startedBy: 'finance-2' }, { now });

    // Assess
    expect(halfway).toBe(20);
    expect(batch(db)).toMatchObject({ status: 'disbursed', count: 30, startedBy: 'finance-1' });
    expect(resumed).toEqual({ batchId: 'B-2026-03-wuxing', alreadyDisbursed: false, count: 30 });
    expect(payments(db).every((p) => p.status === 'disbursed')).toBe(true);
  });

  it('skips what a lagging index still shows as pending, keeping the count exact', async () => {
    // Prepare
    seed(db, 6);
    const stale = structuredClone([...db.items.values()]);
    db.indexView = () => stale;

    // Act
    const result = await disburse(db, table, request, { now, chunkSize: 4 });

    // Assess
    expect(result.count).toBe(6);
    expect(batch(db)).toMatchObject({ status: 'disbursed', count: 6 });
    expect(payments(db).every((p) => p.status === 'disbursed')).toBe(true);
  });

  it('stops writing once another call took the batch over', async () => {
    // Prepare
    seed(db, 20);
    let transactions = 0;
    db.beforeSend = (command) => {
      if (command.constructor.name === 'TransactWriteCommand' && ++transactions === 2) {
        const current = batch(db);
        if (current) db.put({ ...current, leaseToken: 'someone-else' });
      }
    };

    // Act
    const outcome = disburse(db, table, request, { now, chunkSize: 5 });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(DisbursementInProgressError);
    expect(payments(db).filter((p) => p.status === 'disbursed')).toHaveLength(5);
    expect(batch(db)).toMatchObject({ status: 'in-progress', count: 5 });
  });

  it('completes an empty month with a count of zero', async () => {
    // Prepare / Act
    const result = await disburse(db, table, request, { now });

    // Assess
    expect(result).toEqual({ batchId: 'B-2026-03-wuxing', alreadyDisbursed: false, count: 0 });
    expect(db.sent).not.toContain('ScanCommand');
  });
});
