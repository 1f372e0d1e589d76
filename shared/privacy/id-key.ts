import { createHmac } from 'node:crypto';

/** Running in AWS Lambda (the local cloud's sandboxes do not set this). */
const inLambda = process.env.AWS_EXECUTION_ENV !== undefined;

export class IdKeySecretMissingError extends Error {
  constructor() {
    super('The ID key secret is not configured: 身份证 numbers cannot be keyed safely');
    this.name = 'IdKeySecretMissingError';
  }
}

/** Fetches a secret's string value (Secrets Manager's GetSecretValue, or a stand-in in tests). */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

async function fromSecretsManager(secretId: string): Promise<string | undefined> {
  // Loaded only where a secret is configured: locally and in tests the client is never needed.
  const { GetSecretValueCommand, SecretsManagerClient } = await import(
    '@aws-sdk/client-secrets-manager'
  );
  const response = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: secretId }),
  );
  return response.SecretString;
}

/**
 * The HMAC key named by ID_KEY_SECRET_ARN, read from Secrets Manager. The deployment puts only the
 * secret's ARN in the function's environment, never its value, so that reading a function's
 * configuration does not reveal the key.
 */
export async function readIdKeySecret(
  secretArn: string,
  read: SecretReader = fromSecretsManager,
): Promise<string> {
  const value = await read(secretArn);
  if (!value) throw new IdKeySecretMissingError();
  return value;
}

const secretArn = process.env.ID_KEY_SECRET_ARN;
// Read once per sandbox while it initialises (a top-level await), so that no request waits for it
// and a missing permission fails the cold start, loudly, instead of the first request.
const deployedSecret = secretArn ? await readIdKeySecret(secretArn) : undefined;

/**
 * A stable, non-reversible key for a 身份证 number, for use in table keys and index keys (a
 * child-month lock, a registry entry) where the number itself must not appear. Keyed (HMAC) so
 * that the 10⁹-odd possible numbers cannot simply be hashed and compared. The key comes from
 * Secrets Manager when deployed (ID_KEY_SECRET_ARN), or from ID_KEY_SECRET; locally a fixed
 * development value stands in, but in Lambda a missing secret is an error rather than a silently
 * guessable key.
 */
export function idKey(idNumber: string): string {
  const secret =
    deployedSecret ??
    process.env.ID_KEY_SECRET ??
    (inLambda ? undefined : 'shanyu-local-development-only');
  if (!secret) throw new IdKeySecretMissingError();
  return createHmac('sha256', secret)
    .update(idNumber.toUpperCase())
    .digest('base64url')
    .slice(0, 27);
}
