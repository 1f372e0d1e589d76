import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { localRegion } from '../infra/local/local-aws.ts';
import { projectRoot } from '../test/support/cloud-process.ts';

/**
 * What a Node 22 Lambda sandbox has in its environment besides the function's own variables.
 * No network: every AWS endpoint is `awsEndpoint`, a local stand-in (a closed local port unless
 * told), so that an SDK call at import never reaches anything.
 */
export function sandboxEnvironment(
  name: string,
  memorySize: number,
  taskRoot: string,
  awsEndpoint = 'http://127.0.0.1:9',
) {
  return {
    PATH: `${join(projectRoot, 'node_modules', 'node', 'bin')}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    AWS_ACCESS_KEY_ID: 'ASIABENCHMARKONLY000',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-not-real',
    AWS_SESSION_TOKEN: 'bench-session-token-not-real',
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: 'index.handler',
    // What Lambda sets for a function with active tracing (no code of ours reads them).
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  };
}

/** CloudFormation resolves dynamic references at deployment; here a made-up value stands in. */
export function plausible(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      value.startsWith('{{resolve:') ? randomBytes(32).toString('base64url') : value,
    ]),
  );
}

/** The variables every function has with the same value: `ShanyuFunction`'s defaults. */
export function commonEnvironment(
  environments: readonly Record<string, string>[],
): Record<string, string> {
  const [first = {}, ...others] = environments;
  return Object.fromEntries(
    Object.entries(first).filter(([key, value]) => others.every((env) => env[key] === value)),
  );
}
