import { afterEach, describe, expect, it, vi } from 'vitest';

describe('idKey', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is stable, case-insensitive on the check character, and never contains the number', async () => {
    // Prepare
    vi.stubEnv('ID_KEY_SECRET', 'test-secret');
    const { idKey } = await import('../../../shared/privacy/id-key.ts');

    // Act
    const key = idKey('11010519491231002x');

    // Assess
    expect(key).toBe(idKey('11010519491231002X'));
    expect(key).not.toContain('110105');
    expect(key).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });

  it('depends on the secret', async () => {
    // Prepare
    vi.stubEnv('ID_KEY_SECRET', 'one');
    const first = (await import('../../../shared/privacy/id-key.ts')).idKey('11010519491231002X');
    vi.resetModules();
    vi.stubEnv('ID_KEY_SECRET', 'two');

    // Act
    const second = (await import('../../../shared/privacy/id-key.ts')).idKey('11010519491231002X');

    // Assess
    expect(second).not.toBe(first);
  });

  it('refuses to run in Lambda without a secret', async () => {
    // Prepare
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    vi.stubEnv('ID_KEY_SECRET', undefined as unknown as string);
    const { idKey, IdKeySecretMissingError } = await import('../../../shared/privacy/id-key.ts');

    // Act / Assess
    expect(() => idKey('11010519491231002X')).toThrow(IdKeySecretMissingError);
  });
});
