import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface SentRequest {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/**
 * A DynamoDB client that never leaves the process: every request is recorded and answered with
 * the JSON `answer` returns for it, through the SDK's whole middleware stack.
 */
export function fakeDynamoDb(answer: (request: SentRequest) => Record<string, unknown>) {
  const sent: SentRequest[] = [];
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://dynamodb.invalid',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: string | Uint8Array }) => {
        const target = String(request.headers['x-amz-target'] ?? '').replace(
          'DynamoDB_20120810.',
          '',
        );
        const text =
          typeof request.body === 'string'
            ? request.body
            : new TextDecoder().decode(request.body ?? new Uint8Array());
        const body = JSON.parse(text || '{}') as Record<string, unknown>;
        const recorded = { target, body };
        sent.push(recorded);
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify(answer(recorded)))]),
          },
        };
      },
    },
  });
  return { client, sent };
}
