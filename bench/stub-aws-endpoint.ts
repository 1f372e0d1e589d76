import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/** An AWS call a bundle made while it loaded. */
export interface InitCall {
  /** The bundle being imported when the call arrived (calls arrive one import at a time). */
  readonly bundle: string;
  /** `secretsmanager.GetSecretValue`, or the method and path of a REST call. */
  readonly operation: string;
}

export interface StubAwsEndpoint {
  readonly url: string;
  readonly calls: InitCall[];
  /** Names the bundle whose import is under way, for the calls that arrive. */
  current: string;
  close(): Promise<void>;
}

/**
 * A stand-in for AWS on a local port, for functions that call it while they load (a top-level
 * await): it answers Secrets Manager's GetSecretValue with a made-up secret, refuses anything
 * else, and records every call. Nothing leaves the machine; an answer from here costs far less
 * than a round trip to AWS, which the notes say.
 */
export async function startStubAwsEndpoint(): Promise<StubAwsEndpoint> {
  const stub: StubAwsEndpoint = {
    url: '',
    calls: [],
    current: '',
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const operation = typeof target === 'string' ? target : `${request.method} ${request.url}`;
      stub.calls.push({ bundle: stub.current, operation });
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (operation === 'secretsmanager.GetSecretValue') {
        const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
        response.end(
          JSON.stringify({
            ARN: SecretId,
            Name: SecretId,
            SecretString: randomBytes(32).toString('base64url'),
            VersionId: '00000000-0000-0000-0000-000000000000',
          }),
        );
        return;
      }
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: 'UnknownOperationException', message: operation }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
