import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../shared/cases/case-record.ts';
import {
  lastRenewalReminded,
  nextRenewalReminder,
  type ProviderRecord,
  providerRecordSchema,
  renewalIndexKeys,
  renewalRemindAt,
} from '../../../shared/providers/provider-record.ts';
import {
  ProviderStore,
  providerItem,
  providerWriteItems,
} from '../../../shared/providers/provider-store.ts';
import {
  daysBetween,
  RenewalRemindersIncompleteError,
  remindRegistrationRenewals,
} from '../../../shared/providers/renewal-reminders.ts';
import { DueIndexTable } from './due-index-table.ts';
import { fullProvider, seededProvider } from './fixtures.ts';
import { providerTable } from './provider-table.ts';

// fullProvider's registration ends on 2029-11-27: reminders at 09:00 Beijing time on 2029-09-28
// (60 days before) and 2029-10-28 (30 days before).
const sixtyDaysAt = '2029-09-28T01:00:00.000Z';
const thirtyDaysAt = '2029-10-28T01:00:00.000Z';
const dueSort = (at: string, providerId = fullProvider.providerId) => `${at}#${providerId}`;
const profileOf = (table: DueIndexTable, providerId = fullProvider.providerId) =>
  table.get(`PROVIDER#${providerId}`, 'PROFILE');
const notifications = (table: DueIndexTable) =>
  table.where((item) => item.entity === 'Notification');
const events = (table: DueIndexTable, providerId = fullProvider.providerId) =>
  table.where(
    (item) => item.pk === `PROVIDER#${providerId}` && String(item.sk).startsWith('EVENT#'),
  );

/** The table with each provider's profile as the store writes it at `writtenAt`. */
function tableWith(writtenAt: Date, ...records: ProviderRecord[]) {
  const table = new DueIndexTable();
  for (const record of records) table.put(providerItem(record, writtenAt));
  return table;
}

/**
 * A change to the provider as a writer that reads the profile makes it (ProviderStore.setStatus,
 * a change filing): the stored record, changed, written whole with its event.
 */
async function writeChange(table: DueIndexTable, at: string, change: Partial<ProviderRecord> = {}) {
  const current = providerRecordSchema.parse(profileOf(table));
  const version = (current.version ?? 0) + 1;
  const record = { ...current, ...change, version };
  await table.documents.send(
    new TransactWriteCommand({
      TransactItems: providerWriteItems(
        record,
        {
          providerId: record.providerId,
          version,
          at,
          type: 'provider.changed',
          actor: { kind: 'system', component: 'workflow' },
        },
        current.version,
        't',
      ),
    }),
  );
}

const run = (table: DueIndexTable, at: string) =>
  remindRegistrationRenewals({
    documents: table.documents,
    tableName: 't',
    now: () => new Date(at),
  });

describe('renewal reminder times', () => {
  it.each([
    ['2029-11-27', '60-days', sixtyDaysAt],
    ['2029-11-27', '30-days', thirtyDaysAt],
    // Across a month and a year end; a leap day counts.
    ['2028-03-01', '30-days', '2028-01-31T01:00:00.000Z'],
    ['2027-01-15', '60-days', '2026-11-16T01:00:00.000Z'],
  ] as const)(
    'reminds a registration ending %s, %s before, at 09:00 Beijing time',
    (until, threshold, expected) => {
      // Act
      const at = renewalRemindAt(until, threshold);

      // Assess
      expect(at.toISOString()).toBe(expected);
    },
  );

  it.each([
    ['long before', '2026-11-28T03:00:00.000Z', '60-days', sixtyDaysAt],
    ['a second before the first', '2029-09-28T00:59:59.000Z', '60-days', sixtyDaysAt],
    ['at the first, which is then no longer ahead', sixtyDaysAt, '30-days', thirtyDaysAt],
    ['between the two', '2029-10-01T00:00:00.000Z', '30-days', thirtyDaysAt],
  ] as const)('the next reminder %s is the %s one', (_case, now, threshold, remindAt) => {
    // Act
    const next = nextRenewalReminder('2029-11-27', new Date(now));

    // Assess
    expect(next).toEqual({ threshold, remindAt: new Date(remindAt) });
  });

  it('has no next reminder once both are past', () => {
    // Act
    const next = nextRenewalReminder('2029-11-27', new Date(thirtyDaysAt));

    // Assess
    expect(next).toBeUndefined();
  });

  it('has only the 30-day one after the 60-day one', () => {
    // Act
    const next = nextRenewalReminder('2029-11-27', new Date('2026-11-28T03:00:00.000Z'), '60-days');

    // Assess
    expect(next?.threshold).toBe('30-days');
  });

  it.each([
    ['2029-09-28', '2029-11-27', 60],
    ['2029-11-27', '2029-11-27', 0],
    ['2029-11-28', '2029-11-27', -1],
    ['2028-02-28', '2028-03-01', 2],
  ])('counts the days from %s to %s: %i', (from, to, expected) => {
    // Act
    const days = daysBetween(from, to);

    // Assess
    expect(days).toBe(expected);
  });
});

