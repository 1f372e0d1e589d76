import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's most puts in one BatchWriteItem. */
const batchSize = 25;
/** Batches in flight at once. */
const concurrentBatches = 16;

/** Writes every item to the table, retrying what DynamoDB leaves unprocessed until none is left. */
export async function putAll(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  const batches = Array.from({ length: Math.ceil(items.length / batchSize) }, (_, b) =>
    items.slice(b * batchSize, b * batchSize + batchSize),
  );
  for (let i = 0; i < batches.length; i += concurrentBatches) {
    await Promise.all(
      batches.slice(i, i + concurrentBatches).map(async (batch) => {
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const result = await documents.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }),
    );
  }
}
