import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import {
  ChangeRefusedError,
  changeCase,
  createCase,
  getCase,
  type NewCase,
} from '../../../shared/cases/case-store.ts';
import { documentClient } from '../../../shared/db/client.ts';
import { keys } from '../../../shared/db/keys.ts';
import { ServiceBusyError } from '../../../shared/errors/http-errors.ts';
import { WaiverTable } from '../waivers/waiver-table.ts';

vi.mock('../../../shared/observability/business-metrics.ts', () => ({
  countCaseEnded: vi.fn(),
  countCaseSubmitted: vi.fn(),
  countTasksOverdue: vi.fn(),
}));

const caseId = 'SC-7K3M9Q2X4B8N';
const form = { child: { name: '沈小禾' }, guardian: { phone: '13857200000' }, months: ['2026-12'] };
const newCase: NewCase = {
  caseId,
  caseType: 'subsidy-claim',
  applicantSub: 'family-1',
  district: 'wuxing',
  providerId: 'P-WX-0001',
  fingerprint: 'f-1',
  form,
};
const system = { kind: 'system', component: 'test' } as const;

/** A record as cases were stored before the form had an item of its own: the form inside. */
const storedBefore: CaseRecord = {
  ...newCase,
  status: 'in-review',
  createdAt: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  version: 3,
};

