import { afterEach, describe, expect, it, vi } from 'vitest';
import { capacityTraceMiddlewareName } from '../../../shared/db/consumed-capacity.ts';

/** The process's client as a fresh import sees the environment. */
async function freshClient() {
  vi.resetModules();
  return import('../../../shared/db/client.ts');
}

const traced = (stack: { identify(): string[] }) =>
  stack.identify().some((entry) => entry.includes(capacityTraceMiddlewareName));

describe('the process DynamoDB client', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is left as production has it when SHANYU_CAPACITY_TRACE is not set', async () => {
    // Prepare
    vi.stubEnv('SHANYU_CAPACITY_TRACE', undefined);

    // Act
    const { documentClient, dynamoDbClient } = await freshClient();

    // Assess
    expect(traced(dynamoDbClient.middlewareStack)).toBe(false);
    expect(traced(documentClient.middlewareStack)).toBe(false);
  });

  it('traces consumed capacity when the benchmark’s cloud sets SHANYU_CAPACITY_TRACE=1', async () => {
    // Prepare
    vi.stubEnv('SHANYU_CAPACITY_TRACE', '1');

    // Act
    const { documentClient } = await freshClient();

    // Assess
    expect(traced(documentClient.middlewareStack)).toBe(true);
  });
});
