import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalIssuer } from '../../../../infra/local/auth/index.ts';
import {
  createLocalGateway,
  devTokenRoute,
  type GatewayRoute,
  type LocalGateway,
  type LocalGatewayOptions,
  MAX_REQUEST_BODY_BYTES,
} from '../../../../infra/local/gateway/index.ts';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

interface Harness {
  url: string;
  port: number;
  calls: { functionName: string; event: Event }[];
  unauthorizedCalls: Record<string, string>[];
  logs: string[];
  gateway: LocalGateway;
}

const routes: GatewayRoute[] = [
  { method: 'GET', path: '/v1/me', functionName: 'GetMe', authorization: 'JWT' },
  { method: 'POST', path: '/v1/cases/{caseId}', functionName: 'UpdateCase', authorization: 'NONE' },
  { method: 'POST', path: '/v1/cases/latest', functionName: 'LatestCase', authorization: 'NONE' },
  { method: 'ANY', path: '/v1/echo', functionName: 'Echo', authorization: 'NONE' },
];

const VALID_TOKEN = 'valid.token.value';
const VALID_CLAIMS = {
  sub: 'user-1',
  'cognito:groups': ['caseworker', 'supervisor'],
  'custom:district': '330502',
  exp: 1_767_254_400,
};

const started: LocalGateway[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.close()));
});

async function startGateway(
  lambda: (functionName: string, event: Event) => unknown = () => ({ statusCode: 204 }),
  overrides: Partial<LocalGatewayOptions> = {},
): Promise<Harness> {
  const calls: Harness['calls'] = [];
  const unauthorizedCalls: Record<string, string>[] = [];
  const logs: string[] = [];
  const gateway = createLocalGateway({
    routes,
    invokeLambda: async (functionName, event) => {
      calls.push({ functionName, event: event as Event });
      return lambda(functionName, event as Event);
    },
    issuer: {
      verifyToken: async (token) => {
        if (token !== VALID_TOKEN) throw new Error('bad token');
        return VALID_CLAIMS;
      },
    },
    unauthorized: (headers) => {
      unauthorizedCalls.push(headers);
      return {
        statusCode: 401,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"code":"Unauthorized"}}',
      };
    },
    log: (line) => logs.push(line),
    ...overrides,
  });
  started.push(gateway);
  const { url, port } = await gateway.listen(0);
  return { url, port, calls, unauthorizedCalls, logs, gateway };
}

