import type { Principal } from '../auth/principal.ts';
import type { Role } from '../auth/roles.ts';
import type { DocumentRecord } from './document-record.ts';

/** Staff who review filings and the documents they cite. */
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
  record: Pick<DocumentRecord, 'ownerSub'>,
): boolean {
  if (record.ownerSub === principal.sub) return true;
  return principal.roles.some((role) => documentReaderRoles.includes(role));
}