describe('renewalIndexKeys, the due index entry of a profile', () => {
  const writtenAt = new Date('2026-11-28T03:00:00.000Z');

  it('puts a registered provider on the due index at its next reminder', () => {
    // Act
    const item = providerItem(fullProvider, writtenAt);

    // Assess
    expect(item).toMatchObject({
      gsi4pk: 'DUE#RENEWALS',
      gsi4sk: dueSort(sixtyDaysAt),
      renewalReminder: '60-days',
      renewalRemindAt: sixtyDaysAt,
    });
  });

  it.each<[string, Partial<ProviderRecord>, Date]>([
    ['suspended', { status: 'suspended' }, writtenAt],
    ['revoked', { status: 'revoked' }, writtenAt],
    ['reminded at both thresholds', { renewalRemindedFor: '2029-11-27#30-days' }, writtenAt],
    // 2029-11-28 00:00 Beijing time: the last day has passed.
    ['whose registration has ended', {}, new Date('2029-11-27T16:00:00.000Z')],
  ])('leaves a provider %s off the due index', (_case, change, at) => {
    // Act
    const item = providerItem({ ...fullProvider, ...change }, at);

    // Assess
    expect(renewalIndexKeys({ ...fullProvider, ...change }, at)).toEqual({});
    for (const name of ['gsi4pk', 'gsi4sk', 'renewalReminder', 'renewalRemindAt']) {
      expect(item).not.toHaveProperty(name);
    }
  });

  it('leaves a registration without an end date off the due index', () => {
    // Act
    const keys = renewalIndexKeys(seededProvider, writtenAt);

    // Assess
    expect(keys).toEqual({});
  });

  it('keeps the 30-day entry for a change filing approved after the 60-day reminder', () => {
    // Prepare: a change filing approved between the two reminders, the first one sent
    const at = '2029-10-01T02:00:00.000Z';

    // Act
    const [provider] = providerWriteItems(
      { ...fullProvider, renewalRemindedFor: '2029-11-27#60-days', version: 3 },
      {
        providerId: fullProvider.providerId,
        version: 3,
        at,
        type: 'provider.changed',
        actor: { kind: 'system', component: 'workflow' },
      },
      2,
      't',
    );

    // Assess
    expect(provider.Put?.Item).toMatchObject({
      gsi4sk: dueSort(thirtyDaysAt),
      renewalReminder: '30-days',
    });
  });

  it('takes the entry away with a suspension and sets it anew with the reinstatement', async () => {
    // Prepare
    const table = providerTable();
    const item = providerItem(fullProvider, writtenAt);
    table.items.set(`${item.pk}|${item.sk}`, item);
    let now = writtenAt;
    const store = new ProviderStore({ documents: table.documents, tableName: 't', now: () => now });
    const supervisor: Actor = { kind: 'person', sub: 'wx-sup-1', roles: ['supervisor'] };
    const stored = () => table.items.get('PROVIDER#P-WX-0042|PROFILE');

    // Act
    await store.setStatus('P-WX-0042', { status: 'suspended', reason: '检查' }, supervisor);
    const suspended = stored();
    now = new Date('2029-10-01T02:00:00.000Z');
    await store.setStatus('P-WX-0042', { status: 'registered', reason: '整改完成' }, supervisor);

    // Assess
    expect(suspended).not.toHaveProperty('gsi4pk');
    expect(suspended).not.toHaveProperty('renewalReminder');
    // The 60-day reminder's time passed meanwhile, unsent: it is due, and the next run sends it.
    expect(stored()).toMatchObject({
      gsi4pk: 'DUE#RENEWALS',
      gsi4sk: dueSort(sixtyDaysAt),
      renewalReminder: '60-days',
    });
  });

  it('carries the reminder sent through a suspension and reinstatement', async () => {
    // Prepare: the 60-day reminder went out
    const table = providerTable();
    const item = providerItem({ ...fullProvider, renewalRemindedFor: '2029-11-27#60-days' });
    table.items.set(`${item.pk}|${item.sk}`, item);
    const now = new Date('2029-10-01T02:00:00.000Z');
    const store = new ProviderStore({ documents: table.documents, tableName: 't', now: () => now });
    const supervisor: Actor = { kind: 'person', sub: 'wx-sup-1', roles: ['supervisor'] };

    // Act
    await store.setStatus('P-WX-0042', { status: 'suspended', reason: '检查' }, supervisor);
    await store.setStatus('P-WX-0042', { status: 'registered', reason: '整改完成' }, supervisor);

    // Assess
    expect(table.items.get('PROVIDER#P-WX-0042|PROFILE')).toMatchObject({
      gsi4sk: dueSort(thirtyDaysAt),
      renewalReminder: '30-days',
      renewalRemindedFor: '2029-11-27#60-days',
    });
  });

  it.each<[string, Partial<ProviderRecord>, string, string]>([
    [
      'granted after the 60-day time: only the 30-day one',
      { registeredAt: '2029-10-08T02:00:00.000Z' },
      '30-days',
      thirtyDaysAt,
    ],
    [
      'renewed 20 days before the old end, the old reminders sent',
      {
        registeredFrom: '2029-11-07',
        registeredUntil: '2032-11-06',
        registeredAt: '2029-11-07T02:00:00.000Z',
        renewalRemindedFor: '2029-11-27#30-days',
      },
      '60-days',
      '2032-09-07T01:00:00.000Z',
    ],
    [
      'without registeredAt (a demo seed), counted from its first day',
      { registeredFrom: '2029-09-01', registeredAt: undefined },
      '60-days',
      sixtyDaysAt,
    ],
  ])(
    'starts an end date %s, whenever the profile is written',
    (_case, change, threshold, remindAt) => {
      // Prepare
      const { registeredAt: _registeredAt, ...rest } = fullProvider;
      const record: ProviderRecord = { ...rest, ...change };
      const writes = ['2029-11-07T03:00:00.000Z', '2029-11-20T03:00:00.000Z'];

      // Act
      const entries = writes.map((at) => renewalIndexKeys(record, new Date(at)));

      // Assess
      for (const entry of entries) {
        expect(entry).toMatchObject({
          renewalReminder: threshold,
          gsi4sk: dueSort(remindAt),
        });
      }
    },
  );

  it('reads the last reminder sent only for the current end date', () => {
    // Act
    const same = lastRenewalReminded({ ...fullProvider, renewalRemindedFor: '2029-11-27#60-days' });
    const older = lastRenewalReminded({
      ...fullProvider,
      renewalRemindedFor: '2026-11-27#30-days',
    });

    // Assess
    expect(same).toBe('60-days');
    expect(older).toBeUndefined();
  });

  it.each(['2029-11-27#90-days', '2029-11-27', '2029-13-27#60-days', '60-days'])(
    'rejects renewalRemindedFor %s in the record',
    (value) => {
      // Act
      const parsed = providerRecordSchema.safeParse({ ...fullProvider, renewalRemindedFor: value });

      // Assess
      expect(parsed.success).toBe(false);
    },
  );
});

