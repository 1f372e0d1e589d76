import { createHash } from 'node:crypto';
import type { CaseType } from './case-record.ts';

const prefixes: Record<CaseType, string> = {
  'subsidy-claim': 'SC',
  'tuition-waiver': 'TW',
  'provider-registration': 'PR',
};

// Crockford base32: no I, L, O, U, so a case number read aloud over the phone is unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A case number derived from who submitted and their Idempotency-Key: a retry after a partial
 * failure lands on the same case instead of creating a second one.
 */
export function caseIdFor(
  caseType: CaseType,
  applicantSub: string,
  idempotencyKey: string,
): string {
  const digest = createHash('sha256')
    .update(`${caseType}\n${applicantSub}\n${idempotencyKey}`)
    .digest();
  let id = '';
  for (let i = 0; i < 12; i++) id += alphabet[(digest[i] ?? 0) % 32];
  return `${prefixes[caseType]}-${id}`;
}

export function fingerprintOf(form: unknown): string {
  return createHash('sha256').update(JSON.stringify(form)).digest('hex');
}
