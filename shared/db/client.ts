import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { capacityTraceEnabled, traceConsumedCapacity } from './consumed-capacity.ts';

/**
 * One DynamoDB client per process. The endpoint comes from the SDK's standard configuration
 * (AWS_ENDPOINT_URL_DYNAMODB locally), so the same code talks to DynamoDB Local and to AWS.
 * Exported for libraries that take a client of their own (Powertools idempotency), so that they
 * share its connections and its capacity tracing.
 */
export const dynamoDbClient = new DynamoDBClient({});

// Only the cost benchmark's local cloud sets this; otherwise the client is left as it is.
if (capacityTraceEnabled()) traceConsumedCapacity(dynamoDbClient);

export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
