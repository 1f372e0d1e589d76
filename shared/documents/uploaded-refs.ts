import type { DocumentRecord } from './document-record.ts';
import type { DocumentStore } from './document-store.ts';
import type { DocumentFiles } from './uploads.ts';

export interface UploadedDocumentsDeps {
  readonly store: Pick<DocumentStore, 'findDocuments'>;
  readonly files: Pick<DocumentFiles, 'objectExists'>;
}

/** HeadObject calls in flight at once: a filing lists at most 50 documents. */
const concurrency = 10;

/**
 * Who may cite a document: the account that uploaded it, or — for a provider's filing — any
 * account of that provider (a colleague may have uploaded the fire certificate).
 */
export interface DocumentOwner {
  readonly sub: string;
  readonly providerId?: string;
}

const ownedBy = (record: DocumentRecord, owner: DocumentOwner) =>
  record.ownerSub === owner.sub ||
  (owner.providerId !== undefined && record.ownerProviderId === owner.providerId);

/**
 * The records of those refs that `owner` uploaded and whose file is in the bucket. A ref that is
 * unknown, someone else's, or never uploaded is left out: to a filing, all three are the same
 * missing document.
 */
export async function findUploadedDocuments(
  refs: Iterable<string>,
  owner: DocumentOwner,
  deps: UploadedDocumentsDeps,
): Promise<Map<string, DocumentRecord>> {
  const records = await deps.store.findDocuments(refs);
  const owned = [...records.values()].filter((record) => ownedBy(record, owner));
  const uploaded = new Map<string, DocumentRecord>();
  for (let start = 0; start < owned.length; start += concurrency) {
    const batch = owned.slice(start, start + concurrency);
    const exists = await Promise.all(
      batch.map((record) => deps.files.objectExists(record.objectKey)),
    );
    batch.forEach((record, index) => {
      if (exists[index]) uploaded.set(record.ref, record);
    });
  }
  return uploaded;
}
