import { createHmac } from 'node:crypto';

/**
 * A stable, non-reversible key for a 身份证 number, for use in table keys and index keys (a
 * child-month lock, a registry entry) where the number itself must not appear. Keyed (HMAC) so
 * that the 10⁹-odd possible numbers cannot simply be hashed and compared; the key comes from
 * ID_KEY_SECRET (Secrets Manager / SSM in AWS; a fixed development value locally).
 */
export function idKey(idNumber: string): string {
  const secret = process.env.ID_KEY_SECRET ?? 'shanyu-local-development-only';
  return createHmac('sha256', secret)
    .update(idNumber.toUpperCase())
    .digest('base64url')
    .slice(0, 27);
}
