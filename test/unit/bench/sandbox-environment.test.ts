import { describe, expect, it } from 'vitest';
import {
  commonEnvironment,
  plausible,
  sandboxEnvironment,
} from '../../../bench/sandbox-environment.ts';

describe('commonEnvironment', () => {
  it('keeps the variables every function has with one value', () => {
    // Prepare
    const environments: Record<string, string>[] = [
      { TABLE_NAME: 't', STAGE: 'dev', SUBSIDY_CLAIM_STATE_MACHINE_ARN: 'arn:a' },
      { TABLE_NAME: 't', STAGE: 'dev' },
      { TABLE_NAME: 't', STAGE: 'prod' },
    ];

    // Act
    const common = commonEnvironment(environments);

    // Assess
    expect(common).toEqual({ TABLE_NAME: 't' });
  });
});

describe('plausible', () => {
  it('stands in a random value for a dynamic reference and keeps the rest', () => {
    // Prepare
    const environment = {
      ID_KEY_SECRET: '{{resolve:secretsmanager:IdKeySecret:SecretString:::}}',
      TABLE_NAME: 'Shanyu-Dev-Data-Table',
    };

    // Act
    const first = plausible(environment);
    const second = plausible(environment);

    // Assess
    expect(first.TABLE_NAME).toBe('Shanyu-Dev-Data-Table');
    expect(first.ID_KEY_SECRET).toMatch(/^[\w-]{43}$/);
    expect(first.ID_KEY_SECRET).not.toBe(second.ID_KEY_SECRET);
  });
});

describe('sandboxEnvironment', () => {
  it('looks like Lambda’s, with every AWS endpoint on a closed local port', () => {
    // Act
    const env = sandboxEnvironment('GetMe1234', 512, '/var/task');

    // Assess
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'GetMe1234',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    });
    expect(env).not.toHaveProperty('NODE_OPTIONS');
  });
});
