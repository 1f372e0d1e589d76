import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start floor: the least a function of ours can do at init, import the DynamoDB client
 * and construct it. Every deployed function is measured against this one, in the same run.
 */
const client = new DynamoDBClient({});

export const handler = async (): Promise<{ region: string }> => ({
  region: await client.config.region(),
});
