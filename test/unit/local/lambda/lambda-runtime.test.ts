import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalFunction } from '../../../../infra/local/cloud-assembly.ts';
import { LambdaRuntime } from '../../../../infra/local/lambda/lambda-runtime.ts';

// A bundle as esbuild would emit it: an ESM module exporting `handler`.
const handlerSource = `
import { threadId } from 'node:worker_threads';
let invocations = 0;
const initOffset = process.env.SHANYU_CLOCK_OFFSET_MS;
export const handler = async (event, context) => {
  invocations += 1;
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  if (event.fail) throw Object.assign(new Error('no such case'), { name: 'CaseNotFoundError' });
  return { table: process.env.TABLE_NAME, fn: process.env.AWS_LAMBDA_FUNCTION_NAME, base: process.env.BASE,
    threadId, invocations, remaining: context.getRemainingTimeInMillis(),
    offset: process.env.SHANYU_CLOCK_OFFSET_MS, initOffset };
};
`;

function fn(
  dir: string,
  name: string,
  environment: Record<string, string>,
  timeoutSeconds = 3,
): LocalFunction {
  return {
    logicalId: name,
    functionName: name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    assetDir: dir,
    handler: 'index.handler',
    environment,
    timeoutSeconds,
    memorySize: 128,
  };
}

interface Reply {
  table: string;
  fn: string;
  base: string;
  threadId: number;
  invocations: number;
  remaining: number;
  offset?: string;
  initOffset?: string;
}

describe('LambdaRuntime', () => {
  let dir = '';
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lambda-runtime-'));
    await writeFile(join(dir, 'index.mjs'), handlerSource);
    runtime = new LambdaRuntime({
      functions: [
        fn(dir, 'One', { TABLE_NAME: 'table-one' }),
        fn(dir, 'Two', { TABLE_NAME: 'table-two' }, 1),
      ],
      baseEnvironment: { BASE: 'shared' },
    });
  });

  afterAll(async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives each function its own environment, by name or ARN', async () => {
    // Prepare / Act
    const one = (await runtime.invoke('One', {})) as Reply;
    const two = (await runtime.invoke(
      'arn:aws:lambda:us-east-1:000000000000:function:Two:live',
      {},
    )) as Reply;

    // Assess
    expect(one).toMatchObject({ table: 'table-one', fn: 'One', base: 'shared' });
    expect(two).toMatchObject({ table: 'table-two', fn: 'Two', base: 'shared' });
    expect(one.remaining).toBeGreaterThan(2000);
    // No clock given: the sandbox's environment is left as it is.
    expect(one.offset).toBeUndefined();
  });

  it('serves concurrent invocations from separate sandboxes, one at a time each', async () => {
    // Prepare / Act
    const replies = (await Promise.all([
      runtime.invoke('One', { sleepMs: 200 }),
      runtime.invoke('One', { sleepMs: 200 }),
    ])) as Reply[];

    // Assess
    expect(new Set(replies.map((r) => r.threadId)).size).toBe(2);
  });

  it('rejects with the function’s error type', async () => {
    // Prepare / Act
    const failing = runtime.invoke('One', { fail: true });

    // Assess
    await expect(failing).rejects.toMatchObject({
      name: 'CaseNotFoundError',
      message: 'no such case',
    });
  });

  it('times out, discards the sandbox and starts a fresh one for the next call', async () => {
    // Prepare
    const before = (await runtime.invoke('Two', {})) as Reply;

    // Act
    const slow = runtime.invoke('Two', { sleepMs: 3000 });
    await expect(slow).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    const after = (await runtime.invoke('Two', {})) as Reply;

    // Assess
    expect(after.threadId).not.toBe(before.threadId);
    expect(after.invocations).toBe(1);
  });

  it('refuses an unknown function', async () => {
    // Prepare / Act / Assess
    await expect(runtime.invoke('Nope', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('LambdaRuntime with a movable clock', () => {
  let dir = '';
  let runtime: LambdaRuntime;
  let offsetMs = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lambda-clock-'));
    await writeFile(join(dir, 'index.mjs'), handlerSource);
    runtime = new LambdaRuntime({
      functions: [fn(dir, 'Clocked', {})],
      baseEnvironment: { SHANYU_CLOCK_OFFSET_MS: '1' },
      clockOffsetMs: () => offsetMs,
    });
  });

  afterAll(async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('hands each invocation the offset current when it starts, warm sandboxes included', async () => {
    // Prepare
    offsetMs = 5_000;
    const cold = (await runtime.invoke('Clocked', {})) as Reply;

    // Act
    offsetMs = 3 * 86_400_000;
    const warm = (await runtime.invoke('Clocked', {})) as Reply;

    // Assess
    expect(cold).toMatchObject({ offset: '5000', initOffset: '5000' });
    expect(warm.threadId).toBe(cold.threadId);
    expect(warm).toMatchObject({ offset: '259200000', invocations: 2 });
  });

  it('starts a new sandbox on the offset of the moment, for code that reads the clock at load', async () => {
    // Prepare
    offsetMs = 7 * 86_400_000;

    // Act: two at once, so that one of them runs in a new sandbox.
    const replies = (await Promise.all([
      runtime.invoke('Clocked', { sleepMs: 100 }),
      runtime.invoke('Clocked', { sleepMs: 100 }),
    ])) as Reply[];

    // Assess
    const fresh = replies.find((reply) => reply.invocations === 1);
    expect(fresh?.initOffset).toBe('604800000');
    expect(replies.map((reply) => reply.offset)).toEqual(['604800000', '604800000']);
  });
});
