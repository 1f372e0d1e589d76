import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, importJWK, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLocalIssuer,
  InvalidTokenError,
  SIGNING_KEY_FILE,
  SigningKeyFileError,
} from '../../../../infra/local/auth/index.ts';

const encodeJson = (value: unknown): string => base64url.encode(JSON.stringify(value));

describe('createLocalIssuer', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shanyu-issuer-'));
  });

  afterEach(async () => {
    vi.useRealTimers();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('issues a Cognito-shaped ID token that verifies', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });

    // Act
    const token = await issuer.issueToken({
      sub: 'user-1',
      roles: ['caseworker', 'supervisor'],
      district: '330502',
      providerId: 'provider-9',
    });
    const claims = await issuer.verifyToken(token);

    // Assess
    expect(claims).toMatchObject({
      sub: 'user-1',
      'cognito:groups': ['caseworker', 'supervisor'],
      'custom:district': '330502',
      'custom:providerId': 'provider-9',
      iss: 'http://localhost/shanyu-local',
      aud: 'shanyu',
      token_use: 'id',
    });
    expect(typeof claims.jti).toBe('string');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(issuer.issuer).toBe('http://localhost/shanyu-local');
    expect(issuer.audience).toBe('shanyu');
  });

  it('omits the optional scope claims when not given and honours expiresInSeconds', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });

    // Act
    const claims = await issuer.verifyToken(
      await issuer.issueToken({ sub: 'citizen-1', roles: ['citizen'], expiresInSeconds: 60 }),
    );

    // Assess
    expect(claims).not.toHaveProperty('custom:district');
    expect(claims).not.toHaveProperty('custom:providerId');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(60);
  });

  it('refuses to issue a token for an unknown role', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });

    // Act
    const issuing = issuer.issueToken({ sub: 'user-1', roles: ['root' as never] });

    // Assess
    await expect(issuing).rejects.toThrow();
  });

  it('accepts a token up to 5 s past its expiry and rejects it after', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
    const issuer = await createLocalIssuer({ dataDir });
    const token = await issuer.issueToken({
      sub: 'user-1',
      roles: ['citizen'],
      expiresInSeconds: 60,
    });

    // Act
    vi.setSystemTime(new Date('2026-03-01T08:01:04Z'));
    const withinTolerance = await issuer.verifyToken(token);
    vi.setSystemTime(new Date('2026-03-01T08:01:06Z'));
    const expired = issuer.verifyToken(token);

    // Assess
    expect(withinTolerance.sub).toBe('user-1');
    await expect(expired).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects a token for another audience or from another issuer, even with the same key', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });
    const otherAudience = await createLocalIssuer({ dataDir, audience: 'someone-else' });
    const otherIssuer = await createLocalIssuer({ dataDir, issuer: 'http://localhost/elsewhere' });
    const input = { sub: 'user-1', roles: ['citizen' as const] };
    const forOtherAudience = await otherAudience.issueToken(input);
    const fromOtherIssuer = await otherIssuer.issueToken(input);

    // Act
    const results = await Promise.allSettled([
      issuer.verifyToken(forOtherAudience),
      issuer.verifyToken(fromOtherIssuer),
      otherAudience.verifyToken(forOtherAudience),
    ]);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    for (const result of results.slice(0, 2)) {
      expect(result.status === 'rejected' && result.reason).toBeInstanceOf(InvalidTokenError);
    }
  });

  it('rejects a token signed by another key', async () => {
    // Prepare
    const otherDir = await mkdtemp(join(tmpdir(), 'shanyu-issuer-other-'));
    const issuer = await createLocalIssuer({ dataDir });
    const stranger = await createLocalIssuer({ dataDir: otherDir });
    const token = await stranger.issueToken({ sub: 'user-1', roles: ['admin'] });

    // Act
    const verifying = issuer.verifyToken(token);

    // Assess
    await expect(verifying).rejects.toBeInstanceOf(InvalidTokenError);
    await rm(otherDir, { recursive: true, force: true });
  });

  it('rejects an unsigned (alg: none) token', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });
    const genuine = await issuer.verifyToken(
      await issuer.issueToken({ sub: 'user-1', roles: ['admin'] }),
    );
    const unsigned = `${encodeJson({ alg: 'none', typ: 'JWT' })}.${encodeJson(genuine)}.`;

    // Act
    const verifying = issuer.verifyToken(unsigned);

    // Assess
    await expect(verifying).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects a token using another algorithm', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });
    const token = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-sufficient-length'));

    // Act
    const verifying = issuer.verifyToken(token);

    // Assess
    await expect(verifying).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects a token without a subject, even when signed with our key', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });
    const stored = JSON.parse(await readFile(join(dataDir, 'auth', SIGNING_KEY_FILE), 'utf8'));
    const token = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: stored.kid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importJWK(stored, 'ES256'));

    // Act
    const verifying = issuer.verifyToken(token);

    // Assess
    await expect(verifying).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects a token issued in the future, as the API Gateway JWT authorizer does', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });
    const stored = JSON.parse(await readFile(join(dataDir, 'auth', SIGNING_KEY_FILE), 'utf8'));
    const now = Math.floor(Date.now() / 1000);
    const key = await importJWK(stored, 'ES256');
    const token = (issuedAt: number) =>
      new SignJWT({ 'cognito:groups': ['admin'] })
        .setProtectedHeader({ alg: 'ES256', kid: stored.kid })
        .setSubject('admin-1')
        .setIssuer(issuer.issuer)
        .setAudience(issuer.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(now + 7200)
        .sign(key);

    const future = await token(now + 3600);
    const withinTolerance = await token(now + 2);

    // Act / Assess
    await expect(issuer.verifyToken(future)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(issuer.verifyToken(withinTolerance)).resolves.toMatchObject({ sub: 'admin-1' });
  });

  it('rejects garbage', async () => {
    // Prepare
    const issuer = await createLocalIssuer({ dataDir });

    // Act
    const results = await Promise.allSettled(
      ['', 'not-a-jwt', 'a.b.c', `${encodeJson({ alg: 'ES256' })}.e30.AAAA`].map((token) =>
        issuer.verifyToken(token),
      ),
    );

    // Assess
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(result.status === 'rejected' && result.reason).toBeInstanceOf(InvalidTokenError);
    }
  });

  it('persists its key with mode 0600 so tokens survive a restart', async () => {
    // Prepare
    const first = await createLocalIssuer({ dataDir });
    const token = await first.issueToken({ sub: 'user-1', roles: ['provider'], providerId: 'p-1' });

    // Act
    const second = await createLocalIssuer({ dataDir });
    const claims = await second.verifyToken(token);

    // Assess
    expect(claims['custom:providerId']).toBe('p-1');
    const { mode } = await stat(join(dataDir, 'auth', SIGNING_KEY_FILE));
    expect(mode & 0o777).toBe(0o600);
  });

  it('agrees on one key when two issuers start on a fresh data directory at once', async () => {
    // Prepare
    const input = { sub: 'user-1', roles: ['citizen' as const] };

    // Act
    const [first, second] = await Promise.all([
      createLocalIssuer({ dataDir }),
      createLocalIssuer({ dataDir }),
    ]);

    // Assess
    await expect(second.verifyToken(await first.issueToken(input))).resolves.toHaveProperty('sub');
    await expect(first.verifyToken(await second.issueToken(input))).resolves.toHaveProperty('sub');
  });

  it('refuses a corrupt key file instead of replacing it', async () => {
    // Prepare
    await createLocalIssuer({ dataDir });
    const path = join(dataDir, 'auth', SIGNING_KEY_FILE);
    await writeFile(path, '{"kty":"EC"}');

    // Act
    const starting = createLocalIssuer({ dataDir });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(SigningKeyFileError);
    expect(await readFile(path, 'utf8')).toBe('{"kty":"EC"}');
  });
});
