import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/http/get-sla-stats.ts';
import { routes } from '../../../functions/http/routes.ts';
import { documentClient } from '../../../shared/db/client.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';
import { decidedAt, staffTask, taskItem } from './fixtures.ts';
import { TaskIndexTable } from './task-index-table.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

function event(
  query: Record<string, string>,
  claims: Record<string, string>,
  headers: Record<string, string> = {},
): ApiEvent {
  return {
    version: '2.0',
    routeKey: 'GET /v1/stats/sla',
    rawPath: '/v1/stats/sla',
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: query,
    requestContext: {
      requestId: 'api-req-1',
      routeKey: 'GET /v1/stats/sla',
      http: { method: 'GET', path: '/v1/stats/sla', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims: { sub: 'staff-1', ...claims }, scopes: null } },
    },
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

async function call(
  query: Record<string, string>,
  claims: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const result = await handler(event(query, claims, headers), context);
  return { status: result.statusCode, body: JSON.parse(String(result.body)) };
}

const march = { district: 'wuxing', from: '2026-03-01', to: '2026-03-31' };
const wuxingSupervisor = { 'cognito:groups': '[supervisor]', 'custom:district': 'wuxing' };

let table: TaskIndexTable;

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 't');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-20T02:00:00.000Z'));
  table = new TaskIndexTable();
  vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('GET /v1/stats/sla', () => {
  it('is a read-only route', () => {
    // Act
    const route = routes.find((candidate) => candidate.path === '/v1/stats/sla');

    // Assess
    expect(route).toEqual({
      id: 'GetSlaStats',
      method: 'GET',
      path: '/v1/stats/sla',
      entry: 'functions/http/get-sla-stats.ts',
      readOnly: true,
    });
  });

  it("gives a supervisor their district's figures per task type", async () => {
    // Prepare
    const tasks = [
      staffTask({
        taskId: 'on-time',
        status: 'done',
        decision: decidedAt('2026-03-09T02:00:00.000Z'),
      }),
      staffTask({ taskId: 'expired', status: 'expired' }),
      staffTask({ taskId: 'lapsed', status: 'expired', closedAt: '2026-03-06T01:00:00.000Z' }),
      staffTask({ taskId: 'withdrawn', status: 'cancelled' }),
      staffTask({
        taskId: 'inspection',
        taskType: 'fire-review',
        role: 'fire',
        status: 'claimed',
        dueAt: '2026-03-27T09:30:00.000Z',
      }),
      staffTask({ taskId: 'april', dueAt: '2026-04-01T09:30:00.000Z' }),
    ];
    for (const task of tasks) table.put(taskItem(task));

    // Act
    const response = await call(march, wuxingSupervisor);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      district: 'wuxing',
      from: '2026-03-01',
      to: '2026-03-31',
      scope: 'staff tasks',
      byTaskType: [
        {
          taskType: 'district-review',
          due: 2,
          decidedOnTime: 1,
          overdue: 1,
          open: 0,
          cancelled: 1,
          closedEarly: 1,
          // Created Tue 03-03, decided Mon 03-09: Wed, Thu, Fri, Mon.
          medianWorkingDaysToDecide: 4,
        },
        {
          taskType: 'fire-review',
          due: 1,
          decidedOnTime: 0,
          overdue: 0,
          open: 1,
          cancelled: 0,
          closedEarly: 0,
          medianWorkingDaysToDecide: null,
        },
      ],
      total: {
        due: 3,
        decidedOnTime: 1,
        overdue: 1,
        open: 1,
        cancelled: 1,
        closedEarly: 1,
        medianWorkingDaysToDecide: 4,
      },
      // Thirty partitions (six staff roles × five statuses), one page each, half a unit a page.
      consumedReadUnits: 15,
    });
  });

  it.each([
    ['a city supervisor, for a district', { 'custom:district': 'city' }, 'anji', 'anji'],
    ['a city supervisor, for the city', { 'custom:district': 'city' }, 'city', 'city'],
  ])('lets %s see it', async (_, claims, district, scope) => {
    // Act
    const response = await call(
      { ...march, district },
      { 'cognito:groups': '[supervisor]', ...claims },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.district).toBe(district);
    const partitions = table.queries.map(
      (query) => (query.ExpressionAttributeValues as Record<string, string>)[':pk'],
    );
    expect(partitions).toHaveLength(30);
    expect(partitions.every((pk) => pk?.includes(`#D:${scope}#`))).toBe(true);
  });

  it.each([
    ['without a district', { 'cognito:groups': '[admin]' }],
    ['of another district', { 'cognito:groups': '[admin]', 'custom:district': 'anji' }],
  ])('lets an admin %s see any district', async (_, claims) => {
    // Act
    const response = await call(march, claims);

    // Assess
    expect(response.status).toBe(200);
  });

  it.each([
    [
      'a supervisor of another district',
      { 'cognito:groups': '[supervisor]', 'custom:district': 'anji' },
    ],
    ['a supervisor without a district', { 'cognito:groups': '[supervisor]' }],
    [
      'a caseworker of the district',
      { 'cognito:groups': '[caseworker]', 'custom:district': 'wuxing' },
    ],
    ['a city finance officer', { 'cognito:groups': '[finance]', 'custom:district': 'city' }],
  ])('refuses %s with 403, reading nothing', async (_, claims) => {
    // Act
    const response = await call(march, claims);

    // Assess
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
    expect(table.queries).toHaveLength(0);
  });

  it.each([
    ['an unknown district', { ...march, district: 'hangzhou' }, 'query.district', undefined],
    ['a missing start', { district: 'wuxing', to: '2026-03-31' }, 'query.from', undefined],
    ['an extra parameter', { ...march, status: 'open' }, 'query.status', undefined],
    ['a date that does not exist', { ...march, to: '2026-02-30' }, 'query.to', 'DATE_INVALID'],
    ['a reversed period', { ...march, from: '2026-04-01' }, 'query.to', 'PERIOD_REVERSED'],
    ['a period over 366 days', { ...march, from: '2025-03-30' }, 'query.to', 'PERIOD_TOO_LONG'],
  ])('refuses %s with 400', async (_, query, path, code) => {
    // Act
    const response = await call(query, wuxingSupervisor);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details).toEqual([
      expect.objectContaining({ path, ...(code ? { code } : {}) }),
    ]);
    expect(table.queries).toHaveLength(0);
  });

  it('words a date problem in the caller’s language', async () => {
    // Act
    const zh = await call({ ...march, from: '2026/03/01' }, wuxingSupervisor);
    const en = await call({ ...march, from: '2026/03/01' }, wuxingSupervisor, {
      'accept-language': 'en',
    });

    // Assess
    expect(zh.body.error.details[0].message).toBe(
      '日期应为 YYYY-MM-DD 格式的有效日期，例如 2026-03-01',
    );
    expect(en.body.error.details[0].message).toBe(
      'Dates are valid calendar dates written YYYY-MM-DD, e.g. 2026-03-01',
    );
  });
});
