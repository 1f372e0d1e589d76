/**
 * The environment variable that names the documents bucket to a function. Kept apart from the S3
 * client so that the CDK app can import it without loading the SDK.
 */
export const documentsBucketVariable = 'DOCUMENTS_BUCKET';

/** What a function may do with documents: hand out upload URLs, or read records and files. */
export type DocumentsAccess = 'upload' | 'read';

/** Raised when a function that works with documents was deployed without the bucket. */
export class DocumentsBucketMissingError extends Error {
  constructor() {
    super(`${documentsBucketVariable} is not set`);
    this.name = 'DocumentsBucketMissingError';
  }
}

export function documentsBucketName(): string {
  const name = process.env[documentsBucketVariable];
  if (!name) throw new DocumentsBucketMissingError();
  return name;
}