function send(
  harness: Pick<Harness, 'port'>,
  method: string,
  path: string,
  options: { headers?: OutgoingHttpHeaders; body?: string | Buffer; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: harness.port,
        method,
        path,
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            text: body.toString('utf8'),
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

function onlyEvent(harness: Harness): Event {
  expect(harness.calls).toHaveLength(1);
  const [call] = harness.calls;
  if (call === undefined) throw new Error('the Lambda was not invoked');
  return call.event;
}

describe('createLocalGateway: routing', () => {
  it('prefers an exact path over a parameterised one', async () => {
    // Prepare
    const harness = await startGateway();

    // Act
    await send(harness, 'POST', '/v1/cases/latest');
    await send(harness, 'POST', '/v1/cases/case-7');

    // Assess
    expect(harness.calls.map(({ functionName, event }) => [functionName, event.routeKey])).toEqual([
      ['LatestCase', 'POST /v1/cases/latest'],
      ['UpdateCase', 'POST /v1/cases/{caseId}'],
    ]);
  });

  it('sends unmatched requests to the $default route', async () => {
    // Prepare
    const harness = await startGateway(undefined, {
      defaultRoute: { functionName: 'RouteNotFound', authorization: 'NONE' },
    });

    // Act
    const reply = await send(harness, 'DELETE', '/v1/cases/case-7');

    // Assess
    expect(reply.status).toBe(204);
    const event = onlyEvent(harness);
    expect(harness.calls[0]?.functionName).toBe('RouteNotFound');
    expect(event.routeKey).toBe('$default');
    expect(event.requestContext.routeKey).toBe('$default');
    expect(event.pathParameters).toBeUndefined();
  });

  it('answers 404 like API Gateway when nothing matches and there is no $default route', async () => {
    // Prepare
    const harness = await startGateway();

    // Act
    const reply = await send(harness, 'GET', '/v1/nowhere');

    // Assess
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.text)).toEqual({ message: 'Not Found' });
    expect(reply.headers['apigw-requestid']).toEqual(expect.any(String));
    expect(harness.calls).toHaveLength(0);
  });

  it('serves local routes itself, before any Lambda route', async () => {
    // Prepare
    const seen: { body: string; query: string; header: string | undefined }[] = [];
    const harness = await startGateway(undefined, {
      defaultRoute: { functionName: 'RouteNotFound', authorization: 'NONE' },
      localRoutes: {
        'GET /health': async () => ({ statusCode: 200, body: { status: 'ok' } }),
        'POST /v1/cases/latest': async (req) => {
          seen.push({
            body: req.body,
            query: req.query.toString(),
            header: req.headers['x-trace'],
          });
          return { statusCode: 202, headers: { 'x-local': 'yes' } };
        },
      },
    });

    // Act
    const health = await send(harness, 'GET', '/health');
    const shadowed = await send(harness, 'POST', '/v1/cases/latest?a=1', {
      headers: { 'X-Trace': 't-1', 'content-type': 'text/plain' },
      body: 'hello',
    });

    // Assess
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toBe('application/json');
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    expect(shadowed.status).toBe(202);
    expect(shadowed.headers['x-local']).toBe('yes');
    expect(shadowed.headers['apigw-requestid']).toEqual(expect.any(String));
    expect(seen).toEqual([{ body: 'hello', query: 'a=1', header: 't-1' }]);
    expect(harness.calls).toHaveLength(0);
  });

  it('routes HEAD and OPTIONS like any other method', async () => {
    // Prepare
    const harness = await startGateway(() => ({ statusCode: 200, body: 'ignored for HEAD' }));

    // Act
    const head = await send(harness, 'HEAD', '/v1/echo');
    const options = await send(harness, 'OPTIONS', '/v1/echo');

    // Assess
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(options.status).toBe(200);
    expect(harness.calls.map(({ event }) => event.requestContext.http.method)).toEqual([
      'HEAD',
      'OPTIONS',
    ]);
  });
});

describe('createLocalGateway: the payload format 2.0 event', () => {
  it('carries the request as API Gateway does', async () => {
    // Prepare
    const harness = await startGateway();
    const body = JSON.stringify({ amount: 1200 });

    // Act
    const reply = await send(
      harness,
      'POST',
      '/v1/cases/case%207?x=1&x=2&name=%E6%B9%96%E5%B7%9E',
      {
        headers: {
          'Content-Type': 'application/json',
          'X-Multi': ['a', 'b'],
          Cookie: 'session=abc; theme=dark',
          'User-Agent': 'vitest-agent',
        },
        body,
      },
    );

    // Assess
    const event = onlyEvent(harness);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/cases/{caseId}',
      rawPath: '/v1/cases/case%207',
      rawQueryString: 'x=1&x=2&name=%E6%B9%96%E5%B7%9E',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { x: '1,2', name: '湖州' },
      pathParameters: { caseId: 'case 7' },
      body,
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'x-multi': 'a,b',
      'user-agent': 'vitest-agent',
      host: `127.0.0.1:${harness.port}`,
      'x-forwarded-for': '127.0.0.1',
    });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      domainName: `127.0.0.1:${harness.port}`,
      domainPrefix: '127',
      http: {
        method: 'POST',
        path: '/v1/cases/case%207',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest-agent',
      },
      requestId: reply.headers['apigw-requestid'],
      routeKey: 'POST /v1/cases/{caseId}',
      stage: '$default',
    });
    expect(event.requestContext.time).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('omits body, cookies, query and path parameters when there are none', async () => {
    // Prepare
    const harness = await startGateway();

    // Act
    await send(harness, 'GET', '/v1/echo');

    // Assess
    const event = onlyEvent(harness);
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    for (const absent of ['body', 'cookies', 'queryStringParameters', 'pathParameters']) {
      expect(event).not.toHaveProperty(absent);
    }
  });

  it('base64-encodes bodies that are not text', async () => {
    // Prepare
    const harness = await startGateway();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

    // Act
    await send(harness, 'PUT', '/v1/echo', { headers: { 'content-type': 'image/png' }, body: png });

    // Assess
    const event = onlyEvent(harness);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(png)).toBe(true);
  });

  it('gives a different request id to every request', async () => {
    // Prepare
    const harness = await startGateway();

    // Act
    const replies = await Promise.all([1, 2, 3].map(() => send(harness, 'GET', '/v1/echo')));

    // Assess
    const ids = harness.calls.map(({ event }) => event.requestContext.requestId);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(replies.map((reply) => reply.headers['apigw-requestid']))).toEqual(new Set(ids));
  });
});

