import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../db/client.ts';
import { idKey } from '../privacy/id-key.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A month of a child held by a case, and which case. */
export interface HeldMonth {
  readonly month: string;
  readonly caseId: string;
}

/**
 * One case per child per month for a benefit: a lock item per child-month, keyed by a keyed hash
 * of the child's ID number, written with the case (a second case for a held month is refused by
 * its condition) and released by the case that holds it.
 */
export function childMonthLocks(prefix: string, entity: string) {
  const key = (childIdNumber: string, month: string) => ({
    pk: `${prefix}#${idKey(childIdNumber)}#${month}`,
    sk: 'LOCK',
  });

  /** Puts for the months, each succeeding only if free or already this case's. */
  const lockItems = (
    caseId: string,
    childIdNumber: string,
    months: readonly string[],
  ): TransactItem[] =>
    months.map((month) => ({
      Put: {
        TableName: tableName(),
        Item: { ...key(childIdNumber, month), entity, caseId, month },
        ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': caseId },
      },
    }));

  /** Deletes of the months, only of locks the case itself holds. */
  const releaseItems = (
    caseId: string,
    childIdNumber: string,
    months: readonly string[],
  ): TransactItem[] =>
    months.map((month) => ({
      Delete: {
        TableName: tableName(),
        Key: key(childIdNumber, month),
        ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': caseId },
      },
    }));

  /** Which of these months are held, and by which case, in month order. */
  const find = async (childIdNumber: string, months: readonly string[]): Promise<HeldMonth[]> => {
    const result = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName()]: {
            Keys: months.map((month) => key(childIdNumber, month)),
            ConsistentRead: true,
          },
        },
      }),
    );
    return (result.Responses?.[tableName()] ?? [])
      .map((item) => ({ month: String(item.month), caseId: String(item.caseId) }))
      .sort((a, b) => a.month.localeCompare(b.month));
  };

  return { key, lockItems, releaseItems, find };
}