let table: WaiverTable;

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 't');
  table = new WaiverTable();
  vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('createCase', () => {
  it('stores the form in an item of its own, in no index, and the record without it', async () => {
    // Act
    const { record, created } = await createCase(newCase, system);

    // Assess
    expect(created).toBe(true);
    expect(record.form).toEqual(form);
    const stored = table.get(`CASE#${caseId}`, 'CASE');
    expect(stored).toMatchObject({
      caseId,
      status: 'submitted',
      gsi2pk: 'APPLICANT#family-1',
      formVersion: 1,
    });
    expect(stored).not.toHaveProperty('form');
    const formItem = table.get(`CASE#${caseId}`, 'CASE#FORM');
    expect(formItem).toEqual({
      ...keys.caseForm(caseId),
      entity: 'CaseForm',
      caseId,
      version: 1,
      form,
    });
    expect(Object.keys(formItem ?? {}).filter((name) => name.startsWith('gsi'))).toEqual([]);
  });

  it('finds a retried submission written, form and all, and writes nothing twice', async () => {
    // Prepare
    const first = await createCase(newCase, system);

    // Act
    const again = await createCase(newCase, system);

    // Assess
    expect(again).toEqual({ record: first.record, created: false });
    const partition = [...table.items.values()].filter((item) => item.pk === `CASE#${caseId}`);
    expect(partition.map((item) => item.sk).sort()).toEqual([
      'CASE',
      'CASE#FORM',
      'EVENT#00000001',
    ]);
    expect(table.get(`CASE#${caseId}`, 'CASE#FORM')).toMatchObject({ version: 1, form });
  });

  it('still names the refused write of its own by its index, with the form written last', async () => {
    // Prepare
    table.put({ pk: 'LOCK#1', sk: 'LOCK', caseId: 'SC-OTHER' });
    const lock = {
      Put: {
        TableName: 't',
        Item: { pk: 'LOCK#1', sk: 'LOCK', caseId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };

    // Act
    const refused = await createCase(newCase, system, [lock]).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(ChangeRefusedError);
    expect((refused as ChangeRefusedError).itemIndex).toBe(0);
    expect(table.get(`CASE#${caseId}`, 'CASE#FORM')).toBeUndefined();
  });
});

describe('getCase', () => {
  it('reads the record and its form with one consistent query of the two', async () => {
    // Prepare
    await createCase(newCase, system);
    table.queries.length = 0;

    // Act
    const found = await getCase(caseId);

    // Assess
    expect(found).toMatchObject({ caseId, status: 'submitted', version: 1, form });
    expect(table.queries).toEqual([
      expect.objectContaining({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':prefix': 'CASE' },
        ConsistentRead: true,
      }),
    ]);
  });

  it('reads a record stored with its form in it', async () => {
    // Prepare
    table.put({ ...keys.case(caseId), entity: 'Case', ...storedBefore });

    // Act
    const found = await getCase(caseId);

    // Assess
    expect(found).toEqual(storedBefore);
  });

  it('reads again when a change committed between the record and the form', async () => {
    // Prepare: the record of version 2 beside the form of version 1, as a query can see an
    // amendment half-way; the next read sees the form it wrote.
    await createCase(newCase, system);
    const next = { ...form, months: ['2027-01'] };
    table.put({ ...table.get(`CASE#${caseId}`, 'CASE'), version: 2, formVersion: 2 });
    const send = table.send;
    vi.spyOn(documentClient, 'send').mockImplementation((async (command: unknown) => {
      const result = await send(command);
      table.put({ ...keys.caseForm(caseId), entity: 'CaseForm', caseId, version: 2, form: next });
      return result;
    }) as never);
    table.queries.length = 0;

    // Act
    const found = await getCase(caseId);

    // Assess
    expect(found).toMatchObject({ version: 2, form: next });
    expect(table.queries).toHaveLength(2);
  });

  it('gives up as busy when record and form keep disagreeing', async () => {
    // Prepare
    await createCase(newCase, system);
    table.put({ ...table.get(`CASE#${caseId}`, 'CASE'), version: 2, formVersion: 2 });
    table.queries.length = 0;

    // Act
    const read = await getCase(caseId).catch((error: unknown) => error);

    // Assess
    expect(read).toBeInstanceOf(ServiceBusyError);
    expect(table.queries).toHaveLength(3);
  });

  it('finds no case where there is none, whatever else its partition holds', async () => {
    // Prepare
    table.put({ pk: `CASE#${caseId}`, sk: 'EVENT#00000001', caseId });

    // Act
    const found = await getCase(caseId);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('changeCase', () => {
  const amend = (next: Record<string, unknown>) => () => ({
    type: 'case.amended',
    actor: system,
    set: { form: next, amendedBy: 'T-1' },
  });

  it('replaces the form in its own item, in the same transaction, not in the record', async () => {
    // Prepare
    await createCase(newCase, system);
    const next = { ...form, months: ['2026-12', '2027-01'] };

    // Act
    const changed = await changeCase(caseId, amend(next));

    // Assess
    expect(changed).toMatchObject({ version: 2, form: next, amendedBy: 'T-1' });
    expect(table.get(`CASE#${caseId}`, 'CASE#FORM')).toMatchObject({ version: 2, form: next });
    const record = table.get(`CASE#${caseId}`, 'CASE');
    expect(record).toMatchObject({ version: 2, formVersion: 2, amendedBy: 'T-1' });
    expect(record).not.toHaveProperty('form');
    expect(table.transactions.at(-1)).toHaveLength(3);
    expect(await getCase(caseId)).toEqual(changed);
  });

  it('takes the form out of a record stored with it, once the form is replaced', async () => {
    // Prepare
    table.put({ ...keys.case(caseId), entity: 'Case', ...storedBefore });
    const next = { ...form, months: ['2027-01'] };

    // Act
    await changeCase(caseId, amend(next));

    // Assess
    expect(table.get(`CASE#${caseId}`, 'CASE')).not.toHaveProperty('form');
    expect((await getCase(caseId))?.form).toEqual(next);
  });

  it('leaves the form alone when a change does not set it', async () => {
    // Prepare
    await createCase(newCase, system);

    // Act
    await changeCase(caseId, () => ({ type: 'case.checked', actor: system, status: 'in-review' }));

    // Assess
    expect(table.transactions.at(-1)).toHaveLength(2);
    expect(await getCase(caseId)).toMatchObject({ status: 'in-review', version: 2, form });
  });

  it('still names the refused write of its own by its index when it sets the form', async () => {
    // Prepare
    await createCase(newCase, system);
    const refusedItem = {
      ConditionCheck: {
        TableName: 't',
        Key: { pk: 'LOCK#1', sk: 'LOCK' },
        ConditionExpression: 'caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': caseId },
      },
    };

    // Act
    const refused = await changeCase(caseId, () => ({
      ...amend({})(),
      items: [refusedItem],
    })).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(ChangeRefusedError);
    expect((refused as ChangeRefusedError).itemIndex).toBe(0);
    expect(table.get(`CASE#${caseId}`, 'CASE#FORM')?.form).toEqual(form);
  });
});
