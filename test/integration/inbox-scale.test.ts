import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { TaskRecord } from '../../shared/tasks/task-record.ts';
import { putAll } from '../support/batch-put.ts';
import { localClients } from '../support/local-aws-clients.ts';

const cloud = inject('cloud');
const tableName = cloud.tables[0] ?? '';
const { documents } = localClients(cloud.parts);

const storedTasks = 10_000;
const ourQueueTasks = 50;
const pageSize = 20;

describe('the inbox at 10,000 stored tasks', () => {
  const providerId = `P-SCALE-${randomUUID().slice(0, 8)}`;
  let inbox: typeof import('../../shared/tasks/inbox.ts');
  let store: typeof import('../../shared/tasks/task-store.ts');

  beforeAll(async () => {
    // The shared modules build their clients from the environment at import, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = cloud.parts.dynamodb;
    inbox = await import('../../shared/tasks/inbox.ts');
    store = await import('../../shared/tasks/task-store.ts');
    const start = Date.parse('2026-12-01T00:00:00Z');
    const items = Array.from({ length: storedTasks }, (_, n) => {
      const ours = n < ourQueueTasks;
      const task: TaskRecord = {
        // Real task ids (base64url: upper and lower case, '-' and '_'), so ties on the due time
        // are broken the way DynamoDB breaks them.
        taskId: store.taskIdFor(`token-${providerId}-${n}`),
        caseId: `SC-SCALE-${providerId}-${n}`,
        caseType: 'subsidy-claim',
        taskType: 'confirm-enrollment',
        role: 'provider',
        providerId: ours ? providerId : `${providerId}-other-${n % 100}`,
        status: 'open',
        createdAt: new Date(start).toISOString(),
        // Few distinct due times: most tasks opened on one day fall due at the same 17:30.
        dueAt: new Date(start + (n % 7) * 86_400_000).toISOString(),
        followUpAt: new Date(start).toISOString(),
        summary: '沈*禾 · 2026-10',
      };
      // No case stands behind these tasks: kept out of the deadline sweeper's due index, which the
      // shared cloud's sweeper reads.
      const {
        gsi4pk: _due,
        gsi4sk: _dueAt,
        deadline: _deadline,
        ...item
      } = store.newTaskItem(task, `token-${n}`);
      return item;
    });
    await putAll(documents, tableName, items);
  }, 300_000);

  it('reads only the page it returns, in due order, and pages through the queue exactly', async () => {
    // Prepare
    const queues = [`provider#P:${providerId}`];

    // Act
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await inbox.listInbox({
        queues,
        status: 'open',
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page);
      cursor = page.cursor;
    } while (cursor && pages.length < 10);

    // Assess
    const [first] = pages;
    expect(first?.items).toHaveLength(pageSize);
    expect(first?.itemsRead).toBe(pageSize);
    // What DynamoDB charged (ReturnConsumedCapacity): a page's worth, where reading the 10,000
    // stored tasks would cost hundreds of units.
    expect(first?.consumedReadUnits).toBeGreaterThan(0);
    expect(first?.consumedReadUnits).toBeLessThan(10);
    const all = pages.flatMap((page) => page.items);
    expect(all).toHaveLength(ourQueueTasks);
    expect(new Set(all.map((task) => task.taskId)).size).toBe(ourQueueTasks);
    const due = all.map((task) => `${task.dueAt}#${task.taskId}`);
    expect(due).toEqual([...due].sort());
    expect(pages.reduce((sum, page) => sum + page.itemsRead, 0)).toBeLessThanOrEqual(
      ourQueueTasks + pageSize,
    );
  });

  it('merges several queues into one due-date order without losing or repeating a task', async () => {
    // Prepare
    const queues = [
      `provider#P:${providerId}`,
      `provider#P:${providerId}-other-7`,
      `provider#P:${providerId}-other-42`,
    ];

    // Act
    const seen: TaskRecord[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await inbox.listInbox({
        queues,
        status: 'open',
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items);
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 100);

    // Assess
    const others = Array.from({ length: storedTasks }, (_, n) => n).filter(
      (n) => n >= ourQueueTasks && (n % 100 === 7 || n % 100 === 42),
    ).length;
    expect(seen).toHaveLength(ourQueueTasks + others);
    expect(new Set(seen.map((task) => task.taskId)).size).toBe(seen.length);
    const due = seen.map((task) => `${task.dueAt}#${task.taskId}`);
    expect(due).toEqual([...due].sort());
  });
});
