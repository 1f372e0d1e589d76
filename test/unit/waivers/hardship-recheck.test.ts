import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import { documentClient } from '../../../shared/db/client.ts';
import { keys } from '../../../shared/db/keys.ts';
import { paymentItems } from '../../../shared/payments/payment-items.ts';
import type { PaymentRecord } from '../../../shared/payments/payment-record.ts';
import type { Registries } from '../../../shared/registries/registries.ts';
import { RegistryUnavailableError } from '../../../shared/registries/registries.ts';
import type { HardshipRecord } from '../../../shared/registries/registry-records.ts';
import { residentItem } from '../../../shared/registries/table-registries.ts';
import {
  checkHardship,
  hardshipStillValid,
  monthsToStop,
  RecheckIncompleteError,
  recheckHardship,
  recheckMonthAt,
  recheckVerdict,
  verifiedByHand,
  type WaiverStop,
  waiverStopChange,
} from '../../../shared/waivers/hardship-recheck.ts';
import {
  termMonths,
  waiverLockItems,
  waiverLockKey,
} from '../../../shared/waivers/waiver-locks.ts';
import {
  type WaiverRecord,
  waiverMonthItems,
  waiverRecordSchema,
} from '../../../shared/waivers/waiver-records.ts';
import { childIdBornOn, guardianId } from './fixtures.ts';
import { WaiverTable } from './waiver-table.ts';

const childId = childIdBornOn('2025-03-15');
/** Each case is another child's: one child has one active waiver per month. */
const childOf = (caseId: string) =>
  caseId === 'TW-B'
    ? childIdBornOn('2025-04-15')
    : caseId === 'TW-C'
      ? childIdBornOn('2025-05-15')
      : childId;
const term = { from: '2026-12', to: '2027-03' };
const approvedAt = '2026-11-20T02:00:00.000Z';
// 10:00 on 25 December 2026 in Huzhou: the run that re-checks January.
const runAt = new Date('2026-12-25T02:00:00.000Z');

function waiverCase(caseId: string, milkSubsidy = true): CaseRecord {
  return {
    caseId,
    caseType: 'tuition-waiver',
    status: 'approved',
    applicantSub: `family-${caseId}`,
    district: 'wuxing',
    providerId: 'P-WX-0001',
    fingerprint: 'f',
    form: {
      child: { name: '沈小禾', idNumber: childOf(caseId) },
      guardian: { name: '沈秀英', idNumber: guardianId, phone: '13857200000' },
      providerId: 'P-WX-0001',
      hardship: { category: 'dibao', certificateNo: 'DB-330502-0001' },
      term,
      monthlyTuitionYuan: 1800,
      milkSubsidy,
    },
    createdAt: '2026-11-01T02:00:00.000Z',
    updatedAt: approvedAt,
    version: 6,
  };
}

function waiverRecords(caseId: string): WaiverRecord[] {
  return waiverMonthItems(
    {
      caseId,
      providerId: 'P-WX-0001',
      district: 'wuxing',
      childIdNumber: childOf(caseId),
      childName: '沈小禾',
      category: 'dibao',
      percent: 100,
      policyVersion: '2025-01',
      createdAt: approvedAt,
      months: termMonths(term).map((month) => ({
        month,
        tuitionYuan: 1800,
        waivedYuan: 1800,
        remainderYuan: 0,
      })),
    },
    't',
  ).map((put) => put.Put.Item);
}

function milkPayments(caseId: string): PaymentRecord[] {
  return paymentItems(
    {
      caseId,
      district: 'wuxing',
      providerId: 'P-WX-0001',
      childIdNumber: childOf(caseId),
      childName: '沈小禾',
      months: termMonths(term),
      amountYuanPerMonth: 100,
      policyVersion: '2025-01',
      benefit: 'milk-subsidy',
      createdAt: approvedAt,
    },
    't',
  ).map((put) => put.Put.Item);
}

