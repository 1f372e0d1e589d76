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
  let examined = 0;
  let delivered = 0;
  let stillPending = 0;
  let startKey: Record<string, unknown> | undefined;
  // Page through the pending partition (a run handles at most `limit` decisions), so a few
  // decisions that keep failing never hide the ones behind them.
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: indexNames.gsi4,
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :cutoff',
        ExpressionAttributeValues: { ':pk': keys.pendingDeliveryPartition, ':cutoff': cutoff },
        Limit: 100,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      examined += 1;
      const stored = await getTaskOfCase(String(item.caseId), String(item.taskId));
      if (!stored) continue;
      if (await deliverDecision(stored)) delivered += 1;
      else if (
        (await getTaskOfCase(stored.task.caseId, stored.task.taskId))?.task.delivery === 'pending'
      ) {
        stillPending += 1;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey && examined < (options.limit ?? 500));
  const report = { examined, delivered, stillPending };
  logger.info('Decisions redelivered', { ...report });
  return report;
}
