import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { decodeCursor, encodeCursor, invalidCursorError, startKeySchema } from '../http/cursor.ts';
import { type TaskRecord, type TaskStatus, taskRecordSchema } from './task-record.ts';

export interface InboxQuery {
  readonly queues: readonly string[];
  readonly status: TaskStatus;
  readonly caseType?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface InboxPage {
  readonly items: TaskRecord[];
  readonly cursor?: string;
  /** Read capacity the page cost (what DynamoDB reported), for tests and metrics. */
  readonly consumedReadUnits: number;
  /** Index entries read to build the page (DynamoDB's ScannedCount, summed over queues). */
  readonly itemsRead: number;
}

const cursorSchema = z.object({
  status: z.string(),
  caseType: z.string().optional(),
  /** Per queue: where to start next (a key), or `done`. Queues not named start at the top. */
  queues: z.record(z.string(), z.union([z.literal('done'), startKeySchema])),
});

/**
 * DynamoDB orders string sort keys by their bytes; the merge must agree exactly, or a cursor taken
 * from the merged page would skip or repeat tasks of equal due time (most tasks opened on one day
 * fall due at the same 17:30). The keys are ASCII, so code-unit order is byte order.
 */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Fetched {
  readonly queue: string;
  readonly items: Record<string, unknown>[];
  readonly more: boolean;
}

/**
 * A principal's inbox: the tasks of every queue it works from, in one due-date order, one page
 * at a time. Each queue is one index query (pattern 6, or 8 with a case type) reading at most a
 * page; the pages are merged, and the cursor remembers where each queue stopped. Someone with a
 * single queue — most people — reads exactly the page returned.
 */
export async function listInbox(query: InboxQuery): Promise<InboxPage> {
  const state = query.cursor ? decodeCursor(cursorSchema, query.cursor) : undefined;
  if (state && (state.status !== query.status || state.caseType !== query.caseType)) {
    // A cursor belongs to the listing it came from.
    throw invalidCursorError();
  }
  const byType = query.caseType !== undefined;
  const index = byType ? indexNames.gsi3 : indexNames.gsi2;
  const pkName = byType ? 'gsi3pk' : 'gsi2pk';
  const skName = byType ? 'gsi3sk' : 'gsi2sk';
  const partitionOf = (queue: string) =>
    byType
      ? keys.inboxByTypePartition(queue, query.status, query.caseType ?? '')
      : keys.inboxPartition(queue, query.status);
  // A cursor may only resume the caller's own queues, inside their own partitions.
  for (const [queue, start] of Object.entries(state?.queues ?? {})) {
    if (!query.queues.includes(queue)) throw invalidCursorError();
    if (start !== 'done' && start[pkName] !== partitionOf(queue)) throw invalidCursorError();
  }
  let consumedReadUnits = 0;
  let itemsRead = 0;

  const fetched: Fetched[] = await Promise.all(
    query.queues
      .filter((queue) => state?.queues[queue] !== 'done')
      .map(async (queue) => {
        const start = state?.queues[queue];
        const page = await documentClient.send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: index,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': pkName },
            ExpressionAttributeValues: { ':pk': partitionOf(queue) },
            Limit: query.limit,
            ...(start && start !== 'done' ? { ExclusiveStartKey: start } : {}),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        consumedReadUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
        itemsRead += page.ScannedCount ?? 0;
        return { queue, items: page.Items ?? [], more: page.LastEvaluatedKey !== undefined };
      }),
  );

  const merged = fetched
    .flatMap(({ queue, items }) => items.map((item) => ({ queue, item })))
    .sort((a, b) => byteOrder(String(a.item[skName]), String(b.item[skName])))
    .slice(0, query.limit);

  const next: Record<string, 'done' | Record<string, string | number>> = { ...state?.queues };
  for (const { queue, items, more } of fetched) {
    const taken = merged.filter((entry) => entry.queue === queue);
    const last = taken.at(-1)?.item;
    if (taken.length === items.length && !more) next[queue] = 'done';
    else if (last) {
      next[queue] = {
        pk: String(last.pk),
        sk: String(last.sk),
        [pkName]: String(last[pkName]),
        [skName]: String(last[skName]),
      };
    }
  }
  const finished = query.queues.every((queue) => next[queue] === 'done');
  return {
    items: merged.map(({ item }) => taskRecordSchema.parse(item)),
    ...(finished
      ? {}
      : { cursor: encodeCursor({ status: query.status, caseType: query.caseType, queues: next }) }),
    consumedReadUnits,
    itemsRead,
  };
}