describe('remindRegistrationRenewals', () => {
  const writtenAt = new Date('2026-11-28T03:00:00.000Z');
  const runAt = '2029-09-28T01:00:05.000Z';

  it('reads only the due entries, through the index, and returns their read cost', async () => {
    // Prepare: one provider due; fifty others whose reminders are months or years ahead
    const later = Array.from({ length: 50 }, (_, n) => ({
      ...fullProvider,
      providerId: `P-WX-${String(n + 100).padStart(4, '0')}`,
      registeredUntil: '2030-06-30',
    }));
    const table = tableWith(writtenAt, fullProvider, ...later);

    // Act
    const result = await run(table, runAt);

    // Assess
    expect(result).toEqual({ due: 1, reminded: 1, skipped: 0, consumedReadUnits: 0.5 });
    expect(table.queries).toEqual([
      {
        TableName: 't',
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk <= :bound',
        ExpressionAttributeValues: { ':pk': 'DUE#RENEWALS', ':bound': `${runAt}~` },
        ReturnConsumedCapacity: 'TOTAL',
      },
    ]);
  });

  it('reminds in one transaction: entry moved on and version bumped, event, two notices', async () => {
    // Prepare
    const table = tableWith(writtenAt, fullProvider);

    // Act
    await run(table, runAt);

    // Assess
    const [transaction] = table.transactions;
    const [update, event, toProvider, toCaseworkers] = transaction ?? [];
    expect(transaction).toHaveLength(4);
    expect(update?.Update).toEqual({
      TableName: 't',
      Key: { pk: 'PROVIDER#P-WX-0042', sk: 'PROFILE' },
      UpdateExpression:
        'SET gsi4sk = :nextSort, renewalReminder = :next, renewalRemindAt = :nextAt, renewalRemindedFor = :remindedFor, version = :version',
      ConditionExpression:
        'renewalReminder = :stage AND gsi4sk = :readSort AND #status = :registered AND version = :expected',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':stage': '60-days',
        ':readSort': dueSort(sixtyDaysAt),
        ':registered': 'registered',
        ':expected': 1,
        ':version': 2,
        ':remindedFor': '2029-11-27#60-days',
        ':nextSort': dueSort(thirtyDaysAt),
        ':next': '30-days',
        ':nextAt': thirtyDaysAt,
      },
    });
    expect(event?.Put).toEqual({
      TableName: 't',
      Item: {
        pk: 'PROVIDER#P-WX-0042',
        sk: 'EVENT#00000002',
        entity: 'ProviderEvent',
        providerId: 'P-WX-0042',
        version: 2,
        at: runAt,
        type: 'provider.renewal-reminded',
        actor: { kind: 'system', component: 'renewal-reminders' },
        data: { threshold: '60-days', registeredUntil: '2029-11-27' },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const notice = {
      template: 'registration-renewal',
      caseId: 'PR-0123456789AB',
      params: {
        providerName: '吴兴区小橡树托育园',
        registeredUntil: '2029-11-27',
        daysLeft: 60,
        dedupeKey: '60-days#2029-11-27',
      },
      status: 'pending',
    };
    expect(toProvider?.Put?.Item).toMatchObject({
      ...notice,
      recipient: { kind: 'queue', role: 'provider', scope: 'P:P-WX-0042' },
    });
    expect(toCaseworkers?.Put?.Item).toMatchObject({
      ...notice,
      recipient: { kind: 'queue', role: 'caseworker', scope: 'D:wuxing' },
    });
    expect(profileOf(table)).toMatchObject({
      version: 2,
      gsi4sk: dueSort(thirtyDaysAt),
      renewalReminder: '30-days',
      renewalRemindAt: thirtyDaysAt,
      renewalRemindedFor: '2029-11-27#60-days',
    });
  });

  it('takes the provider off the due index after the 30-day reminder', async () => {
    // Prepare: written after the first reminder, so the 30-day one is next
    const table = tableWith(new Date('2029-10-01T00:00:00.000Z'), {
      ...fullProvider,
      renewalRemindedFor: '2029-11-27#60-days',
    });

    // Act
    const result = await run(table, '2029-10-28T01:00:00.000Z');

    // Assess
    expect(result).toMatchObject({ due: 1, reminded: 1 });
    expect(table.transactions[0]?.[0]?.Update?.UpdateExpression).toBe(
      'SET renewalRemindedFor = :remindedFor, version = :version REMOVE gsi4pk, gsi4sk, renewalReminder, renewalRemindAt',
    );
    const profile = profileOf(table);
    expect(profile).toMatchObject({ renewalRemindedFor: '2029-11-27#30-days' });
    for (const name of ['gsi4pk', 'gsi4sk', 'renewalReminder', 'renewalRemindAt']) {
      expect(profile).not.toHaveProperty(name);
    }
    expect(notifications(table)[0]?.params).toMatchObject({
      daysLeft: 30,
      dedupeKey: '30-days#2029-11-27',
    });
  });

  it('reminds once at each threshold over a registration, however often it runs', async () => {
    // Prepare
    const table = tableWith(writtenAt, fullProvider);
    const runs = [
      '2029-09-27T01:00:05.000Z',
      runAt,
      '2029-09-29T01:00:05.000Z',
      '2029-10-28T01:00:05.000Z',
      '2029-10-28T01:00:06.000Z',
      '2029-11-27T01:00:05.000Z',
    ];

    // Act
    const results = [];
    for (const at of runs) results.push(await run(table, at));

    // Assess
    expect(results.map((result) => result.reminded)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(notifications(table).map((item) => item.params)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ dedupeKey: '60-days#2029-11-27' }),
        expect.objectContaining({ dedupeKey: '30-days#2029-11-27' }),
      ]),
    );
    expect(notifications(table)).toHaveLength(4);
    expect(events(table)).toHaveLength(2);
  });

  it('sends the 60-day reminder late after a profile write between its time and the run', async () => {
    // Prepare: the provider changed at 11:00 Beijing time on the 60-day day, before any run
    const table = tableWith(writtenAt, fullProvider);
    await writeChange(table, '2029-09-28T03:00:00.000Z', { capacity: 60 });
    const written = profileOf(table);

    // Act
    const result = await run(table, '2029-09-29T01:00:05.000Z');

    // Assess
    expect(written).toMatchObject({ gsi4sk: dueSort(sixtyDaysAt), renewalReminder: '60-days' });
    expect(result).toMatchObject({ due: 1, reminded: 1, skipped: 0 });
    expect(notifications(table)[0]?.params).toMatchObject({
      daysLeft: 59,
      dedupeKey: '60-days#2029-11-27',
    });
    expect(profileOf(table)).toMatchObject({ renewalReminder: '30-days', version: 3 });
  });

  it('keeps the 30-day entry through a write after the 60-day reminder, and sends each once', async () => {
    // Prepare: the 60-day reminder sent, then the provider changed
    const table = tableWith(writtenAt, fullProvider);
    await run(table, runAt);
    await writeChange(table, '2029-10-01T02:00:00.000Z', { capacity: 60 });
    const written = profileOf(table);

    // Act
    const later = [
      await run(table, '2029-10-02T01:00:05.000Z'),
      await run(table, '2029-10-28T01:00:05.000Z'),
    ];

    // Assess
    expect(written).toMatchObject({
      version: 3,
      gsi4sk: dueSort(thirtyDaysAt),
      renewalReminder: '30-days',
      renewalRemindedFor: '2029-11-27#60-days',
    });
    expect(later.map((result) => result.reminded)).toEqual([0, 1]);
    expect(
      notifications(table)
        .map((item) => (item.params as { dedupeKey: string }).dedupeKey)
        .sort(),
    ).toEqual([
      '30-days#2029-11-27',
      '30-days#2029-11-27',
      '60-days#2029-11-27',
      '60-days#2029-11-27',
    ]);
    expect(profileOf(table)).not.toHaveProperty('gsi4pk');
  });

  it('starts afresh for a renewal: reminders for the new end date only, none stale', async () => {
    // Prepare: both reminders sent; the renewal granted 20 days before the old end
    const table = tableWith(writtenAt, fullProvider);
    await run(table, runAt);
    await run(table, '2029-10-28T01:00:05.000Z');
    await writeChange(table, '2029-11-07T02:00:00.000Z', {
      registeredFrom: '2029-11-07',
      registeredUntil: '2032-11-06',
      registeredAt: '2029-11-07T02:00:00.000Z',
    });
    const renewed = profileOf(table);

    // Act
    const result = await run(table, '2029-11-08T01:00:05.000Z');

    // Assess
    expect(renewed).toMatchObject({
      gsi4pk: 'DUE#RENEWALS',
      gsi4sk: dueSort('2032-09-07T01:00:00.000Z'),
      renewalReminder: '60-days',
      renewalRemindedFor: '2029-11-27#30-days',
    });
    expect(result).toMatchObject({ due: 0, reminded: 0 });
    expect(notifications(table)).toHaveLength(4);
  });

  it('lets exactly one of two overlapping runs remind; the other skips', async () => {
    // Prepare
    const table = tableWith(writtenAt, fullProvider);

    // Act: both read the entry before either writes
    const results = await Promise.all([run(table, runAt), run(table, runAt)]);

    // Assess
    expect(table.transactions).toHaveLength(2);
    expect(results.map((result) => result.reminded).sort()).toEqual([0, 1]);
    expect(results.map((result) => result.skipped).sort()).toEqual([0, 1]);
    expect(notifications(table)).toHaveLength(2);
    expect(events(table)).toHaveLength(1);
  });

  it('skips an entry whose transaction another writer held', async () => {
    // Prepare
    const table = tableWith(writtenAt, fullProvider);
    table.failNext = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });

    // Act
    const result = await run(table, runAt);

    // Assess
    expect(result).toMatchObject({ due: 1, reminded: 0, skipped: 1 });
    expect(profileOf(table)).toMatchObject({ version: 1, renewalReminder: '60-days' });
  });

  it('skips a provider that changed after the index was read', async () => {
    // Prepare: the index still shows version 1, the table holds version 2
    const table = tableWith(writtenAt, fullProvider);
    const stale = profileOf(table) as Record<string, unknown>;
    const send = table.send;
    const documents = {
      send: async (command: unknown) => {
        const answer = await send(command);
        if (Array.isArray(answer.Items)) table.put({ ...stale, version: 2 });
        return answer;
      },
    };

    // Act
    const result = await remindRegistrationRenewals({
      documents: documents as never,
      tableName: 't',
      now: () => new Date(runAt),
    });

    // Assess
    expect(result).toMatchObject({ due: 1, reminded: 0, skipped: 1 });
    expect(notifications(table)).toHaveLength(0);
  });

  it.each(['suspended', 'revoked'] as const)(
    'removes the entry of a %s provider without telling anyone',
    async (status) => {
      // Prepare: an entry left behind (written before the entry was kept in step)
      const table = tableWith(writtenAt, { ...fullProvider, status });
      table.put({
        ...profileOf(table),
        gsi4pk: 'DUE#RENEWALS',
        gsi4sk: dueSort(sixtyDaysAt),
        renewalReminder: '60-days',
        renewalRemindAt: sixtyDaysAt,
      });

      // Act
      const result = await run(table, runAt);

      // Assess
      expect(result).toEqual({ due: 1, reminded: 0, skipped: 1, consumedReadUnits: 0.5 });
      expect(table.transactions[0]).toEqual([
        {
          Update: {
            TableName: 't',
            Key: { pk: 'PROVIDER#P-WX-0042', sk: 'PROFILE' },
            UpdateExpression: 'REMOVE gsi4pk, gsi4sk, renewalReminder, renewalRemindAt',
            ConditionExpression: 'gsi4sk = :readSort AND version = :expected',
            ExpressionAttributeValues: { ':readSort': dueSort(sixtyDaysAt), ':expected': 1 },
          },
        },
      ]);
      expect(profileOf(table)).not.toHaveProperty('gsi4pk');
      expect(profileOf(table)).toMatchObject({ status, version: 1 });
      expect(notifications(table)).toHaveLength(0);
      expect(events(table)).toHaveLength(0);
    },
  );

  it('sends the 30-day reminder, not a stale 60-day one, after a run missed the first', async () => {
    // Prepare
    const table = tableWith(writtenAt, fullProvider);

    // Act
    const result = await run(table, '2029-11-01T01:00:00.000Z');

    // Assess
    expect(result).toMatchObject({ reminded: 1 });
    expect(notifications(table)[0]?.params).toMatchObject({
      daysLeft: 26,
      dedupeKey: '30-days#2029-11-27',
    });
    expect(profileOf(table)).not.toHaveProperty('gsi4pk');
  });

  it('files a versionless provider under its id, and gives it version 1', async () => {
    // Prepare: a demo seed, with an end date and no registration case
    const seeded = { ...seededProvider, registeredUntil: '2029-11-27' };
    const table = tableWith(writtenAt, seeded);

    // Act
    await run(table, runAt);

    // Assess
    const update = table.transactions[0]?.[0]?.Update;
    expect(update?.ConditionExpression).toMatch(/AND attribute_not_exists\(version\)$/);
    expect(profileOf(table, 'P-AJ-0001')).toMatchObject({ version: 1 });
    expect(events(table, 'P-AJ-0001')).toHaveLength(1);
    expect(notifications(table).map((item) => [item.caseId, item.recipient])).toEqual(
      expect.arrayContaining([
        ['P-AJ-0001', { kind: 'queue', role: 'provider', scope: 'P:P-AJ-0001' }],
        ['P-AJ-0001', { kind: 'queue', role: 'caseworker', scope: 'D:anji' }],
      ]),
    );
  });

  it('reads every page and adds up their read units', async () => {
    // Prepare
    const due = Array.from({ length: 3 }, (_, n) => ({
      ...fullProvider,
      providerId: `P-WX-${String(n + 1).padStart(4, '0')}`,
      registrationCaseId: `PR-00000000000${n + 1}`,
    }));
    const table = tableWith(writtenAt, ...due);
    table.pageSize = 2;

    // Act
    const result = await run(table, runAt);

    // Assess
    expect(table.queries).toHaveLength(2);
    expect(table.queries[1]?.ExclusiveStartKey).toMatchObject({
      gsi4sk: dueSort(sixtyDaysAt, 'P-WX-0002'),
    });
    expect(result).toEqual({ due: 3, reminded: 3, skipped: 0, consumedReadUnits: 1.5 });
  });

  it('goes on past a failed entry, then fails the run so that it is retried', async () => {
    // Prepare
    const table = tableWith(writtenAt, fullProvider, {
      ...fullProvider,
      providerId: 'P-WX-0043',
      registrationCaseId: 'PR-000000000043',
    });
    table.failNext = new Error('Throughput exceeded');

    // Act
    const running = run(table, runAt);

    // Assess
    await expect(running).rejects.toThrow(RenewalRemindersIncompleteError);
    await expect(running).rejects.toMatchObject({
      failed: 1,
      result: { due: 2, reminded: 1, skipped: 0 },
    });
    expect(profileOf(table)).toMatchObject({ renewalReminder: '60-days', version: 1 });
  });
});
