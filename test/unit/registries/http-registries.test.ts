import { describe, expect, it } from 'vitest';
import {
  HttpRegistries,
  type HttpRegistriesOptions,
  httpRegistriesOptionsFromEnvironment,
} from '../../../shared/registries/http-registries.ts';
import { RegistryUnavailableError } from '../../../shared/registries/registries.ts';
import { withIdCheckDigit, withUsccCheck } from '../validation/check-characters.ts';

const childId = withIdCheckDigit('33050220240315012');
const uscc = withUsccCheck('91330502MA2B3C4D5');
const resident = {
  idNumber: childId,
  name: '沈小禾',
  birthDate: '2024-03-15',
  hukouDistrict: 'wuxing',
};

type Step = Response | Error | 'hang' | 'hang-until-aborted';

/** A fetch that plays `steps` in order, one per request, and records every request. */
function scriptedFetch(steps: Step[]) {
  const requests: { url: string; headers: Headers; signal: AbortSignal | undefined }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({
      url: String(input),
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    });
    const step = steps[requests.length - 1];
    if (step === undefined) throw new Error('more requests than scripted');
    if (step === 'hang') return new Promise<Response>(() => {});
    if (step === 'hang-until-aborted') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    if (step instanceof Error) throw step;
    return step;
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

function registries(steps: Step[], options: Partial<HttpRegistriesOptions> = {}) {
  const scripted = scriptedFetch(steps);
  const sleeps: number[] = [];
  const warnings: Record<string, unknown>[] = [];
  const instance = new HttpRegistries({
    baseUrl: 'https://data.example.test/api/',
    apiKey: 'key-123',
    fetch: scripted.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    log: { warn: (_message, attributes) => warnings.push(attributes) },
    ...options,
  });
  return { instance, requests: scripted.requests, sleeps, warnings };
}

async function failureOf(promise: Promise<unknown>): Promise<RegistryUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RegistryUnavailableError);
  return error as RegistryUnavailableError;
}

