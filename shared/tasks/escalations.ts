import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { batchGetAll } from '../db/batch-get.ts';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { decodeCursor, encodeCursor, invalidCursorError, startKeySchema } from '../http/cursor.ts';
import { type TaskRecord, taskRecordSchema } from './task-record.ts';

/**
 * A task past its due time, undecided, is escalated (督办): it stays in its own queue and also
 * appears in the escalation list of the supervisors of its district and of the city. The list
 * entry is an item beside the task in its case's partition (pattern 31), removed in the same
 * transaction that decides or closes the task.
 */

/** The city's supervisors oversee every district; a city task has no district above it. */
const cityDistrict = 'city';

/** The list a district's supervisors read (gsi2), and the city's (gsi3). */
export function escalationPartition(district: string): string {
  return keys.inboxPartition(`supervisor#D:${district}`, 'escalated');
}

/** The escalation entry of a task, for a transaction's Put. */
export function escalationItem(
  task: Pick<TaskRecord, 'caseId' | 'taskId' | 'district' | 'dueAt'>,
  escalatedAt: string,
) {
  const district = task.district ?? cityDistrict;
  const sort = keys.inboxSort(task.dueAt, task.taskId);
  return {
    ...keys.escalation(task.caseId, task.taskId),
    entity: 'Escalation',
    caseId: task.caseId,
    taskId: task.taskId,
    district,
    dueAt: task.dueAt,
    escalatedAt,
    ...(district === cityDistrict ? {} : { gsi2pk: escalationPartition(district), gsi2sk: sort }),
    gsi3pk: escalationPartition(cityDistrict),
    gsi3sk: sort,
  };
}

/** The districts whose supervisors hear of an escalation: the task's own, and the city. */
export function escalatedTo(task: Pick<TaskRecord, 'district'>): string[] {
  const district = task.district ?? cityDistrict;
  return district === cityDistrict ? [cityDistrict] : [district, cityDistrict];
}

/**
 * Removes a task's escalation entry; for the transaction that decides or closes the task. Always,
 * not only when the task as read was escalated: the sweeper may escalate it between that read and
 * the decision, and deleting an entry that is not there costs a write, not a failure.
 */
export function escalationDelete(task: Pick<TaskRecord, 'caseId' | 'taskId'>) {
  return [{ Delete: { TableName: tableName(), Key: keys.escalation(task.caseId, task.taskId) } }];
}

const cursorSchema = z.object({ district: z.string(), start: startKeySchema });

export interface EscalationPage {
  readonly items: TaskRecord[];
  readonly cursor?: string;
  readonly consumedReadUnits: number;
}

/**
 * The escalated tasks of a district's supervisors, soonest due first (`city`: the whole city's). One index query for the page, one batch read of its tasks (the
 * tasks as they are now: claimed since, or reassigned).
 */
export async function listEscalated(
  district: string,
  options: { readonly limit: number; readonly cursor?: string },
): Promise<EscalationPage> {
  const state = options.cursor ? decodeCursor(cursorSchema, options.cursor) : undefined;
  // A cursor belongs to the list it came from.
  if (state && state.district !== district) throw invalidCursorError();
  const byCity = district === cityDistrict;
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byCity ? indexNames.gsi3 : indexNames.gsi2,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byCity ? 'gsi3pk' : 'gsi2pk' },
      ExpressionAttributeValues: { ':pk': escalationPartition(district) },
      Limit: options.limit,
      ...(state ? { ExclusiveStartKey: state.start } : {}),
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  let consumedReadUnits = page.ConsumedCapacity?.CapacityUnits ?? 0;
  const entries = (page.Items ?? []).map((item) => ({
    caseId: String(item.caseId),
    taskId: String(item.taskId),
  }));
  const read = await batchGetAll(
    { documents: documentClient, tableName: tableName() },
    entries.map(({ caseId, taskId }) => keys.caseTask(caseId, taskId)),
  );
  consumedReadUnits += read.consumedReadUnits;
  const tasks = new Map<string, TaskRecord>();
  for (const item of read.items) {
    const task = taskRecordSchema.parse(item);
    tasks.set(task.taskId, task);
  }
  const items = entries
    .map(({ taskId }) => tasks.get(taskId))
    // The index lags the table a moment: a task decided just now may still be listed.
    .filter((task): task is TaskRecord => task?.status === 'open' || task?.status === 'claimed');
  return {
    items,
    ...(page.LastEvaluatedKey
      ? { cursor: encodeCursor({ district, start: page.LastEvaluatedKey }) }
      : {}),
    consumedReadUnits,
  };
}