/** An approved waiver case as the approval leaves it, January's milk already paid out. */
function seedCase(table: WaiverTable, caseId: string) {
  const record = waiverCase(caseId);
  table.put({ ...keys.case(caseId), entity: 'Case', ...record });
  for (const item of waiverRecords(caseId)) table.put(item);
  for (const item of milkPayments(caseId)) {
    table.put(
      item.month === '2027-01'
        ? { ...item, status: 'disbursed', disbursedAt: '2026-12-20T02:00:00.000Z' }
        : item,
    );
  }
  for (const lock of waiverLockItems(caseId, childOf(caseId), termMonths(term))) {
    table.put(lock.Put?.Item as Record<string, unknown>);
  }
}

/** Civil affairs as a map of ID number to record; an Error entry makes the lookup fail. */
function fakeRegistries(records: Record<string, HardshipRecord | Error>) {
  const lookups: string[] = [];
  const registries: Pick<Registries, 'findHardship'> = {
    findHardship: async (idNumber) => {
      lookups.push(idNumber);
      const found = records[idNumber];
      if (found instanceof Error) throw found;
      return found;
    },
  };
  return { registries, lookups };
}

const outage = () =>
  new RegistryUnavailableError({ registry: 'civil-affairs', reason: 'timeout', attempts: 3 });

describe('hardshipStillValid', () => {
  it.each([
    [{ category: 'dibao', validUntil: '2027-01-01' }, true],
    [{ category: 'dibao', validUntil: '2027-06-30' }, true],
    [{ category: 'dibao', validUntil: '2026-12-31' }, false],
    [undefined, false],
  ] as const)('judges %o for January 2027: %s', (record, expected) => {
    // Act
    const valid = hardshipStillValid(record, '2027-01');

    // Assess
    expect(valid).toBe(expected);
  });
});

describe('recheckVerdict', () => {
  const valid: HardshipRecord = { category: 'dibao', validUntil: '2027-12-31' };
  const lapsed: HardshipRecord = { category: 'dibao', validUntil: '2026-12-31' };

  it.each([
    ['the guardian still listed', { guardian: valid }, { valid: true }],
    ['only the child still listed', { guardian: lapsed, child: valid }, { valid: true }],
    ['a record lapsed before the month', { guardian: lapsed }, { valid: false, reason: 'expired' }],
    ['only the child, lapsed', { child: lapsed }, { valid: false, reason: 'expired' }],
    ['no record any more', {}, { valid: false, reason: 'revoked' }],
  ])('keeps or stops with %s', (_case, found, expected) => {
    // Act
    const verdict = recheckVerdict(found, '2027-01');

    // Assess
    expect(verdict).toEqual(expected);
  });
});

describe('verifiedByHand', () => {
  const event = (version: number, data?: Record<string, unknown>) => ({
    caseId: 'TW-A',
    version,
    at: approvedAt,
    type: 'checks.passed',
    actor: { kind: 'system' as const, component: 'waiver-checks' },
    ...(data ? { data } : {}),
  });

  it.each([
    ['civil affairs confirmed it', [event(2, { verifiedBy: 'civil-affairs' })], true],
    ['the registry had it', [event(2, { percent: 100 })], false],
    [
      'a later check found it in the registry',
      [event(2, { verifiedBy: 'civil-affairs' }), event(5, {})],
      false,
    ],
    ['no check passed', [], false],
  ])('tells whether %s', (_case, events, expected) => {
    // Act
    const byHand = verifiedByHand(events);

    // Assess
    expect(byHand).toBe(expected);
  });
});

describe('checkHardship', () => {
  const ids = { guardianIdNumber: guardianId, childIdNumber: childId };

  it("does not ask for the child when the guardian's record holds", async () => {
    // Prepare
    const { registries, lookups } = fakeRegistries({
      [guardianId]: { category: 'dibao', validUntil: '2027-12-31' },
    });

    // Act
    const verdict = await checkHardship(registries, ids, '2027-01');

    // Assess
    expect(verdict).toEqual({ valid: true });
    expect(lookups).toEqual([guardianId]);
  });

  it("falls back to the child's record", async () => {
    // Prepare
    const { registries, lookups } = fakeRegistries({
      [guardianId]: { category: 'dibao', validUntil: '2026-06-30' },
      [childId]: { category: 'orphan', validUntil: '2030-01-01' },
    });

    // Act
    const verdict = await checkHardship(registries, ids, '2027-01');

    // Assess
    expect(verdict).toEqual({ valid: true });
    expect(lookups).toEqual([guardianId, childId]);
  });

  it('passes an outage on', async () => {
    // Prepare
    const { registries } = fakeRegistries({ [guardianId]: outage() });

    // Act
    const check = checkHardship(registries, ids, '2027-01');

    // Assess
    await expect(check).rejects.toThrow(RegistryUnavailableError);
  });
});

