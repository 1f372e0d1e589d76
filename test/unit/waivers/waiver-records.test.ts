import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { encodeCursor } from '../../../shared/http/cursor.ts';
import { idKey } from '../../../shared/privacy/id-key.ts';
import {
  fenToYuan,
  InvalidWaiverError,
  listActiveWaiverCases,
  listCaseWaivers,
  listWaivers,
  type WaiverInput,
  waiverMonthItems,
  waiverRecordSchema,
  yuanToFenOrZero,
} from '../../../shared/waivers/waiver-records.ts';
import { childIdBornOn } from './fixtures.ts';

const childIdNumber = childIdBornOn('2025-03-15');

const input: WaiverInput = {
  caseId: 'TW-0123456789AB',
  providerId: 'P-WX-0001',
  district: 'wuxing',
  childIdNumber,
  childName: '沈小禾',
  category: 'dibian',
  percent: 50,
  policyVersion: '2025-01',
  createdAt: '2026-11-20T02:00:00.000Z',
  months: [
    { month: '2026-12', tuitionYuan: 1800.5, waivedYuan: 900.25, remainderYuan: 900.25 },
    { month: '2027-01', tuitionYuan: 1800.5, waivedYuan: 900.25, remainderYuan: 900.25 },
  ],
};

/** A fake document client that answers queries from `pages` in order and keeps their inputs. */
function fakeDocuments(pages: Record<string, unknown>[] = []) {
  const queries: QueryCommand['input'][] = [];
  const send = async (command: unknown) => {
    if (!(command instanceof QueryCommand)) throw new Error('unexpected command');
    queries.push(structuredClone(command.input));
    return pages.shift() ?? { Items: [] };
  };
  return { queries, table: { documents: { send } as never, tableName: 'shanyu-table' } };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('yuanToFenOrZero', () => {
  it.each([
    [0, 0],
    [0.29, 29],
    [900.25, 90025],
    [2000, 200000],
  ])('turns %s yuan into %s fen', (yuan, fen) => {
    // Act
    const result = yuanToFenOrZero(yuan);

    // Assess
    expect(result).toBe(fen);
  });

  it.each([[-1], [0.001], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses %s yuan', (yuan) => {
    // Act
    const convert = () => yuanToFenOrZero(yuan);

    // Assess
    expect(convert).toThrow(InvalidWaiverError);
  });

  it('turns fen back into yuan with two decimals at most', () => {
    // Act
    const yuan = [fenToYuan(90025), fenToYuan(180000), fenToYuan(0), fenToYuan(29)];

    // Assess
    expect(yuan).toEqual([900.25, 1800, 0, 0.29]);
  });
});

describe('waiverMonthItems', () => {
  it('files one conditional put per month, keyed by case and month, in both indexes', () => {
    // Act
    const items = waiverMonthItems(input, 'shanyu-table');

    // Assess
    expect(items).toHaveLength(2);
    expect(items.map((item) => item.Put.ConditionExpression)).toEqual([
      'attribute_not_exists(pk)',
      'attribute_not_exists(pk)',
    ]);
    expect(items[1]?.Put).toMatchObject({
      TableName: 'shanyu-table',
      Item: {
        pk: 'WAIVER#TW-0123456789AB',
        sk: 'MONTH#2027-01',
        gsi3pk: 'WAIVERS#P-WX-0001#2027-01',
        gsi3sk: 'TW-0123456789AB',
        gsi4pk: 'WAIVERS#ACTIVE#2027-01',
        gsi4sk: 'TW-0123456789AB',
        entity: 'Waiver',
        waiverId: 'TW-0123456789AB-2027-01',
        caseId: 'TW-0123456789AB',
        month: '2027-01',
        providerId: 'P-WX-0001',
        district: 'wuxing',
        category: 'dibian',
        percent: 50,
        tuitionFen: 180050,
        waivedFen: 90025,
        remainderFen: 90025,
        policyVersion: '2025-01',
        status: 'active',
        createdAt: '2026-11-20T02:00:00.000Z',
      },
    });
    for (const item of items) expect(waiverRecordSchema.parse(item.Put.Item)).toBeTruthy();
  });

  it('stores the keyed digest of the ID number and the masked name, never the originals', () => {
    // Act
    const [item] = waiverMonthItems(input, 'table');

    // Assess
    expect(item?.Put.Item.childKey).toBe(idKey(childIdNumber));
    expect(item?.Put.Item.childName).toBe('沈*禾');
    expect(JSON.stringify(item)).not.toContain(childIdNumber);
    expect(JSON.stringify(item)).not.toContain('沈小禾');
  });

  it('writes identical items when a retried approval passes the same timestamp', () => {
    // Act
    const first = waiverMonthItems(input, 'table');
    const retry = waiverMonthItems({ ...input }, 'table');

    // Assess
    expect(retry).toEqual(first);
  });

  it('accepts a full waiver, leaving no remainder', () => {
    // Prepare
    const full = {
      ...input,
      percent: 100,
      months: [{ month: '2026-12', tuitionYuan: 1500, waivedYuan: 1500, remainderYuan: 0 }],
    };

    // Act
    const [item] = waiverMonthItems(full, 'table');

    // Assess
    expect(item?.Put.Item).toMatchObject({
      tuitionFen: 150000,
      waivedFen: 150000,
      remainderFen: 0,
    });
  });

  it('takes the table from TABLE_NAME by default', () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', 'from-env');

    // Act
    const [item] = waiverMonthItems(input);

    // Assess
    expect(item?.Put.TableName).toBe('from-env');
  });

  it.each<[string, Partial<WaiverInput>]>([
    [
      'amounts that do not add up',
      { months: [{ month: '2026-12', tuitionYuan: 1800, waivedYuan: 900, remainderYuan: 800 }] },
    ],
    [
      'a third decimal',
      {
        months: [
          { month: '2026-12', tuitionYuan: 1800, waivedYuan: 900.005, remainderYuan: 899.995 },
        ],
      },
    ],
    [
      'a zero tuition',
      { months: [{ month: '2026-12', tuitionYuan: 0, waivedYuan: 0, remainderYuan: 0 }] },
    ],
    [
      'a month twice',
      {
        months: [
          { month: '2026-12', tuitionYuan: 100, waivedYuan: 50, remainderYuan: 50 },
          { month: '2026-12', tuitionYuan: 100, waivedYuan: 50, remainderYuan: 50 },
        ],
      },
    ],
    [
      'a malformed month',
      { months: [{ month: '2026-13', tuitionYuan: 100, waivedYuan: 50, remainderYuan: 50 }] },
    ],
    ['the city as district', { district: 'city' }],
    ['an unknown category', { category: 'poor' }],
    ['a percent above 100', { percent: 120 }],
    ['a date that is no timestamp', { createdAt: '2026-11-20' }],
    ['a case id with a separator', { caseId: 'TW#1' }],
  ])('refuses %s', (_case, change) => {
    // Act
    const build = () => waiverMonthItems({ ...input, ...change }, 'table');

    // Assess
    expect(build).toThrow(InvalidWaiverError);
  });
});