describe('createLocalGateway: JWT routes', () => {
  it('passes the verified claims flattened to strings, with or without the Bearer prefix', async () => {
    // Prepare
    const harness = await startGateway();

    // Act
    const withPrefix = await send(harness, 'GET', '/v1/me', {
      headers: { authorization: `Bearer ${VALID_TOKEN}` },
    });
    const bare = await send(harness, 'GET', '/v1/me', { headers: { authorization: VALID_TOKEN } });

    // Assess
    expect([withPrefix.status, bare.status]).toEqual([204, 204]);
    expect(harness.calls).toHaveLength(2);
    for (const { event } of harness.calls) {
      expect(event.requestContext.authorizer).toEqual({
        jwt: {
          claims: {
            sub: 'user-1',
            'cognito:groups': '[caseworker supervisor]',
            'custom:district': '330502',
            exp: '1767254400',
          },
          scopes: null,
        },
      });
    }
  });

  it.each([
    ['no Authorization header', undefined],
    ['an invalid token', 'Bearer forged.token.value'],
    ['an empty Bearer', 'Bearer '],
  ])(
    'answers 401 through unauthorized() for %s, without invoking the Lambda',
    async (_case, header) => {
      // Prepare
      const harness = await startGateway();

      // Act
      const reply = await send(harness, 'GET', '/v1/me', {
        headers: {
          'X-Request-Tag': 'tag-1',
          ...(header === undefined ? {} : { Authorization: header }),
        },
      });

      // Assess
      expect(reply.status).toBe(401);
      expect(reply.text).toBe('{"error":{"code":"Unauthorized"}}');
      expect(reply.headers['apigw-requestid']).toEqual(expect.any(String));
      expect(harness.calls).toHaveLength(0);
      expect(harness.unauthorizedCalls).toHaveLength(1);
      expect(harness.unauthorizedCalls[0]?.['x-request-tag']).toBe('tag-1');
    },
  );

  it('accepts a token from devTokenRoute end to end with the real issuer', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'shanyu-gateway-'));
    const issuer = await createLocalIssuer({ dataDir });
    const harness = await startGateway(undefined, {
      issuer,
      localRoutes: { 'POST /dev/token': devTokenRoute(issuer) },
    });

    // Act
    const tokenReply = await send(harness, 'POST', '/dev/token', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'provider-user', roles: ['provider'], providerId: 'p-42' }),
    });
    const { token } = JSON.parse(tokenReply.text) as { token: string };
    const reply = await send(harness, 'GET', '/v1/me', {
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(tokenReply.status).toBe(200);
    expect(reply.status).toBe(204);
    expect(onlyEvent(harness).requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'provider-user',
      'cognito:groups': '[provider]',
      'custom:providerId': 'p-42',
      token_use: 'id',
      aud: 'shanyu',
    });
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('createLocalGateway: responses', () => {
  it('maps a structured result: status, headers, cookies and a base64 body', async () => {
    // Prepare
    const harness = await startGateway(() => ({
      statusCode: 201,
      headers: { 'Content-Type': 'text/csv', 'X-Version': 7 },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from('id,name\n1,湖州\n').toString('base64'),
      isBase64Encoded: true,
    }));

    // Act
    const reply = await send(harness, 'GET', '/v1/echo');

    // Assess
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toBe('text/csv');
    expect(reply.headers['x-version']).toBe('7');
    expect(reply.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(reply.text).toBe('id,name\n1,湖州\n');
    expect(reply.headers['apigw-requestid']).toEqual(expect.any(String));
  });

  it('returns any other result as 200 JSON', async () => {
    // Prepare
    const harness = await startGateway(() => ({ caseId: 'case-7', status: 'open' }));

    // Act
    const reply = await send(harness, 'GET', '/v1/echo');

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.text)).toEqual({ caseId: 'case-7', status: 'open' });
  });

  it('answers 500 like API Gateway when the Lambda throws or returns a malformed response', async () => {
    // Prepare
    const harness = await startGateway((functionName) => {
      if (functionName === 'Echo') throw new Error('boom');
      return { statusCode: 'two hundred' };
    });

    // Act
    const thrown = await send(harness, 'GET', '/v1/echo');
    const malformed = await send(harness, 'POST', '/v1/cases/case-7');

    // Assess
    for (const reply of [thrown, malformed]) {
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.text)).toEqual({ message: 'Internal Server Error' });
      expect(reply.headers['apigw-requestid']).toEqual(expect.any(String));
    }
    expect(harness.logs.some((line) => line.includes('boom'))).toBe(true);
  });
});