describe('HttpRegistries', () => {
  it('finds a resident with the API key header and the ID number in the path', async () => {
    // Prepare
    const { instance, requests } = registries([json(200, { ...resident, extra: 'ignored' })]);

    // Act
    const found = await instance.findResident(` ${childId.toLowerCase()} `);

    // Assess
    expect(found).toEqual(resident);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe(`https://data.example.test/api/household/residents/${childId}`);
    expect(requests[0]?.headers.get('x-api-key')).toBe('key-123');
    expect(requests[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('finds a hardship record and an enterprise at their paths', async () => {
    // Prepare
    const { instance, requests } = registries([
      json(200, { category: 'dibao', validUntil: '2027-06-30' }),
      json(200, { uscc, name: '禾苗托育', status: 'active' }),
    ]);

    // Act
    const hardship = await instance.findHardship(childId);
    const enterprise = await instance.findEnterprise(uscc);

    // Assess
    expect(hardship).toEqual({ category: 'dibao', validUntil: '2027-06-30' });
    expect(enterprise).toEqual({ uscc, name: '禾苗托育', status: 'active' });
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      `/api/civil-affairs/hardship/${childId}`,
      `/api/market/enterprises/${uscc}`,
    ]);
  });

  it.each([
    ['findResident', childId],
    ['findHardship', childId],
    ['findEnterprise', uscc],
  ] as const)('%s answers undefined for 404, without retrying', async (method, code) => {
    // Prepare
    const { instance, requests } = registries([json(404, { message: 'not found' })]);

    // Act
    const found = await instance[method](code);

    // Assess
    expect(found).toBeUndefined();
    expect(requests).toHaveLength(1);
  });

  it('retries 5xx, 429 and network errors with growing, jittered delays, then answers', async () => {
    // Prepare
    const { instance, requests, sleeps, warnings } = registries(
      [json(503, {}), new TypeError('fetch failed'), json(200, resident)],
      { attempts: 3, backoffBaseMs: 100, random: () => 0.5 },
    );

    // Act
    const found = await instance.findResident(childId);

    // Assess
    expect(found).toEqual(resident);
    expect(requests).toHaveLength(3);
    // Full jitter at 0.5 of the ceilings 100·2⁰ and 100·2¹.
    expect(sleeps).toEqual([50, 100]);
    expect(warnings.map((w) => w.reason)).toEqual(['server-error', 'unreachable']);
  });

  it('keeps every delay under its exponential ceiling and the cap', async () => {
    // Prepare
    const { instance, sleeps } = registries(
      [json(500, {}), json(502, {}), json(504, {}), json(500, {})],
      {
        attempts: 4,
        backoffBaseMs: 300,
        maxBackoffMs: 1000,
        random: () => 0.999,
      },
    );

    // Act
    await failureOf(instance.findResident(childId));

    // Assess
    expect(sleeps).toEqual([299, 599, 999]);
  });

  it('waits at least as long as Retry-After asks (capped) after a 429', async () => {
    // Prepare
    const { instance, sleeps } = registries(
      [json(429, {}, { 'retry-after': '1' }), json(200, resident)],
      { backoffBaseMs: 100, maxBackoffMs: 5000 },
    );

    // Act
    await instance.findResident(childId);

    // Assess
    expect(sleeps).toEqual([1000]);
  });

  it('gives up after 3 attempts with RegistryUnavailableError, never naming the ID number', async () => {
    // Prepare
    const { instance, requests } = registries([json(503, {}), json(500, {}), json(503, {})]);

    // Act
    const error = await failureOf(instance.findResident(childId));

    // Assess
    expect(requests).toHaveLength(3);
    expect(error.name).toBe('RegistryUnavailableError');
    expect(error).toMatchObject({
      registry: 'household',
      reason: 'server-error',
      attempts: 3,
      status: 503,
    });
    expect(error.message).not.toContain(childId);
    expect(error.message).not.toContain(childId.slice(6, 14));
  });

  it('times out an attempt whose fetch honours the abort signal', async () => {
    // Prepare
    const { instance, requests } = registries(
      ['hang-until-aborted', 'hang-until-aborted', 'hang-until-aborted'],
      { timeoutMs: 20 },
    );

    // Act
    const error = await failureOf(instance.findHardship(childId));

    // Assess
    expect(requests).toHaveLength(3);
    expect(error).toMatchObject({ registry: 'civil-affairs', reason: 'timeout', attempts: 3 });
  });

  it('times out an attempt even if fetch ignores the signal, and retries it', async () => {
    // Prepare
    const started = Date.now();
    const { instance, requests } = registries(['hang', json(200, resident)], { timeoutMs: 20 });

    // Act
    const found = await instance.findResident(childId);

    // Assess
    expect(found).toEqual(resident);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['a missing field', { name: '沈小禾', birthDate: '2024-03-15', hukouDistrict: 'wuxing' }],
    ['an unknown district', { ...resident, hukouDistrict: 'hangzhou' }],
    ['an impossible date', { ...resident, birthDate: '2024-02-30' }],
    ['someone else', { ...resident, idNumber: withIdCheckDigit('33050220240315024') }],
  ])('rejects a response with %s at once, as invalid-response', async (_case, body) => {
    // Prepare
    const { instance, requests } = registries([json(200, body)]);

    // Act
    const error = await failureOf(instance.findResident(childId));

    // Assess
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ reason: 'invalid-response', attempts: 1 });
    expect(String((error.cause as Error).message)).not.toContain(childId);
  });

  it('rejects a body that is not JSON as invalid-response', async () => {
    // Prepare
    const { instance } = registries([new Response('<html>gateway</html>', { status: 200 })]);

    // Act
    const error = await failureOf(instance.findEnterprise(uscc));

    // Assess
    expect(error).toMatchObject({ registry: 'market', reason: 'invalid-response' });
  });

  it('does not retry a 401: another attempt would be refused the same way', async () => {
    // Prepare
    const { instance, requests } = registries([json(401, { message: 'bad key' })]);

    // Act
    const error = await failureOf(instance.findResident(childId));

    // Assess
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ reason: 'rejected', status: 401, attempts: 1 });
  });
});

describe('httpRegistriesOptionsFromEnvironment', () => {
  it('reads the base URL, the key and the timeout, defaulting the timeout to 3000 ms', () => {
    // Prepare
    const env = { REGISTRY_BASE_URL: 'https://data.example.test', REGISTRY_API_KEY: 'k' };

    // Act
    const defaulted = httpRegistriesOptionsFromEnvironment(env);
    const explicit = httpRegistriesOptionsFromEnvironment({ ...env, REGISTRY_TIMEOUT_MS: '1500' });

    // Assess
    expect(defaulted).toEqual({
      baseUrl: 'https://data.example.test',
      apiKey: 'k',
      timeoutMs: 3000,
    });
    expect(explicit.timeoutMs).toBe(1500);
  });

  it.each([
    [{ REGISTRY_API_KEY: 'k' }, /REGISTRY_BASE_URL/],
    [{ REGISTRY_BASE_URL: 'https://x.test' }, /REGISTRY_API_KEY/],
    [
      { REGISTRY_BASE_URL: 'https://x.test', REGISTRY_API_KEY: 'k', REGISTRY_TIMEOUT_MS: 'soon' },
      /TIMEOUT/,
    ],
  ])('refuses incomplete or bad settings %#', (env, message) => {
    // Prepare
    let thrown: unknown;

    // Act
    try {
      httpRegistriesOptionsFromEnvironment(env);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(message);
  });
});
