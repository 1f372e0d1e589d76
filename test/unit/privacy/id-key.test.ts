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

  it('reads the deployed key from Secrets Manager once, at start, by the ARN in the environment', async () => {
    // Prepare
    const secretArn = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:IdKey-AbCdEf';
    const requested: unknown[] = [];
    vi.doMock('@aws-sdk/client-secrets-manager', () => ({
      GetSecretValueCommand: class {
        constructor(readonly input: unknown) {}
      },
      SecretsManagerClient: class {
        async send(command: { input: unknown }) {
          requested.push(command.input);
          return { SecretString: 'from-secrets-manager' };
        }
      },
    }));
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    vi.stubEnv('ID_KEY_SECRET_ARN', secretArn);
    const deployed = await import('../../../shared/privacy/id-key.ts');
    vi.resetModules();
    vi.doUnmock('@aws-sdk/client-secrets-manager');
    vi.stubEnv('ID_KEY_SECRET_ARN', undefined as unknown as string);
    vi.stubEnv('ID_KEY_SECRET', 'from-secrets-manager');
    const expected = (await import('../../../shared/privacy/id-key.ts')).idKey(
      '11010519491231002X',
    );

    // Act
    const first = deployed.idKey('11010519491231002X');
    const second = deployed.idKey('11010519491231002X');

    // Assess
    expect(first).toBe(expected);
    expect(second).toBe(first);
    expect(requested).toEqual([{ SecretId: secretArn }]);
  });

  it('treats an empty secret as missing', async () => {
    // Prepare
    const { readIdKeySecret, IdKeySecretMissingError } = await import(
      '../../../shared/privacy/id-key.ts'
    );

    // Act
    const reading = readIdKeySecret('arn:aws:secretsmanager:x:1:secret:IdKey', async () => '');

    // Assess
    await expect(reading).rejects.toBeInstanceOf(IdKeySecretMissingError);
  });
});
