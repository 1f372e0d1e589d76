import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as getHandler } from '../../../functions/http/get-provider.ts';
import { handler as listHandler } from '../../../functions/http/list-providers.ts';
import { handler as statusHandler } from '../../../functions/http/set-provider-status.ts';
import { documentClient } from '../../../shared/db/client.ts';
import type { ApiContext, ApiEvent } from '../../../shared/http/types.ts';
import type { ProviderRecord } from '../../../shared/providers/provider-record.ts';
import { providerItem } from '../../../shared/providers/provider-store.ts';
import { fullProvider } from './fixtures.ts';
import { providerTable } from './provider-table.ts';

const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as ApiContext;

function event(options: {
  method?: 'GET' | 'POST';
  path: string;
  providerId?: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Absent: no authorizer ran (a public route). */
  claims?: Record<string, string>;
}): ApiEvent {
  const method = options.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: `${method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.providerId ? { pathParameters: { providerId: options.providerId } } : {}),
    requestContext: {
      requestId: 'api-req-1',
      routeKey: `${method} ${options.path}`,
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
  } as unknown as ApiEvent;
}

async function call(handler: typeof getHandler, e: ApiEvent) {
  const result = await handler(e, context);
  return { status: result.statusCode, body: JSON.parse(String(result.body)) };
}

let table: ReturnType<typeof providerTable>;
function seed(record: ProviderRecord) {
  const item = providerItem(record);
  table.items.set(`${item.pk}|${item.sk}`, item);
}

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 't');
  table = providerTable({ pages: [{ Items: [providerItem(fullProvider)] }] });
  seed(fullProvider);
  vi.spyOn(documentClient, 'send').mockImplementation(((command: never) =>
    table.documents.send(command)) as never);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('GET /v1/providers (public)', () => {
  it('lists without a login, as public views', async () => {
    // Act
    const response = await call(
      listHandler,
      event({ path: '/v1/providers', query: { district: 'wuxing', inclusive: 'true' } }),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({
      providerId: 'P-WX-0042',
      districtName: '吴兴区',
    });
    expect(response.body.items[0]).not.toHaveProperty('staffSummary');
    expect(response.body).not.toHaveProperty('cursor');
    expect(table.queries[0]).toMatchObject({ IndexName: 'gsi2', Limit: 20 });
  });

  it('hands on the cursor as cursor, as every list of the API does', async () => {
    // Prepare
    table = providerTable({
      pages: [
        {
          Items: [providerItem(fullProvider)],
          LastEvaluatedKey: { pk: 'p', sk: 's', gsi3pk: 'REGISTRY#PROVIDERS', gsi3sk: 'x' },
        },
      ],
    });

    // Act
    const response = await call(
      listHandler,
      event({ path: '/v1/providers', query: { limit: '1' } }),
    );

    // Assess
    expect(response.body.cursor).toBeTypeOf('string');
  });

  it.each<Record<string, string>>([
    { district: 'city' },
    { inclusive: 'yes' },
    { limit: '101' },
    { sort: 'name' },
  ])('refuses the query %o', async (query) => {
    // Act
    const response = await call(listHandler, event({ path: '/v1/providers', query }));

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(table.queries).toHaveLength(0);
  });
});

describe('GET /v1/providers/{providerId} (public)', () => {
  it('shows a suspended provider to anyone', async () => {
    // Prepare
    seed({ ...fullProvider, status: 'suspended', statusReason: '消防检查未通过', version: 2 });

    // Act
    const response = await call(
      getHandler,
      event({ path: '/v1/providers/P-WX-0042', providerId: 'P-WX-0042' }),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ providerId: 'P-WX-0042', status: 'suspended' });
    expect(response.body).not.toHaveProperty('statusReason');
  });

  it('answers PROVIDER_NOT_FOUND', async () => {
    // Act
    const response = await call(
      getHandler,
      event({ path: '/v1/providers/P-WX-9999', providerId: 'P-WX-9999' }),
    );

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('PROVIDER_NOT_FOUND');
  });
});

const staff = (groups: string, district?: string) => ({
  sub: 'staff-1',
  'cognito:groups': groups,
  ...(district ? { 'custom:district': district } : {}),
});

const suspend = (claims?: Record<string, string>, providerId = 'P-WX-0042') =>
  event({
    method: 'POST',
    path: `/v1/providers/${providerId}/status`,
    providerId,
    body: { status: 'suspended', reason: '消防检查未通过' },
    ...(claims ? { claims } : {}),
  });

describe('POST /v1/providers/{providerId}/status', () => {
  it.each([
    ['a supervisor of its district', staff('[supervisor]', 'wuxing')],
    ['a city supervisor', staff('[supervisor]', 'city')],
    ['an admin', staff('[admin]')],
  ])('lets %s suspend the provider', async (_case, claims) => {
    // Act
    const response = await call(statusHandler, suspend(claims));

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ providerId: 'P-WX-0042', status: 'suspended' });
    expect(response.body).not.toHaveProperty('statusReason');
    expect(table.transactions).toHaveLength(1);
    expect(table.transactions[0]?.input.TransactItems?.[1]?.Put?.Item).toMatchObject({
      actor: { kind: 'person', sub: 'staff-1' },
    });
  });

  it.each([
    ['a supervisor of another district', staff('[supervisor]', 'anji'), 403, 'FORBIDDEN'],
    ['a caseworker of its district', staff('[caseworker]', 'wuxing'), 403, 'FORBIDDEN'],
    ['a caller without login', undefined, 401, 'UNAUTHENTICATED'],
  ])('refuses %s', async (_case, claims, status, code) => {
    // Act
    const response = await call(statusHandler, suspend(claims));

    // Assess
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(table.transactions).toHaveLength(0);
  });

  it('answers 404 for an unknown provider and 409 for a revoked one', async () => {
    // Prepare
    seed({ ...fullProvider, providerId: 'P-WX-0043', status: 'revoked', version: 2 });

    // Act
    const missing = await call(statusHandler, suspend(staff('[admin]'), 'P-WX-9999'));
    const revoked = await call(statusHandler, suspend(staff('[admin]'), 'P-WX-0043'));

    // Assess
    expect([missing.status, missing.body.error.code]).toEqual([404, 'PROVIDER_NOT_FOUND']);
    expect([revoked.status, revoked.body.error.code]).toEqual([409, 'PROVIDER_STATUS_FINAL']);
  });

  it('needs a reason', async () => {
    // Prepare
    const e = event({
      method: 'POST',
      path: '/v1/providers/P-WX-0042/status',
      providerId: 'P-WX-0042',
      body: { status: 'suspended', reason: '  ' },
      claims: staff('[admin]'),
    });

    // Act
    const response = await call(statusHandler, e);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual(['reason']);
  });
});