describe('listWaivers', () => {
  it("queries the provider's month on gsi3 and parses the records", async () => {
    // Prepare
    const [item] = waiverMonthItems(input, 'shanyu-table');
    const { queries, table } = fakeDocuments([{ Items: [item?.Put.Item] }]);

    // Act
    const page = await listWaivers({ providerId: 'P-WX-0001', month: '2026-12', limit: 10 }, table);

    // Assess
    expect(queries).toEqual([
      {
        TableName: 'shanyu-table',
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': 'WAIVERS#P-WX-0001#2026-12' },
        ScanIndexForward: true,
        Limit: 10,
      },
    ]);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ caseId: 'TW-0123456789AB', waivedFen: 90025 });
    expect(page.items[0]).not.toHaveProperty('pk');
    expect(page.cursor).toBeUndefined();
  });

  it('hands back a cursor that resumes the same listing', async () => {
    // Prepare
    const last = {
      pk: 'WAIVER#A',
      sk: 'MONTH#2026-12',
      gsi3pk: 'WAIVERS#P-WX-0001#2026-12',
      gsi3sk: 'A',
    };
    const { queries, table } = fakeDocuments([
      { Items: [], LastEvaluatedKey: last },
      { Items: [] },
    ]);
    const listing = { providerId: 'P-WX-0001', month: '2026-12' };

    // Act
    const first = await listWaivers(listing, table);
    await listWaivers({ ...listing, cursor: first.cursor }, table);

    // Assess
    expect(first.cursor).toBeTypeOf('string');
    expect(queries[1]?.ExclusiveStartKey).toEqual(last);
    expect(queries[0]?.Limit).toBe(50);
  });

  it.each([
    ["another provider's cursor", { providerId: 'P-WX-0002', month: '2026-12' }],
    ["another month's cursor", { providerId: 'P-WX-0001', month: '2027-01' }],
  ])('refuses %s', async (_case, other) => {
    // Prepare
    const last = { pk: 'x', sk: 'y', gsi3pk: 'WAIVERS#P-WX-0001#2026-12', gsi3sk: 'A' };
    const { queries, table } = fakeDocuments([{ Items: [], LastEvaluatedKey: last }]);
    const first = await listWaivers({ providerId: 'P-WX-0001', month: '2026-12' }, table);

    // Act
    const resume = listWaivers({ ...other, cursor: first.cursor }, table);

    // Assess
    await expect(resume).rejects.toThrow(ValidationError);
    expect(queries).toHaveLength(1);
  });

  it('refuses a cursor pointing into another partition', async () => {
    // Prepare
    const listing = { providerId: 'P-WX-0001', month: '2026-12' };
    const forged = encodeCursor({
      listing: JSON.stringify(['P-WX-0001', '2026-12']),
      start: { pk: 'x', sk: 'y', gsi3pk: 'WAIVERS#P-WX-0002#2026-12', gsi3sk: 'A' },
    });
    const { table } = fakeDocuments();

    // Act
    const resume = listWaivers({ ...listing, cursor: forged }, table);

    // Assess
    await expect(resume).rejects.toThrow(ValidationError);
  });
});

