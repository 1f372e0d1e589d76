import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit of keys per BatchGetItem. */
const batchSize = 100;

/** Some keys stayed unprocessed after every attempt (throttling): the read is not whole. */
export class BatchReadIncompleteError extends Error {
  constructor(readonly missing: number) {
    super(`${missing} item(s) could not be read after repeated attempts`);
    this.name = 'BatchReadIncompleteError';
  }
}

export interface BatchGetOptions {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  /** Attempts per batch, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** Waits before attempt `n + 1`; jittered and growing by default. */
  readonly backoff?: (attempt: number) => Promise<void>;
}

/** 25–50 ms, doubling per attempt: unprocessed keys mean throttling, which needs a pause. */
export function jitteredBackoff(attempt: number): Promise<void> {
  const ms = 25 * 2 ** (attempt - 1) * (1 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads items by key, in batches of 100, asking again (after a pause) for the keys DynamoDB left
 * unprocessed. Items that do not exist are simply absent. Returns what was found and the read
 * capacity it cost.
 */
export async function batchGetAll(
  options: BatchGetOptions,
  keys: readonly Record<string, unknown>[],
): Promise<{ items: Record<string, unknown>[]; consumedReadUnits: number }> {
  const { documents, tableName } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? jitteredBackoff;
  const items: Record<string, unknown>[] = [];
  let consumedReadUnits = 0;
  for (let start = 0; start < keys.length; start += batchSize) {
    let pending = keys.slice(start, start + batchSize);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) throw new BatchReadIncompleteError(pending.length);
      if (attempt > 1) await backoff(attempt - 1);
      const result = await documents.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: [...pending] } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      for (const capacity of result.ConsumedCapacity ?? []) {
        consumedReadUnits += capacity.CapacityUnits ?? 0;
      }
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return { items, consumedReadUnits };
}
