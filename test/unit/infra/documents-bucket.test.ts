import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/http/routes.ts';
import { buildApp } from '../../../infra/app.ts';
import type { ApiStack } from '../../../infra/stacks/api-stack.ts';
import type { DataStack } from '../../../infra/stacks/data-stack.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

let data: Template;
let prodData: Template;
let api: Template;
let apiStack: ApiStack;
let bucketId: string;
let accessLogsBucketId: string;
let keyId: string;

beforeAll(() => {
  const app = buildApp({ context: noBundling });
  const dataStack = app.node.findChild('Shanyu-Dev-Data') as DataStack;
  apiStack = app.node.findChild('Shanyu-Dev-Api') as ApiStack;
  data = Template.fromStack(dataStack);
  api = Template.fromStack(apiStack);
  bucketId = logicalId(dataStack, dataStack.documentsBucket);
  accessLogsBucketId = logicalId(dataStack, dataStack.documentsAccessLogsBucket);
  keyId = logicalId(dataStack, dataStack.tableKey);
  const prod = buildApp({
    context: { ...noBundling, stage: 'prod', alarmEmails: 'ops@example.gov.cn' },
  });
  prodData = Template.fromStack(prod.node.findChild('Shanyu-Prod-Data') as DataStack);
}, 180_000);

/** The S3 actions in the policy of a route function's role. */
function s3Actions(routeId: string): string[] {
  const fn = apiStack.routeFunctions[routeId];
  if (!fn?.role) throw new Error(`No function for route ${routeId}`);
  const policies = api.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(apiStack, fn.role) }] },
  });
  return Object.values(policies)
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .flatMap((statement) => [statement.Action].flat())
    .filter((action) => action.startsWith('s3:'));
}

function environmentOf(routeId: string): Record<string, unknown> {
  const fn = apiStack.routeFunctions[routeId];
  const resource = api.toJSON().Resources[logicalId(apiStack, fn as never)];
  return resource.Properties.Environment.Variables;
}

describe('documents bucket', () => {
  it('logs every access to its own access-logs bucket, which is private, TLS-only and expires', () => {
    // Prepare / Act / Assess
    data.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: accessLogsBucketId },
        LogFilePrefix: 'documents/',
      },
    });
    const logs = data.toJSON().Resources[accessLogsBucketId].Properties;
    expect(logs.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(logs.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' }),
    ]);
  });

  it('lets S3 deliver the access logs under a bucket policy, with no ACL', () => {
    // Act
    const logs = data.toJSON().Resources[accessLogsBucketId].Properties;
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy')).filter(
      (policy) =>
        JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: accessLogsBucketId }),
    );
    const delivery = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Principal?: unknown; Action: unknown }[])
        .filter((statement) => JSON.stringify(statement.Principal ?? {}).includes('logging.s3'))
        .map((statement) => statement.Action),
    );

    // Assess
    expect(logs.AccessControl).toBeUndefined();
    expect(logs.OwnershipControls?.Rules ?? []).not.toContainEqual({
      ObjectOwnership: 'ObjectWriter',
    });
    expect(delivery).toEqual(['s3:PutObject']);
  });

  it('is private, TLS-only, versioned and encrypted with the table key', () => {
    // Prepare / Act / Assess
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            // Replaced and deleted files do not stay forever.
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            ExpiredObjectDeleteMarker: true,
            Status: 'Enabled',
          }),
        ],
      },
    });
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets browsers PUT and GET with presigned URLs from any origin', () => {
    // Prepare / Act / Assess
    data.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['PUT', 'GET'], AllowedOrigins: ['*'] })],
      },
    });
  });

  it('is deleted with a dev stack and retained in prod, with no auto-delete Lambda', () => {
    // Prepare / Act
    const dev = data.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    const prod = prodData.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });

    // Assess
    expect(Object.keys(dev)).toEqual([accessLogsBucketId, bucketId]);
    expect(Object.keys(prod)).toHaveLength(2);
    data.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('tells document routes its name and lets them upload or read, as flagged', () => {
    // Prepare
    const uploaders = routes.filter((route) => route.documents === 'upload');
    const readers = routes.filter((route) => route.documents === 'read');

    // Act
    const uploadActions = uploaders.map((route) => s3Actions(route.id));
    const readActions = readers.map((route) => s3Actions(route.id));

    // Assess
    expect(uploaders.map((route) => route.id)).toEqual(['RequestDocumentUpload']);
    expect(readers.map((route) => route.id)).toEqual(['GetDocument']);
    for (const actions of uploadActions) {
      expect(actions).toContain('s3:PutObject');
      expect(actions.some((action) => action.startsWith('s3:Get'))).toBe(false);
    }
    for (const actions of readActions) {
      expect(actions).toEqual(['s3:GetObject', 's3:ListBucket']);
    }
    for (const route of [...uploaders, ...readers]) {
      expect(environmentOf(route.id).DOCUMENTS_BUCKET).toEqual({
        'Fn::ImportValue': expect.stringMatching(/:ExportsOutputRefDocumentsBucket/),
      });
    }
  });

  it('gives routes without the flag neither the bucket nor any S3 permission', () => {
    // Prepare
    const others = routes.filter((route) => !route.documents);

    // Act
    const granted = others.filter(
      (route) => s3Actions(route.id).length > 0 || 'DOCUMENTS_BUCKET' in environmentOf(route.id),
    );

    // Assess
    expect(others.length).toBeGreaterThan(0);
    expect(granted).toEqual([]);
  });
});
