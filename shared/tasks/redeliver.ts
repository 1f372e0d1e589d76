import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../clock/index.ts';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { logger } from '../observability/index.ts';
import { deliverDecision } from './task-actions.ts';
import { getTaskOfCase } from './task-store.ts';

export interface RedeliveryReport {
  readonly examined: number;
  readonly delivered: number;
  readonly stillPending: number;
}

/**
 * Hands over decisions that were recorded but whose workflow never acknowledged them (the
 * process died, Step Functions was unreachable). Reads only the sparse pending partition
 * (pattern 10), oldest first, leaving alone decisions younger than `graceSeconds` — their own
 * request is most likely still delivering them.
 */
export async function redeliverDecisions(
  options: { graceSeconds?: number; limit?: number } = {},
): Promise<RedeliveryReport> {
  const cutoff = new Date(now().getTime() - (options.graceSeconds ?? 60) * 1000).toISOString();
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: indexNames.gsi4,
      KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :cutoff',
      ExpressionAttributeValues: { ':pk': keys.pendingDeliveryPartition, ':cutoff': cutoff },
      Limit: options.limit ?? 100,
    }),
  );
  let delivered = 0;
  let stillPending = 0;
  for (const item of page.Items ?? []) {
    const stored = await getTaskOfCase(String(item.caseId), String(item.taskId));
    if (!stored) continue;
    if (await deliverDecision(stored)) delivered += 1;
    else if (
      (await getTaskOfCase(stored.task.caseId, stored.task.taskId))?.task.delivery === 'pending'
    ) {
      stillPending += 1;
    }
  }
  const report = { examined: page.Items?.length ?? 0, delivered, stillPending };
  logger.info('Decisions redelivered', { ...report });
  return report;
}
