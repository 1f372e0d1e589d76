import { documentClient, tableName } from '../db/client.ts';
import type { DocumentRecord } from './document-record.ts';
import { DocumentStore } from './document-store.ts';
import { documentsBucketName } from './documents-bucket.ts';
import { type DocumentOwner, findUploadedDocuments } from './uploaded-refs.ts';
import { createS3Client, DocumentFiles } from './uploads.ts';

export * from './document-access.ts';
export * from './document-not-found-error.ts';
export * from './document-record.ts';
export * from './document-store.ts';
export * from './documents-bucket.ts';
export * from './upload-request.ts';
export * from './uploaded-refs.ts';
export * from './uploads.ts';

let defaultStore: DocumentStore | undefined;
let defaultFiles: DocumentFiles | undefined;

/** Built on first use, so that importing this module needs neither TABLE_NAME nor the bucket. */
export function documentStore(): DocumentStore {
  defaultStore ??= new DocumentStore({ documents: documentClient, tableName: tableName() });
  return defaultStore;
}

/** The files in the bucket named by DOCUMENTS_BUCKET. */
export function documentFiles(): DocumentFiles {
  defaultFiles ??= new DocumentFiles({
    client: createS3Client(),
    bucket: documentsBucketName(),
  });
  return defaultFiles;
}

export function putDocument(record: DocumentRecord): Promise<void> {
  return documentStore().put(record);
}

export function getDocument(ref: string): Promise<DocumentRecord | undefined> {
  return documentStore().get(ref);
}

/** The records of those refs that have one, by ref (one BatchGetItem per 100 refs). */
export function findDocuments(refs: Iterable<string>): Promise<Map<string, DocumentRecord>> {
  return documentStore().findDocuments(refs);
}

export function objectExists(objectKey: string): Promise<boolean> {
  return documentFiles().objectExists(objectKey);
}

/** {@link findUploadedDocuments} against the table and the bucket. */
export function uploadedDocuments(
  refs: Iterable<string>,
  owner: DocumentOwner,
): Promise<Map<string, DocumentRecord>> {
  return findUploadedDocuments(refs, owner, {
    store: documentStore(),
    files: documentFiles(),
  });
}

/**
 * Those refs whose record belongs to `owner` and whose file is in the bucket: what a filing may
 * cite. Needs the table and `read` access to the documents bucket.
 */
export async function uploadedRefs(
  refs: Iterable<string>,
  owner: DocumentOwner,
): Promise<Set<string>> {
  return new Set((await uploadedDocuments(refs, owner)).keys());
}
