import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  type DocumentsAccess,
  documentsBucketVariable,
} from '../../shared/documents/documents-bucket.ts';

/**
 * Tells a function where documents live (`DOCUMENTS_BUCKET`) and lets it do no more than its
 * access needs: `upload` signs PUT URLs (s3:PutObject and encryption with the bucket's key),
 * `read` checks and signs GETs of objects (s3:GetObject, s3:ListBucket so that a missing object
 * is a 404 rather than a 403, and decryption). Either way the function's table access comes
 * from the function itself; document records live in the table.
 */
export function grantDocumentsAccess(
  fn: LambdaFunction,
  bucket: IBucket,
  access: DocumentsAccess,
): void {
  fn.addEnvironment(documentsBucketVariable, bucket.bucketName);
  if (access === 'upload') bucket.grantPut(fn);
  else bucket.grantRead(fn);
}
