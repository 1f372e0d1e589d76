import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient, type ErrorShape } from '../support/api-client.ts';
import { monthAgo, validClaimForm } from '../support/ids.ts';

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: cloud.parts.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);

async function casesOf(sub: string): Promise<number> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `APPLICANT#${sub}` },
      Select: 'COUNT',
    }),
  );
  return page.Count ?? 0;
}

/** The stored idempotency records of the submit route (key hash → status). */
async function idempotencyRecords(): Promise<Record<string, string>> {
  const records: Record<string, string> = {};
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY#SubmitSubsidyClaim' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) records[String(item.sk)] = String(item.status);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

function submit(token: string, body: unknown, key: string | undefined = randomUUID()) {
  return api.request<ErrorShape & { caseId: string; status: string }>(
    'POST',
    '/v1/subsidy-claims',
    {
      token,
      body,
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    },
  );
}

describe('the API front door', () => {
  let citizen: string;
  let citizenSub: string;

  beforeAll(async () => {
    citizenSub = `family-${randomUUID()}`;
    citizen = await api.token({ sub: citizenSub, roles: ['citizen'] });
  });

  describe('401 without valid credentials', () => {
    it.each([
      ['no token', undefined],
      ['a malformed token', 'not-a-jwt'],
      [
        'an unsigned token',
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`,
      ],
    ])('refuses %s', async (_, token) => {
      // Prepare / Act
      const response = await api.request<ErrorShape>('GET', '/v1/me', token ? { token } : {});

      // Assess
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a token signed by another key', async () => {
      // Prepare
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ 'cognito:groups': ['admin'] })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('intruder')
        .setIssuer('http://localhost/shanyu-local')
        .setAudience('shanyu')
        .setExpirationTime('1h')
        .sign(privateKey);

      // Act
      const response = await api.request<ErrorShape>('GET', '/v1/me', { token: forged });

      // Assess
      expect(response.status).toBe(401);
    });
  });

  it('tells the caller who they are', async () => {
    // Prepare
    const token = await api.token({ sub: 'cw-1', roles: ['caseworker'], district: 'anji' });

    // Act
    const response = await api.request('GET', '/v1/me', { token });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sub: 'cw-1', roles: ['caseworker'], district: 'anji' });
  });

  it('403 when the role does not fit the route', async () => {
    // Prepare
    const provider = await api.token({ sub: 'prov-1', roles: ['provider'], providerId: 'P-1' });

    // Act
    const response = await submit(provider, validClaimForm());

    // Assess
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });

  it('404 on a case the caller may not see, as if it did not exist; 200 for its own and its provider', async () => {
    // Prepare
    const created = await submit(citizen, validClaimForm());
    const other = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });
    const provider = await api.token({ sub: 'p', roles: ['provider'], providerId: 'P-WX-0001' });
    const otherProvider = await api.token({
      sub: 'p2',
      roles: ['provider'],
      providerId: 'P-AJ-0001',
    });
    const path = `/v1/cases/${created.body.caseId}`;

    // Act
    const [own, foreign, byProvider, byOtherProvider] = await Promise.all([
      api.request<{ form: { child: { idNumber: string } } }>('GET', path, { token: citizen }),
      api.request<ErrorShape>('GET', path, { token: other }),
      api.request('GET', path, { token: provider }),
      api.request<ErrorShape>('GET', path, { token: otherProvider }),
    ]);

    // Assess
    expect(created.status).toBe(202);
    expect(own.status).toBe(200);
    expect(own.body.form.child.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    expect(byProvider.status).toBe(200);
    expect(byOtherProvider.status).toBe(404);
  });

  it('404 in the API’s shape for unknown routes and unknown cases', async () => {
    // Prepare / Act
    const route = await api.request<ErrorShape>('GET', '/v1/no-such-thing', { token: citizen });
    const anonymous = await api.request<ErrorShape>('GET', '/nothing-here');
    const missingCase = await api.request<ErrorShape>('GET', '/v1/cases/SC-NOPE', {
      token: citizen,
    });

    // Assess
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(anonymous.status).toBe(404);
    expect(missingCase.status).toBe(404);
    expect(missingCase.body.error.code).toBe('NOT_FOUND');
  });

  it('405 with the allowed methods for a known path', async () => {
    // Prepare / Act
    const response = await api.request<ErrorShape>('DELETE', '/v1/subsidy-claims', {
      token: citizen,
    });

    // Assess
    expect(response.status).toBe(405);
    expect(response.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('400 for a body that is not JSON, and nothing is written', async () => {
    // Prepare
    const before = await casesOf(citizenSub);

    // Act
    const response = await api.request<ErrorShape>('POST', '/v1/subsidy-claims', {
      token: citizen,
      rawBody: '{"child": ',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('MALFORMED_JSON');
    expect(await casesOf(citizenSub)).toBe(before);
  });

  it('413 for a body over 256 KB', async () => {
    // Prepare
    const huge = validClaimForm({ padding: 'x'.repeat(300 * 1024) });

    // Act
    const response = await submit(citizen, huge);

    // Assess
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('415 for a body declared as something other than JSON', async () => {
    // Prepare / Act
    const response = await api.request<ErrorShape>('POST', '/v1/subsidy-claims', {
      token: citizen,
      rawBody: 'child=1',
      headers: { 'content-type': 'text/plain', 'idempotency-key': randomUUID() },
    });

    // Assess
    expect(response.status).toBe(415);
  });

  it('400 listing every bad field at once, in Chinese by default and English on request', async () => {
    // Prepare
    const bad = validClaimForm({
      child: { name: '', idNumber: '330502202503150010' },
      months: ['2026-13'],
      surprise: true,
    });

    // Act
    const zh = await submit(citizen, bad);
    const en = await api.request<ErrorShape>('POST', '/v1/subsidy-claims', {
      token: citizen,
      body: bad,
      headers: { 'idempotency-key': randomUUID(), 'accept-language': 'en-GB,en;q=0.9' },
    });

    // Assess
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('VALIDATION_FAILED');
    expect(zh.body.error.details?.map((d) => d.path).sort()).toEqual([
      'child.idNumber',
      'child.name',
      'months.0',
      'surprise',
    ]);
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(en.body.error.message).toBe('The request has invalid fields');
    expect(en.headers.get('content-language')).toBe('en');
  });

  it('400 when a creating POST has no Idempotency-Key', async () => {
    // Prepare / Act
    const response = await submit(citizen, validClaimForm(), '');

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('accepts a JSON body sent without a content type (API Gateway base64-encodes it)', async () => {
    // Prepare
    const body = JSON.stringify(validClaimForm());

    // Act
    const response = await api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
      token: citizen,
      rawBody: body,
      headers: { 'idempotency-key': randomUUID() },
    });

    // Assess
    expect(response.status).toBe(202);
    expect(response.body.caseId).toMatch(/^SC-/);
  });

  it('replays the first response for a repeated key, refuses the key with another body', async () => {
    // Prepare
    const sub = `family-${randomUUID()}`;
    const token = await api.token({ sub, roles: ['citizen'] });
    const key = randomUUID();
    const form = validClaimForm();

    // Act
    const first = await submit(token, form, key);
    const again = await submit(token, form, key);
    const recordsBefore = await idempotencyRecords();
    const reused = await submit(token, validClaimForm({ months: [monthAgo(2)] }), key);
    // The refused request must not have released the first request's stored response.
    const recordsAfter = await idempotencyRecords();
    // Another key is another submission: another child here (the same child-months would be a duplicate claim).
    const anotherKey = await submit(token, validClaimForm(), randomUUID());

    // Assess
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(reused.status).toBe(422);
    expect(recordsAfter).toEqual(recordsBefore);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(anotherKey.status).toBe(202);
    expect(anotherKey.body.caseId).not.toBe(first.body.caseId);
    expect(await casesOf(sub)).toBe(2);
  });

  it('gives one case to concurrent duplicates of one submission', async () => {
    // Prepare
    const sub = `family-${randomUUID()}`;
    const token = await api.token({ sub, roles: ['citizen'] });
    const key = randomUUID();
    const form = validClaimForm();

    // Act
    const responses = await Promise.all(Array.from({ length: 8 }, () => submit(token, form, key)));

    // Assess
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    expect(statuses).toContain(202);
    const caseIds = new Set(responses.filter((r) => r.status === 202).map((r) => r.body.caseId));
    expect(caseIds.size).toBe(1);
    expect(await casesOf(sub)).toBe(1);
  });
});
