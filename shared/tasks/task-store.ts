import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { queueOf } from './queues.ts';
import { type TaskRecord, type TaskStatus, taskRecordSchema } from './task-record.ts';

/**
 * A task id is derived from its task token: a workflow retrying the same step (same token)
 * finds its task instead of opening a second one.
 */
export function taskIdFor(taskToken: string): string {
  return `T-${createHash('sha256').update(taskToken).digest('base64url').slice(0, 20)}`;
}

/** The inbox index keys a task has in a given status (patterns 6 and 8). */
export function inboxKeys(task: TaskRecord, status: TaskStatus) {
  const queue = queueOf(task);
  const sort = keys.inboxSort(task.dueAt, task.taskId);
  return {
    gsi2pk: keys.inboxPartition(queue, status),
    gsi2sk: sort,
    gsi3pk: keys.inboxByTypePartition(queue, status, task.caseType),
    gsi3sk: sort,
  };
}

/**
 * The due index entry (pattern 30) of a task waiting for its follow-up reminder: the deadline
 * sweeper reads it when `followUpAt` passes. A decision replaces it (gsi4 then holds the pending
 * delivery), closing the task removes it.
 */
export function followUpKeys(task: Pick<TaskRecord, 'followUpAt' | 'taskId'>) {
  return {
    gsi4pk: keys.dueTasksPartition,
    gsi4sk: keys.dueTaskSort(task.followUpAt, task.taskId),
    deadline: 'follow-up' as const,
  };
}

/** The whole item of a new task, the token kept server-side only. */
export function newTaskItem(task: TaskRecord, taskToken: string) {
  return {
    ...keys.caseTask(task.caseId, task.taskId),
    ...keys.taskById(task.taskId),
    ...inboxKeys(task, task.status),
    entity: 'Task',
    ...task,
    ...(task.status === 'open' || task.status === 'claimed' ? followUpKeys(task) : {}),
    taskToken,
  };
}

export interface StoredTask {
  readonly task: TaskRecord;
  readonly taskToken: string;
}

function toStored(item: Record<string, unknown>): StoredTask {
  return { task: taskRecordSchema.parse(item), taskToken: String(item.taskToken) };
}

/** Task by id (pattern 4), then the item itself for a consistent read. */
export async function getTask(taskId: string): Promise<StoredTask | undefined> {
  const found = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: indexNames.gsi1,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: {
        ':pk': keys.taskById(taskId).gsi1pk,
        ':sk': keys.taskById(taskId).gsi1sk,
      },
      ProjectionExpression: 'caseId',
    }),
  );
  const caseId = found.Items?.[0]?.caseId;
  if (typeof caseId !== 'string') return undefined;
  return getTaskOfCase(caseId, taskId);
}

export async function getTaskOfCase(
  caseId: string,
  taskId: string,
): Promise<StoredTask | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.caseTask(caseId, taskId),
      ConsistentRead: true,
    }),
  );
  return Item ? toStored(Item) : undefined;
}

/** A case's tasks (pattern 3), oldest first. */
export async function listCaseTasks(caseId: string): Promise<StoredTask[]> {
  const tasks: StoredTask[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':prefix': keys.caseTaskPrefix },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) tasks.push(toStored(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return tasks.sort((a, b) => a.task.createdAt.localeCompare(b.task.createdAt));
}
