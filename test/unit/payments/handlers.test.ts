import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as disburseHandler } from '../../../functions/http/disburse-payments.ts';
import { handler as listHandler } from '../../../functions/http/list-payments.ts';
import { documentClient } from '../../../shared/db/client.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';
import { paymentItems } from '../../../shared/payments/payment-items.ts';
import { MemoryTable } from './memory-table.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

function event(options: {
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  groups: string;
  district?: string;
}): ApiEvent {
  const path = options.method === 'GET' ? '/v1/payments' : '/v1/payments/disburse';
  return {
    version: '2.0',
    routeKey: `${options.method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
    queryStringParameters: options.query,
    requestContext: {
      requestId: 'api-req-1',
      routeKey: `${options.method} ${path}`,
      http: { method: options.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      authorizer: {
        jwt: {
          claims: {
            sub: 'staff-1',
            'cognito:groups': options.groups,
            ...(options.district ? { 'custom:district': options.district } : {}),
          },
          scopes: null,
        },
      },
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

let db: MemoryTable;
beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 'table');
  db = new MemoryTable();
  const [item] = paymentItems(
    {
      caseId: 'SC-0123456789AB',
      district: 'wuxing',
      providerId: 'prov-1',
      childIdNumber: '33050220230115002X',
      childName: '王小明',
      months: ['2026-03'],
      amountYuanPerMonth: 300,
      policyVersion: '2025-01',
      createdAt: '2026-03-05T02:00:00.000Z',
    },
    'table',
  );
  // A provider id with a comma (as an older registry might hold) exercises the CSV quoting.
  if (item) db.put({ ...item.Put.Item, providerId: 'prov,1' });
  vi.spyOn(documentClient, 'send').mockImplementation(((command: never) =>
    db.send(command)) as never);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('GET /v1/payments', () => {
  it('exports the month as a UTF-8 CSV download with a BOM', async () => {
    // Prepare
    const request = event({
      method: 'GET',
      query: { month: '2026-03', district: 'wuxing', format: 'csv' },
      groups: '[finance]',
      district: 'city',
    });

    // Act
    const response = await listHandler(request, context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="payments-2026-03-wuxing.csv"',
    });
    expect(response.isBase64Encoded).toBe(false);
    const body = String(response.body);
    expect(body.startsWith('\uFEFF案件编号,')).toBe(true);
    expect(body).toContain('SC-0123456789AB,2026-03,吴兴区,"prov,1",王*明,300.00,');
    expect(body).not.toContain('33050220230115002X');
  });

  it('lists JSON pages of the caller’s own district', async () => {
    // Prepare
    const request = event({
      method: 'GET',
      query: { month: '2026-03' },
      groups: '[supervisor]',
      district: 'wuxing',
    });

    // Act
    const response = await listHandler(request, context);

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body));
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ caseId: 'SC-0123456789AB', amountFen: 30_000 });
    expect(body.cursor).toBeUndefined();
  });

  it.each([
    ['another district', '[finance]', 'anji', 403],
    ['a role without access', '[caseworker]', 'wuxing', 403],
  ])('refuses staff of %s', async (_, groups, district, status) => {
    // Prepare
    const request = event({
      method: 'GET',
      query: { month: '2026-03', district: 'wuxing' },
      groups,
      district,
    });

    // Act
    const response = await listHandler(request, context);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(db.sent).toEqual([]);
  });

  it('asks city staff to name a district', async () => {
    // Prepare
    const request = event({
      method: 'GET',
      query: { month: '2026-03' },
      groups: '[finance]',
      district: 'city',
    });

    // Act
    const response = await listHandler(request, context);

    // Assess
    expect(response.statusCode).toBe(400);
  });
});

describe('POST /v1/payments/disburse', () => {
  it('disburses once, then reports the batch as already disbursed', async () => {
    // Prepare
    const request = () =>
      event({
        method: 'POST',
        body: { month: '2026-03', district: 'wuxing' },
        groups: '[finance]',
        district: 'wuxing',
      });

    // Act
    const first = await disburseHandler(request(), context);
    const second = await disburseHandler(request(), context);

    // Assess
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(String(first.body))).toEqual({
      batchId: 'B-2026-03-wuxing',
      alreadyDisbursed: false,
      count: 1,
    });
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(String(second.body))).toMatchObject({ alreadyDisbursed: true, count: 1 });
  });

  it.each([
    ['finance of another district', '[finance]', 'anji', 403],
    ['a supervisor', '[supervisor]', 'wuxing', 403],
  ])('refuses %s', async (_, groups, district, status) => {
    // Prepare
    const request = event({
      method: 'POST',
      body: { month: '2026-03', district: 'wuxing' },
      groups,
      district,
    });

    // Act
    const response = await disburseHandler(request, context);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(db.sent).toEqual([]);
  });
});