describe('recheckMonthAt', () => {
  it.each([
    ['2026-12-24T18:00:00.000Z', '2027-01'],
    ['2026-11-24T15:59:59.000Z', '2026-12'],
    ['2026-11-30T16:30:00.000Z', '2027-01'],
  ])('re-checks the month after Huzhou’s month at %s: %s', (iso, month) => {
    // Act
    const result = recheckMonthAt(new Date(iso));

    // Assess
    expect(result).toBe(month);
  });
});

describe('waiverStopChange', () => {
  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 't');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const caseId = 'TW-0123456789AB';
  const at = new Date('2026-12-25T02:00:00.000Z');
  const stop = (changes: Partial<WaiverStop> = {}): WaiverStop => ({
    record: waiverCase(caseId),
    childIdNumber: childId,
    providerId: 'P-WX-0001',
    fromMonth: '2027-01',
    reason: 'revoked',
    waivers: waiverRecords(caseId),
    payments: milkPayments(caseId).map((payment) =>
      payment.month === '2027-01' ? { ...payment, status: 'disbursed' } : payment,
    ),
    at,
    tableName: 't',
    ...changes,
  });

  it('stops the active months from the month on, one audit event for all', () => {
    // Act
    const change = waiverStopChange(stop());

    // Assess
    expect(change).toMatchObject({
      type: 'waiver.stopped',
      actor: { kind: 'system', component: 'hardship-recheck' },
      data: { fromMonth: '2027-01', months: ['2027-01', '2027-02', '2027-03'], reason: 'revoked' },
    });
    expect(change?.status).toBeUndefined();
    expect(change?.note).toContain('已撤销');
    const updates = (change?.items ?? []).flatMap((item) => (item.Update ? [item.Update] : []));
    expect(updates.map((update) => update.Key)).toEqual([
      { pk: `WAIVER#${caseId}`, sk: 'MONTH#2027-01' },
      { pk: `WAIVER#${caseId}`, sk: 'MONTH#2027-02' },
      { pk: `WAIVER#${caseId}`, sk: 'MONTH#2027-03' },
    ]);
    expect(updates[0]).toMatchObject({
      UpdateExpression:
        'SET #status = :stopped, stoppedAt = :at, stopReason = :reason REMOVE gsi4pk, gsi4sk',
      ConditionExpression: '#status = :active',
      ExpressionAttributeValues: {
        ':stopped': 'stopped',
        ':active': 'active',
        ':at': '2026-12-25T02:00:00.000Z',
        ':reason': 'revoked',
      },
    });
  });

  it('deletes only the pending milk payments of the stopped months, each only while pending', () => {
    // Act
    const change = waiverStopChange(stop());

    // Assess
    const deletes = (change?.items ?? []).flatMap((item) => (item.Delete ? [item.Delete] : []));
    const payments = deletes.filter((d) => String(d.Key?.pk).startsWith('PAYMENT#'));
    expect(payments.map((d) => d.Key)).toEqual([
      { pk: `PAYMENT#${caseId}`, sk: 'MONTH#2027-02#milk-subsidy' },
      { pk: `PAYMENT#${caseId}`, sk: 'MONTH#2027-03#milk-subsidy' },
    ]);
    expect(payments[0]).toMatchObject({
      ConditionExpression: '#status = :pending',
      ExpressionAttributeValues: { ':pending': 'pending-disbursement' },
    });
  });

  it('frees the stopped child-months and tells the family and the provider', () => {
    // Act
    const change = waiverStopChange(stop());

    // Assess
    const items = change?.items ?? [];
    const locks = items.flatMap((item) =>
      item.Delete && String(item.Delete.Key?.pk).startsWith('WAIVERLOCK#') ? [item.Delete.Key] : [],
    );
    expect(locks).toEqual(['2027-01', '2027-02', '2027-03'].map((m) => waiverLockKey(childId, m)));
    const outbox = items.flatMap((item) =>
      item.Put?.Item?.entity === 'Notification' ? [item.Put.Item] : [],
    );
    expect(outbox.map((n) => n.recipient)).toEqual([
      { kind: 'applicant', sub: `family-${caseId}` },
      { kind: 'queue', role: 'provider', scope: 'P:P-WX-0001' },
    ]);
    expect(outbox[0]).toMatchObject({
      template: 'waiver-stopped',
      caseId,
      params: { month: '2027-01' },
      createdAt: '2026-12-25T02:00:00.000Z',
    });
    expect(items).toHaveLength(3 + 2 + 3 + 2);
  });

  it('stops nothing of a family that asked for no milk subsidy but the waiver', () => {
    // Act
    const change = waiverStopChange(stop({ payments: [] }));

    // Assess
    const deletes = (change?.items ?? []).filter((item) =>
      String(item.Delete?.Key?.pk).startsWith('PAYMENT#'),
    );
    expect(deletes).toHaveLength(0);
    expect(change?.data?.months).toHaveLength(3);
  });

  it('changes nothing when nothing from the month on is active any more', () => {
    // Prepare
    const waivers = waiverRecords(caseId).map((waiver) =>
      waiver.month >= '2027-01' ? { ...waiver, status: 'stopped' as const } : waiver,
    );

    // Act
    const change = waiverStopChange(stop({ waivers }));

    // Assess
    expect(change).toBeUndefined();
  });

  it('names the expiry as its reason', () => {
    // Act
    const change = waiverStopChange(stop({ reason: 'expired' }));

    // Assess
    expect(change?.data?.reason).toBe('expired');
    expect(change?.note).toContain('已到期');
  });

  it('picks the months in order, whatever order they were read in', () => {
    // Prepare
    const waivers = waiverRecords(caseId).reverse();

    // Act
    const months = monthsToStop(waivers, '2027-02');

    // Assess
    expect(months).toEqual(['2027-02', '2027-03']);
  });
});

