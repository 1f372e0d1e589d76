import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Every item a query matches, page after page: a check of what the table holds must see all of
 * it, not the first megabyte.
 */
export async function queryAll(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The items of a table partition whose sort key begins with `skPrefix` (all, if empty), read consistently. */
export function partitionItems(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  pk: string,
  skPrefix = '',
): Promise<Record<string, unknown>[]> {
  return queryAll(documents, {
    TableName: tableName,
    ...(skPrefix
      ? {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        }
      : { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    ConsistentRead: true,
  });
}
