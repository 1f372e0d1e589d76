import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isPlainObject } from './json.ts';
import { errorResponse, StepFunctionsProtocolError } from './protocol-errors.ts';

export const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AWSStepFunctions.';

export type ActionHandler = (action: string, input: Record<string, unknown>) => Promise<unknown>;

function send(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  requestId: string,
): void {
  const text = JSON.stringify(body ?? {});
  response.writeHead(statusCode, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The action named by `X-Amz-Target: AWSStepFunctions.<Action>`. */
export function actionOf(target: string | string[] | undefined): string | undefined {
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
  const action = target.slice(TARGET_PREFIX.length);
  return action.length > 0 ? action : undefined;
}

/**
 * An HTTP server speaking the Step Functions JSON 1.0 protocol: `POST /` with the action in
 * `X-Amz-Target`, JSON in and out, errors as `{"__type", "message"}`.
 */
export function createProtocolServer(handle: ActionHandler, log: (line: string) => void): Server {
  return createServer((request, response) => {
    const requestId = randomUUID();
    void (async () => {
      try {
        const text = await readBody(request);
        const action = actionOf(request.headers['x-amz-target']);
        if (request.method !== 'POST' || !action) {
          throw new StepFunctionsProtocolError(
            'UnknownOperationException',
            `Unknown operation ${String(request.headers['x-amz-target'] ?? request.method)}`,
          );
        }
        let input: unknown = {};
        if (text.trim().length > 0) {
          try {
            input = JSON.parse(text);
          } catch {
            throw new StepFunctionsProtocolError(
              'SerializationException',
              'The request body is not JSON',
            );
          }
        }
        if (!isPlainObject(input)) {
          throw new StepFunctionsProtocolError(
            'SerializationException',
            'The request body is not a JSON object',
          );
        }
        send(response, 200, await handle(action, input), requestId);
      } catch (error) {
        const { statusCode, body } = errorResponse(error);
        if (statusCode >= 500)
          log(`[sfn] internal failure: ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) send(response, statusCode, body, requestId);
      }
    })();
  });
}
