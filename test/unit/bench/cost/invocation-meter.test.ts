import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvocationMeter } from '../../../../bench/cost/invocation-meter.ts';
import { formatInvocationReport } from '../../../../infra/local/lambda/invocation-report.ts';

const line = (requestId: string) =>
  `${formatInvocationReport({
    requestId,
    functionName: '审批Task',
    memorySizeMb: 512,
    durationMs: 3.2,
    billedDurationMs: 4,
    outcome: 'ok',
  })}\n`;

describe('InvocationMeter', () => {
  it('reads reports from the output however the lines are cut, skipping other lines', () => {
    // Prepare
    const output = new PassThrough();
    const meter = new InvocationMeter(output);
    const bytes = Buffer.from(`[api] started\n${line('r-1')}${line('r-2')}`);
    // Cut inside the multi-byte name, then inside the JSON.
    const cut = bytes.indexOf(Buffer.from('审')) + 1;

    // Act
    output.write(bytes.subarray(0, cut));
    output.write(bytes.subarray(cut, cut + 40));
    output.write(bytes.subarray(cut + 40));

    // Assess
    expect(meter.since(0).map((r) => r.requestId)).toEqual(['r-1', 'r-2']);
    expect(meter.since(0)[0]?.functionName).toBe('审批Task');
  });

  it('hands over what came after a mark', () => {
    // Prepare
    const output = new PassThrough();
    const meter = new InvocationMeter(output);
    output.write(line('before'));
    const mark = meter.mark();

    // Act
    output.write(line('after'));

    // Assess
    expect(meter.since(mark).map((r) => r.requestId)).toEqual(['after']);
  });

  it('waits until no report has come for the quiet period', async () => {
    // Prepare
    const output = new PassThrough();
    const meter = new InvocationMeter(output);
    const started = Date.now();
    setTimeout(() => output.write(line('late')), 100);

    // Act
    await meter.quiet(200);

    // Assess
    expect(meter.since(0).map((r) => r.requestId)).toEqual(['late']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