describe('listCaseWaivers', () => {
  it('reads every month of the case consistently, across pages', async () => {
    // Prepare
    const [december, january] = waiverMonthItems(input, 'shanyu-table');
    const { queries, table } = fakeDocuments([
      {
        Items: [december?.Put.Item],
        LastEvaluatedKey: { pk: 'WAIVER#TW-0123456789AB', sk: 'MONTH#2026-12' },
      },
      { Items: [january?.Put.Item] },
    ]);

    // Act
    const records = await listCaseWaivers('TW-0123456789AB', table);

    // Assess
    expect(records.map((record) => record.month)).toEqual(['2026-12', '2027-01']);
    expect(queries[0]).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'WAIVER#TW-0123456789AB', ':prefix': 'MONTH#' },
      ConsistentRead: true,
    });
    expect(queries[0]).not.toHaveProperty('IndexName');
    expect(queries[1]?.ExclusiveStartKey).toEqual({
      pk: 'WAIVER#TW-0123456789AB',
      sk: 'MONTH#2026-12',
    });
  });
});

describe('listActiveWaiverCases', () => {
  it('reads the sparse active partition of gsi4 and hands on where to go on', async () => {
    // Prepare
    const next = { pk: 'p', sk: 's', gsi4pk: 'WAIVERS#ACTIVE#2026-12', gsi4sk: 'B' };
    const { queries, table } = fakeDocuments([
      { Items: [{ caseId: 'A' }, { caseId: 'B' }], LastEvaluatedKey: next },
    ]);

    // Act
    const page = await listActiveWaiverCases('2026-12', undefined, table, 2);

    // Assess
    expect(page).toEqual({ caseIds: ['A', 'B'], next });
    expect(queries[0]).toMatchObject({
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': 'WAIVERS#ACTIVE#2026-12' },
      Limit: 2,
    });
  });
});
