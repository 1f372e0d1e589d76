import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../db/client.ts';
import { keys } from '../db/keys.ts';
import { type TaskRecord, taskRecordSchema } from './task-record.ts';

/**
 * A task id is derived from its task token: a workflow retrying the same step (same token)
 * finds its task instead of opening a second one.
 */
export function taskIdFor(taskToken: string): string {
  return `T-${createHash('sha256').update(taskToken).digest('base64url').slice(0, 20)}`;
}

export async function getTaskOfCase(
  caseId: string,
  taskId: string,
): Promise<TaskRecord | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.caseTask(caseId, taskId),
      ConsistentRead: true,
    }),
  );
  return Item ? taskRecordSchema.parse(Item) : undefined;
}

/**
 * Stores an open task. The task token stays in the item (server side only: no API returns it)
 * because the decision must hand it back to Step Functions.
 */
export async function putTask(task: TaskRecord, taskToken: string): Promise<TaskRecord> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.caseTask(task.caseId, task.taskId),
          ...keys.taskById(task.taskId),
          entity: 'Task',
          ...task,
          taskToken,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return task;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = await getTaskOfCase(task.caseId, task.taskId);
    if (!existing) throw error;
    return existing;
  }
}
