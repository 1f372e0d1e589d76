import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCloudModel } from '../../infra/local/cloud-assembly.ts';
import { createTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.ts';
import { freePort } from '../../infra/local/free-port.ts';
import type { TaskRecord } from '../../shared/tasks/task-record.ts';
import { putAll } from '../support/batch-put.ts';

/*
 * The sweeper's cost at scale, on a DynamoDB Local of its own (the table the app synthesizes): the
 * shared cloud's own sweeper must not meet 50,000 tasks that have no case behind them.
 */

const { cdkOut } = inject('cloud');
const storedTasks = 50_000;
const dueTasks = 20;

describe('the deadline sweeper at 50,000 stored tasks', () => {
  let dynamoDb: LocalDynamoDb;
  let dataDir = '';
  let sweep: typeof import('../../shared/tasks/deadline-sweep.ts');
  // 10:00 on 3 December 2026 in Huzhou: the run's time.
  const now = new Date('2026-12-03T02:00:00.000Z');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shanyu-sweep-scale-'));
    // In memory: the 50,000 writes are set-up, not what is measured.
    dynamoDb = await startDynamoDb({
      dataDir,
      port: await freePort(),
      log: () => undefined,
      inMemory: true,
    });
    const model = await loadCloudModel(cdkOut);
    await createTables(dynamoDb.client, model.tables);
    const tableName = model.tables[0]?.tableName ?? '';
    // The shared modules build their clients from the environment at import, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoDb.endpoint;
    sweep = await import('../../shared/tasks/deadline-sweep.ts');
    const store = await import('../../shared/tasks/task-store.ts');
    const documents = DynamoDBDocumentClient.from(dynamoDb.client, {
      marshallOptions: { removeUndefinedValues: true },
    });

    const minute = 60_000;
    const items = Array.from({ length: storedTasks }, (_, n) => {
      // The first 20 passed their follow-up in the half hour before the run; the rest follow up
      // one a minute over the next 60 days.
      const followUp =
        n < dueTasks
          ? now.getTime() - (n + 1) * minute
          : now.getTime() + (1 + (n % 86_400)) * minute;
      const task: TaskRecord = {
        taskId: store.taskIdFor(`sweep-scale-${n}`),
        caseId: `SC-SCALE-${n}`,
        caseType: 'subsidy-claim',
        taskType: 'district-review',
        role: 'caseworker',
        district: 'wuxing',
        status: 'open',
        createdAt: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
        followUpAt: new Date(followUp).toISOString(),
        dueAt: new Date(followUp + 86_400_000).toISOString(),
        summary: '沈*禾 · 2026-11',
      };
      return store.newTaskItem(task, `token-${n}`);
    });
    await putAll(documents, tableName, items);
  }, 600_000);

  afterAll(async () => {
    await dynamoDb?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('reads the 20 due entries, not the 50,000 tasks, and nothing once they are handled', async () => {
    // Act
    const first = await sweep.sweepDeadlines({ now });
    const second = await sweep.sweepDeadlines({ now });

    // Assess
    expect(first.due).toBe(dueTasks);
    expect(first.itemsRead).toBe(dueTasks);
    // What DynamoDB charged for the index reads (ReturnConsumedCapacity): 20 items of under 1 KB
    // come to a few units, where reading 50,000 would cost thousands.
    expect(first.consumedReadUnits).toBeGreaterThan(0);
    expect(first.consumedReadUnits).toBeLessThan(10);
    // These tasks have no case behind them: the sweeper drops their entries, telling nobody.
    expect(first).toMatchObject({ reminded: 0, escalated: 0, skipped: dueTasks, failed: 0 });
    expect(second.due).toBe(0);
    expect(second.itemsRead).toBe(0);
  });
});