describe('createLocalGateway: connection handling', () => {
  it('refuses a body declared above 10 MB without waiting for it', async () => {
    // Prepare
    const harness = await startGateway();

    // Act
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request({
        host: '127.0.0.1',
        port: harness.port,
        method: 'POST',
        path: '/v1/echo',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': MAX_REQUEST_BODY_BYTES + 1,
        },
      });
      outgoing.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      outgoing.on('error', reject);
      outgoing.write('{"start":'); // the rest never comes
    });

    // Assess
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toEqual({ message: 'Request Entity Too Large' });
    expect(harness.calls).toHaveLength(0);
  });

  it('stops reading a streamed body once it passes 10 MB', async () => {
    // Prepare
    const harness = await startGateway();
    const chunk = Buffer.alloc(1024 * 1024, 0x61);

    // Act
    const status = await new Promise<number>((resolve) => {
      const outgoing = request({
        host: '127.0.0.1',
        port: harness.port,
        method: 'POST',
        path: '/v1/echo',
        agent: false,
        headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      });
      outgoing.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', () => undefined); // the gateway hangs up on the rest of the upload
      for (let written = 0; written <= 12; written += 1) outgoing.write(chunk);
    });

    // Assess
    expect(status).toBe(413);
    expect(harness.calls).toHaveLength(0);
  });

  it('keeps connections alive', async () => {
    // Prepare
    const harness = await startGateway();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));

    // Act
    const first = await send(harness, 'GET', '/v1/echo', { agent });
    const second = await send(harness, 'GET', '/v1/echo', { agent });

    // Assess
    expect(first.headers.connection).toBe('keep-alive');
    expect(second.status).toBe(204);
    expect(sockets.size).toBe(1);
    agent.destroy();
  });

  it('closes promptly while a request is still in flight', async () => {
    // Prepare
    const harness = await startGateway(() => new Promise(() => undefined));
    const inFlight = send(harness, 'GET', '/v1/echo').catch((error: Error) => error);
    await expect.poll(() => harness.calls.length).toBe(1);

    // Act
    const outcome = await Promise.race([
      harness.gateway.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 2000)),
    ]);

    // Assess
    expect(outcome).toBe('closed');
    expect(await inFlight).toBeInstanceOf(Error);
  });
});
