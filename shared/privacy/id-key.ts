import { createHmac } from 'node:crypto';

/** Running in AWS Lambda (the local cloud's sandboxes do not set this). */
const inLambda = process.env.AWS_EXECUTION_ENV !== undefined;

export class IdKeySecretMissingError extends Error {
  constructor() {
    super('ID_KEY_SECRET is not configured: 身份证 numbers cannot be keyed safely');
    this.name = 'IdKeySecretMissingError';
  }
}

/**
 * A stable, non-reversible key for a 身份证 number, for use in table keys and index keys (a
 * child-month lock, a registry entry) where the number itself must not appear. Keyed (HMAC) so
 * that the 10⁹-odd possible numbers cannot simply be hashed and compared. The key comes from
 * ID_KEY_SECRET; locally a fixed development value stands in, but in Lambda a missing secret is
 * an error rather than a silently guessable key.
 */
export function idKey(idNumber: string): string {
  const secret =
    process.env.ID_KEY_SECRET ?? (inLambda ? undefined : 'shanyu-local-development-only');
  if (!secret) throw new IdKeySecretMissingError();
  return createHmac('sha256', secret)
    .update(idNumber.toUpperCase())
    .digest('base64url')
    .slice(0, 27);
}
