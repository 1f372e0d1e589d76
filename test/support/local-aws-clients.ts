import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The real AWS SDK clients, pointed at the local cloud's endpoints. */
export function localClients(parts: { dynamodb: string; stepfunctions: string }) {
  return {
    sfn: new SFNClient({ endpoint: parts.stepfunctions, region, credentials }),
    documents: DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parts.dynamodb, region, credentials }),
    ),
  };
}

/** Polls until `probe` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 45_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The open task a workflow stored for a case, with its token (read from the table, as a decision handler would). */
export async function openTaskOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseId: string,
): Promise<
  { taskId: string; taskToken: string; role: string; taskType: string; status: string } | undefined
> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':task': 'TASK#' },
    }),
  );
  const [task] = page.Items ?? [];
  return task as
    | { taskId: string; taskToken: string; role: string; taskType: string; status: string }
    | undefined;
}

export interface StoredTaskItem {
  taskId: string;
  taskToken: string;
  taskType: string;
  role: string;
  status: string;
  note?: string;
}

/** The case's open task of a type, once the workflow opened it (read as a decision handler would). */
export function openTaskOfType(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseId: string,
  taskType: string,
): Promise<StoredTaskItem> {
  return eventually(async () => {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':task': 'TASK#' },
      }),
    );
    return (page.Items ?? []).find((t) => t.taskType === taskType && t.status === 'open') as
      | StoredTaskItem
      | undefined;
  });
}
