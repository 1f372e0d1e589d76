import { Fn, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  type DocumentsAccess,
  documentsBucketVariable,
} from '../../shared/documents/documents-bucket.ts';
import { acknowledge } from '../nag/nag-checks.ts';

/**
 * The documents bucket as other stacks see it. Its ARN travels as an export with a fixed name
 * (rather than CDK's generated one), so that the one wildcard its grants need, "any object in
 * this bucket", can be acknowledged by its exact name.
 */
export interface DocumentsStore {
  readonly bucket: IBucket;
  /** The export the bucket's ARN is published under (`<prefix>DocumentsBucketArn`). */
  readonly arnExportName: string;
}

/** The export name of the documents bucket's ARN in a stage. */
export function documentsBucketArnExportName(prefix: string): string {
  return `${prefix}DocumentsBucketArn`;
}

/**
 * Tells a function where documents live (`DOCUMENTS_BUCKET`) and lets it do no more than its
 * access needs: `upload` signs PUT URLs (s3:PutObject and a data key from the bucket's key),
 * `read` checks and signs GETs of objects (s3:GetObject, s3:ListBucket so that a missing object
 * is a 404 rather than a 403, and decryption). Either way the function's table access comes
 * from the function itself; document records live in the table.
 */
/**
 * The bucket's key (the table's too) for S3's use on the function's behalf only, so that a
 * document grant cannot decrypt table data directly, nor the other way round.
 */
function grantKeyThroughS3(fn: LambdaFunction, bucket: IBucket, action: string): void {
  if (!bucket.encryptionKey) return;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [action],
      resources: [bucket.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${Stack.of(fn).region}.amazonaws.com` },
      },
    }),
  );
}

export function grantDocumentsAccess(
  fn: LambdaFunction,
  documents: DocumentsStore,
  access: DocumentsAccess,
): void {
  const { bucket, arnExportName } = documents;
  fn.addEnvironment(documentsBucketVariable, bucket.bucketName);
  const bucketArn = Fn.importValue(arnExportName);
  const objectsArn = `${bucketArn}/*`;
  if (access === 'upload') {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objectsArn] }));
    grantKeyThroughS3(fn, bucket, 'kms:GenerateDataKey');
  } else {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objectsArn] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] }));
    grantKeyThroughS3(fn, bucket, 'kms:Decrypt');
  }
  if (fn.role) {
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5',
      'Object keys are minted per upload (a reference unknown at deployment), so the grant is ' +
        'for objects of this one bucket; the API checks who may sign a URL for which reference.',
      `Resource::${arnExportName}/*`,
    );
  }
}