describe('recheckHardship', () => {
  let table: WaiverTable;

  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 't');
    table = new WaiverTable();
    vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const run = (registries: Pick<Registries, 'findHardship'>, extra = {}) =>
    recheckHardship({ month: '2027-01', registries, now: () => runAt, ...extra });

  it("stops a revoked family's waiver from the month on, in one transaction", async () => {
    // Prepare
    seedCase(table, 'TW-A');
    const { registries } = fakeRegistries({});

    // Act
    const result = await run(registries);

    // Assess
    expect(result).toEqual({ month: '2027-01', checked: 1, stopped: 1, skipped: 0 });
    expect(table.transactions).toHaveLength(1);
    const months = termMonths(term).map((month) =>
      waiverRecordSchema.parse(table.get('WAIVER#TW-A', `MONTH#${month}`)),
    );
    expect(months.map((waiver) => [waiver.month, waiver.status, waiver.stopReason])).toEqual([
      ['2026-12', 'active', undefined],
      ['2027-01', 'stopped', 'revoked'],
      ['2027-02', 'stopped', 'revoked'],
      ['2027-03', 'stopped', 'revoked'],
    ]);
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-02')).not.toHaveProperty('gsi4pk');
    expect(table.get('WAIVER#TW-A', 'MONTH#2026-12')).toHaveProperty('gsi4pk');
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-02')?.stoppedAt).toBe(runAt.toISOString());
  });

  it('leaves disbursed and earlier milk payments, deletes the pending later ones', async () => {
    // Prepare
    seedCase(table, 'TW-A');

    // Act
    await run(fakeRegistries({}).registries);

    // Assess
    const milk = (month: string) => table.get('PAYMENT#TW-A', `MONTH#${month}#milk-subsidy`);
    expect(milk('2026-12')?.status).toBe('pending-disbursement');
    expect(milk('2027-01')?.status).toBe('disbursed');
    expect(milk('2027-02')).toBeUndefined();
    expect(milk('2027-03')).toBeUndefined();
  });

  it('frees the stopped child-months, records the event and files both notifications', async () => {
    // Prepare
    seedCase(table, 'TW-A');

    // Act
    await run(fakeRegistries({}).registries);

    // Assess
    const lock = (month: string) => table.items.get(WaiverTable.id(waiverLockKey(childId, month)));
    expect(lock('2026-12')).toBeDefined();
    expect(lock('2027-01')).toBeUndefined();
    expect(lock('2027-03')).toBeUndefined();
    const event = table.get('CASE#TW-A', 'EVENT#00000007');
    expect(event).toMatchObject({
      type: 'waiver.stopped',
      actor: { kind: 'system', component: 'hardship-recheck' },
      data: { fromMonth: '2027-01', months: ['2027-01', '2027-02', '2027-03'], reason: 'revoked' },
    });
    expect(table.get('CASE#TW-A', 'CASE')).toMatchObject({ status: 'approved', version: 7 });
    const notifications = [...table.items.values()].filter(
      (item) => item.entity === 'Notification',
    );
    expect(notifications.map((n) => n.template)).toEqual(['waiver-stopped', 'waiver-stopped']);
  });

  it('does nothing more when run again', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    const { registries } = fakeRegistries({});
    await run(registries);

    // Act
    const again = await run(registries);

    // Assess
    expect(again).toEqual({ month: '2027-01', checked: 0, stopped: 0, skipped: 0 });
    expect(table.transactions).toHaveLength(1);
  });

  it('does nothing more when a stale index still lists a stopped case', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    const { registries } = fakeRegistries({});
    await run(registries);
    const stale = { ...table.get('WAIVER#TW-A', 'MONTH#2027-01') };
    table.put({
      ...stale,
      pk: 'STALE',
      sk: 'INDEX',
      gsi4pk: 'WAIVERS#ACTIVE#2027-01',
      gsi4sk: 'TW-A',
    });

    // Act
    const again = await run(registries);

    // Assess
    expect(again).toMatchObject({ checked: 1, stopped: 0 });
    expect(table.transactions).toHaveLength(1);
  });

  it('keeps the waiver of a family still listed for the month', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    const { registries } = fakeRegistries({
      [guardianId]: { category: 'dibao', validUntil: '2027-01-01' },
    });

    // Act
    const result = await run(registries);

    // Assess
    expect(result).toEqual({ month: '2027-01', checked: 1, stopped: 0, skipped: 0 });
    expect(table.transactions).toHaveLength(0);
  });

  it('keeps the waiver of a family civil-affairs staff verified by hand, never in the registry', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    table.put({
      ...keys.caseEvent('TW-A', 3),
      caseId: 'TW-A',
      version: 3,
      at: approvedAt,
      type: 'checks.passed',
      actor: { kind: 'system', component: 'waiver-checks' },
      data: { verifiedBy: 'civil-affairs', months: termMonths(term) },
    });

    // Act
    const result = await run(fakeRegistries({}).registries);

    // Assess
    expect(result).toEqual({ month: '2027-01', checked: 1, stopped: 0, skipped: 0 });
    expect(table.transactions).toHaveLength(0);
  });

  it('stops an expired status with its reason', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    const { registries } = fakeRegistries({
      [guardianId]: { category: 'dibao', validUntil: '2026-12-31' },
    });

    // Act
    await run(registries);

    // Assess
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-01')?.stopReason).toBe('expired');
  });

  it('skips a case the registry cannot answer for, and goes on with the others', async () => {
    // Prepare
    table.pageSize = 2;
    for (const caseId of ['TW-A', 'TW-B', 'TW-C']) seedCase(table, caseId);
    let calls = 0;
    const registries: Pick<Registries, 'findHardship'> = {
      findHardship: async () => {
        calls += 1;
        if (calls === 1) throw outage();
        return undefined;
      },
    };

    // Act
    const result = await run(registries, { concurrency: 1 });

    // Assess
    expect(result).toEqual({ month: '2027-01', checked: 2, stopped: 2, skipped: 1 });
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-01')?.status).toBe('active');
    expect(table.get('WAIVER#TW-B', 'MONTH#2027-01')?.status).toBe('stopped');
    expect(table.get('WAIVER#TW-C', 'MONTH#2027-01')?.status).toBe('stopped');
    expect(table.queries.filter((q) => q.IndexName === 'gsi4')).toHaveLength(2);
  });

  it('starts no case when time runs out, and counts it as left for the next run', async () => {
    // Prepare
    seedCase(table, 'TW-A');

    // Act
    const result = await run(fakeRegistries({}).registries, { remainingMs: () => 5_000 });

    // Assess
    expect(result).toEqual({ month: '2027-01', checked: 0, stopped: 0, skipped: 1 });
    expect(table.transactions).toHaveLength(0);
  });

  it('reports a case it could not handle after finishing the others', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    for (const item of waiverRecords('TW-GONE')) table.put(item);

    // Act
    const outcome = run(fakeRegistries({}).registries);

    // Assess
    await expect(outcome).rejects.toThrow(RecheckIncompleteError);
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-01')?.status).toBe('stopped');
  });

  it('builds the stop again when a payment was disbursed under it', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    const send = table.send;
    let disbursed = false;
    vi.mocked(documentClient.send).mockImplementation((async (command: never) => {
      const result = await send(command);
      // Finance disburses February right after the re-check read the payments.
      const query = (command as { input?: { KeyConditionExpression?: string } }).input;
      if (!disbursed && query?.KeyConditionExpression === 'pk = :pk') {
        disbursed = true;
        const february = table.get('PAYMENT#TW-A', 'MONTH#2027-02#milk-subsidy');
        table.put({ ...february, status: 'disbursed' });
      }
      return result;
    }) as never);

    // Act
    const result = await run(fakeRegistries({}).registries);

    // Assess
    expect(result.stopped).toBe(1);
    expect(table.transactions).toHaveLength(2);
    expect(table.get('PAYMENT#TW-A', 'MONTH#2027-02#milk-subsidy')?.status).toBe('disbursed');
    expect(table.get('PAYMENT#TW-A', 'MONTH#2027-03#milk-subsidy')).toBeUndefined();
  });
});

