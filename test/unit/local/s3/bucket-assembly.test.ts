import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloudModel, loadCloudModel } from '../../../../infra/local/cloud-assembly.ts';

const dataStack = {
  Resources: {
    DocumentsBucket9EC9DEB9: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        CorsConfiguration: {
          CorsRules: [
            {
              AllowedHeaders: ['*'],
              AllowedMethods: ['PUT', 'GET'],
              AllowedOrigins: ['*'],
              ExposedHeaders: ['ETag'],
              MaxAge: 3000,
            },
          ],
        },
      },
    },
    NamedBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'my-named-bucket' } },
  },
  Outputs: {
    BucketRef: {
      Value: { Ref: 'DocumentsBucket9EC9DEB9' },
      Export: { Name: 'Data:ExportsOutputRefDocumentsBucket' },
    },
    BucketArn: {
      Value: { 'Fn::GetAtt': ['DocumentsBucket9EC9DEB9', 'Arn'] },
      Export: { Name: 'Data:ExportsOutputArnDocumentsBucket' },
    },
  },
};

const appStack = {
  Resources: {
    Fn1: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': 'asset.abc' },
      Properties: {
        Handler: 'index.handler',
        Environment: {
          Variables: {
            DOCUMENTS_BUCKET: { 'Fn::ImportValue': 'Data:ExportsOutputRefDocumentsBucket' },
            BUCKET_ARN: { 'Fn::ImportValue': 'Data:ExportsOutputArnDocumentsBucket' },
            NAMED: { Ref: 'Named' },
          },
        },
      },
    },
    Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'app-bucket' } },
  },
};

describe('loadCloudModel with S3 buckets', () => {
  let dir = '';
  let model: LocalCloudModel;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assembly-s3-'));
    await writeFile(join(dir, 'Data.template.json'), JSON.stringify(dataStack));
    await writeFile(join(dir, 'App.template.json'), JSON.stringify(appStack));
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          Data: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'Data.template.json', stackName: 'Shanyu-Dev-Data' },
          },
          App: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'App.template.json', stackName: 'Shanyu-Dev-App' },
          },
        },
      }),
    );
    model = await loadCloudModel(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names generated buckets after stack and logical id, in lower case, and keeps explicit names', () => {
    // Prepare / Act
    const names = model.buckets.map((bucket) => bucket.bucketName);

    // Assess
    expect(names).toEqual([
      'shanyu-dev-data-documentsbucket9ec9deb9',
      'my-named-bucket',
      'app-bucket',
    ]);
  });

  it('reads each bucket’s CORS rules', () => {
    // Prepare / Act
    const [documents, named] = model.buckets;

    // Assess
    expect(documents?.cors).toEqual([
      {
        allowedOrigins: ['*'],
        allowedMethods: ['PUT', 'GET'],
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag'],
        maxAge: 3000,
      },
    ]);
    expect(named?.cors).toEqual([]);
  });

  it('resolves Ref and Fn::GetAtt Arn of a bucket, across stacks, to its local name and ARN', () => {
    // Prepare / Act
    const [fn] = model.functions;

    // Assess
    expect(fn?.environment).toEqual({
      DOCUMENTS_BUCKET: 'shanyu-dev-data-documentsbucket9ec9deb9',
      BUCKET_ARN: 'arn:aws:s3:::shanyu-dev-data-documentsbucket9ec9deb9',
      NAMED: 'app-bucket',
    });
  });
});
