import type { Principal } from '../auth/principal.ts';
import type { Role } from '../auth/roles.ts';
import type { DocumentRecord } from './document-record.ts';

/**
 * Staff who review filings and the documents they cite; civil affairs reads the certificates a
 * family uploads for a hardship verification.
 */
export const documentReaderRoles: readonly Role[] = [
  'caseworker',
  'supervisor',
  'civil-affairs',
  'fire',
  'market',
  'admin',
];

/**
 * Whether the principal may see a document: whoever uploaded it, and staff who review filings.
 *
 * Known gap: staff are not narrowed to their district. A document has no district of its own
 * until a filing cites it, and nothing yet records which filing that is; until it does, any
 * reviewing role in any district can read any document whose (unguessable) ref it knows.
 */
export function canReadDocument(
  principal: Principal,
  record: Pick<DocumentRecord, 'ownerSub' | 'ownerProviderId'>,
): boolean {
  if (record.ownerSub === principal.sub) return true;
  // Colleagues at the same provider cite each other's uploads in one filing.
  if (
    principal.providerId !== undefined &&
    principal.roles.includes('provider') &&
    record.ownerProviderId === principal.providerId
  ) {
    return true;
  }
  return principal.roles.some((role) => documentReaderRoles.includes(role));
}