describe('RecheckHardship job', () => {
  let table: WaiverTable;
  const context = {
    awsRequestId: 'req-1',
    functionName: 'RecheckHardship',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;

  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 't');
    table = new WaiverTable();
    vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('re-checks the month the event names, against the registry in the table', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    table.put(
      residentItem({
        idNumber: guardianId,
        name: '沈秀英',
        birthDate: '1992-05-11',
        hukouDistrict: 'wuxing',
        hardship: { category: 'dibao', validUntil: '2027-01-31' },
      }),
    );
    const { handler } = await import('../../../functions/scheduled/recheck-hardship.ts');

    // Act
    const february = await handler({ job: 'RecheckHardship', month: '2027-02' }, context);

    // Assess
    expect(february).toEqual({ month: '2027-02', checked: 1, stopped: 1, skipped: 0 });
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-01')?.status).toBe('active');
    expect(table.get('WAIVER#TW-A', 'MONTH#2027-02')?.stopReason).toBe('expired');
  });

  it('re-checks next month in Huzhou when the event names none', async () => {
    // Prepare
    seedCase(table, 'TW-A');
    vi.useFakeTimers({ now: new Date('2026-12-24T18:00:00.000Z'), toFake: ['Date'] });
    const { handler } = await import('../../../functions/scheduled/recheck-hardship.ts');

    // Act
    const result = await handler({ job: 'RecheckHardship' }, context);

    // Assess
    expect(result).toMatchObject({ month: '2027-01', stopped: 1 });
  });

  it('refuses a malformed month', async () => {
    // Prepare
    const { handler } = await import('../../../functions/scheduled/recheck-hardship.ts');

    // Act
    const run = handler({ job: 'RecheckHardship', month: '2027-1' }, context);

    // Assess
    await expect(run).rejects.toThrow();
    expect(table.queries).toHaveLength(0);
  });
});
