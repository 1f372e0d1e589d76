import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { loadCloudModel } from '../infra/local/cloud-assembly.ts';
import { createTables, startDynamoDb } from '../infra/local/dynamodb.ts';
import { freePort } from '../infra/local/free-port.ts';
import { localCredentials, localRegion } from '../infra/local/local-aws.ts';
import { projectRoot } from '../test/support/cloud-process.ts';
import { benchAssembly } from './bench-assembly.ts';
import type { BenchPartRunner } from './bench-part.ts';
import {
  dueTasksPerSize,
  pageSize,
  type SizeResult,
  sizeResultSchema,
} from './scaling/measure-scale.ts';
import {
  scalingNotes,
  scalingRatios,
  scalingRows,
  scalingTarget,
} from './scaling/scaling-table.ts';

/*
 * Benchmark part 4: scaling. The synthesized table on an in-memory DynamoDB Local of its own,
 * grown to each size (BENCH_SCALE_SIZES, default 10,000 and 100,000 stored tasks, each with its
 * case); at each size the product's own code paths read an inbox page, a case-list page and run
 * the deadline sweeper, in a process of their own whose environment points them at this table
 * with capacity tracing on.
 */

export class ScaleWorkerError extends Error {
  constructor(code: number | null, output: string) {
    super(`the scaling worker exited ${code}: ${output.slice(-2000)}`);
    this.name = 'ScaleWorkerError';
  }
}

export function scaleSizes(value = process.env.BENCH_SCALE_SIZES): number[] {
  const sizes = (value ?? '10000,100000')
    .split(',')
    .map((size) => Number(size.trim()))
    .filter((size) => Number.isInteger(size) && size > 0);
  return sizes.length >= 2 ? [...new Set(sizes)].sort((a, b) => a - b) : [10_000, 100_000];
}

/** Runs bench/scaling/scale-worker.ts against the table; its last line of output is its result. */
function runWorker(env: Record<string, string>): Promise<SizeResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(projectRoot, 'node_modules/.bin/node'),
      ['--import', 'tsx', join(projectRoot, 'bench/scaling/scale-worker.ts')],
      { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
      // Progress lines, as the worker seeds.
      for (const line of chunk.toString().split('\n'))
        if (line.startsWith('[scaling]')) console.log(line);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      try {
        if (code !== 0) throw new Error('failed');
        resolve(z.array(sizeResultSchema).parse(JSON.parse(last)));
      } catch {
        reject(new ScaleWorkerError(code, `${errors}\n${output}`));
      }
    });
  });
}

export const run: BenchPartRunner = async () => {
  const sizes = scaleSizes();
  const cdkOut = await benchAssembly();
  const model = await loadCloudModel(cdkOut);
  const dataDir = await mkdtemp(join(tmpdir(), 'shanyu-bench-scaling-'));
  const loadAtStart = loadavg()[0] ?? 0;
  // In memory: the writes that grow the table are set-up, not what is measured.
  const dynamoDb = await startDynamoDb({
    dataDir,
    port: await freePort(),
    log: () => undefined,
    inMemory: true,
  });
  try {
    await createTables(dynamoDb.client, model.tables);
    const tableName = model.tables[0]?.tableName ?? '';
    const results = await runWorker({
      BENCH_SCALE_SIZES: sizes.join(','),
      TABLE_NAME: tableName,
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      SHANYU_CAPACITY_TRACE: '1',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
    const ratios = scalingRatios(results);
    const target = scalingTarget(ratios);
    return {
      key: 'scaling',
      title: 'Scaling',
      method:
        `The synthesized table on an in-memory DynamoDB Local, grown to ${sizes.map((s) => s.toLocaleString('en')).join(' and ')} stored ` +
        `tasks (each with its case; the work spread over six district queues, so the queue and the listing read grow with the table). ` +
        `At each size the product's own code reads one inbox page and one case-list page of ${pageSize}, and runs the deadline ` +
        `sweeper with ${dueTasksPerSize} tasks due; consumed capacity is the sum of ReturnConsumedCapacity over their calls, ` +
        'recorded by the SDK middleware (SHANYU_CAPACITY_TRACE=1).',
      target,
      table: {
        columns: [
          'Operation',
          ...results.map((r) => `${r.storedTasks.toLocaleString('en')} tasks: read + write units`),
          'Ratio',
          ...results.map((r) => `${r.storedTasks.toLocaleString('en')} tasks: ms`),
        ],
        rows: scalingRows(results, ratios),
      },
      figures: {
        sizes,
        pageSize,
        dueTasksPerSize,
        loadAverageAtStart: Number(loadAtStart.toFixed(2)),
        ratios,
        bySize: results,
      },
      notes: scalingNotes(results, ratios),
    };
  } finally {
    await dynamoDb.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};
