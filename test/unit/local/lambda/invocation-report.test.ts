import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalFunction } from '../../../../infra/local/cloud-assembly.ts';
import {
  billedDurationOf,
  formatInvocationReport,
  type InvocationReport,
  parseInvocationReport,
} from '../../../../infra/local/lambda/invocation-report.ts';
import { LambdaRuntime } from '../../../../infra/local/lambda/lambda-runtime.ts';

// A bundle that keeps capacity totals as shared/db/consumed-capacity.ts does when traced: on
// globalThis under the registered symbol, handed over (and reset) by take().
const handlerSource = `
let units = 0;
globalThis[Symbol.for('shanyu.consumedCapacity')] = {
  take() {
    const totals = { readUnits: units, writeUnits: 0, calls: units > 0 ? 1 : 0,
      byOperation: units > 0 ? { Query: { calls: 1, units } } : {} };
    units = 0;
    return totals;
  },
};
export const handler = async (event) => {
  units += event.readUnits ?? 0;
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  if (event.fail) throw new Error('failed');
  return { ok: true };
};
`;

function fn(dir: string, name: string, environment: Record<string, string>): LocalFunction {
  return {
    logicalId: name,
    functionName: name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    assetDir: dir,
    handler: 'index.handler',
    environment,
    timeoutSeconds: 3,
    memorySize: 512,
  };
}

describe('REPORT lines of the local Lambda runtime', () => {
  let dir = '';
  let runtime: LambdaRuntime;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'invocation-report-'));
    await writeFile(join(dir, 'index.mjs'), handlerSource);
    runtime = new LambdaRuntime({
      functions: [fn(dir, 'Traced', { SHANYU_CAPACITY_TRACE: '1' }), fn(dir, 'Untraced', {})],
      baseEnvironment: {},
      report: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports each invocation of a traced function: duration, memory, and its capacity alone', async () => {
    // Prepare
    lines.length = 0;

    // Act
    await runtime.invoke('Traced', { readUnits: 1.5, sleepMs: 20 });
    await runtime.invoke('Traced', { readUnits: 0.5 });
    await runtime.invoke('Traced', { fail: true }).catch(() => undefined);

    // Assess
    const reports = lines.map(parseInvocationReport);
    expect(reports).toHaveLength(3);
    const [first, second, failed] = reports as InvocationReport[];
    expect(first).toMatchObject({ functionName: 'Traced', memorySizeMb: 512, outcome: 'ok' });
    expect(first?.durationMs).toBeGreaterThanOrEqual(15);
    expect(first?.billedDurationMs).toBe(Math.ceil(first?.durationMs ?? 0));
    expect(first?.initDurationMs).toBeGreaterThan(0);
    expect(first?.consumedCapacity).toMatchObject({ readUnits: 1.5, calls: 1 });
    expect(second?.initDurationMs).toBeUndefined();
    expect(second?.consumedCapacity).toMatchObject({ readUnits: 0.5, calls: 1 });
    expect(failed).toMatchObject({ outcome: 'error', consumedCapacity: { readUnits: 0 } });
    expect(new Set(reports.map((report) => report?.requestId)).size).toBe(3);
  });

  it('reports nothing for a function that is not traced', async () => {
    // Prepare
    lines.length = 0;

    // Act
    await runtime.invoke('Untraced', { readUnits: 1 });

    // Assess
    expect(lines).toEqual([]);
  });
});

describe('invocation reports', () => {
  it('bill at least 1 ms, rounded up to the millisecond', () => {
    // Prepare / Act / Assess
    expect(billedDurationOf(0.2)).toBe(1);
    expect(billedDurationOf(12.001)).toBe(13);
    expect(billedDurationOf(12)).toBe(12);
  });

  it('read back from a log line as written, whatever precedes the marker', () => {
    // Prepare
    const report: InvocationReport = {
      requestId: 'r-1',
      functionName: 'DecideTask',
      memorySizeMb: 512,
      durationMs: 41.5,
      billedDurationMs: 42,
      outcome: 'ok',
      consumedCapacity: { readUnits: 1, writeUnits: 4, calls: 2, byOperation: {} },
    };

    // Act
    const parsed = parseInvocationReport(
      `2026-11-28T23:50:00.000Z ${formatInvocationReport(report)}`,
    );

    // Assess
    expect(parsed).toEqual(report);
  });

  it('ignore other lines and damaged reports', () => {
    // Prepare / Act / Assess
    expect(parseInvocationReport('[api] HTTP API at http://127.0.0.1:3000')).toBeUndefined();
    expect(parseInvocationReport('REPORT {"requestId": "r-1"')).toBeUndefined();
    expect(parseInvocationReport('REPORT {"requestId": "r-1"}')).toBeUndefined();
  });
});
