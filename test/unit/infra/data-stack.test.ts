import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import type { DataStack } from '../../../infra/stacks/data-stack.ts';

/** Skips esbuild: these tests read templates, not bundles. */
const noBundling = { 'aws:cdk:bundling-stacks': [] };

function dataTemplate(context: Record<string, unknown>): Template {
  const app = buildApp({ context: { ...noBundling, ...context } });
  const stage = context.stage === 'prod' ? 'Prod' : 'Dev';
  return Template.fromStack(app.node.findChild(`Shanyu-${stage}-Data`) as DataStack);
}

describe('DataStack', () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    dev = dataTemplate({});
    prod = dataTemplate({ stage: 'prod', alarmEmails: 'ops@example.gov.cn' });
  }, 180_000);

  it('holds exactly one on-demand table keyed by pk/sk, with TTL and point-in-time recovery', () => {
    // Prepare
    const expected = {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: Match.absent(),
    };

    // Act
    const tables = dev.findResources('AWS::DynamoDB::Table');

    // Assess
    expect(Object.keys(tables)).toHaveLength(1);
    dev.hasResourceProperties('AWS::DynamoDB::Table', expected);
  });

  it('has the four overloaded string-keyed GSIs projecting all attributes', () => {
    // Prepare
    const index = (name: string) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: `${name}pk`, KeyType: 'HASH' },
        { AttributeName: `${name}sk`, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });

    // Act
    const table = Object.values(dev.findResources('AWS::DynamoDB::Table'))[0];

    // Assess
    expect(table?.Properties.GlobalSecondaryIndexes).toEqual(
      ['gsi1', 'gsi2', 'gsi3', 'gsi4'].map(index),
    );
    const attributes = table?.Properties.AttributeDefinitions as { AttributeType: string }[];
    expect(attributes).toHaveLength(10);
    expect(attributes.every((attribute) => attribute.AttributeType === 'S')).toBe(true);
  });

  it('keeps the key for ID numbers in table keys as a generated secret, encrypted with the table key', () => {
    // Prepare
    const keyId = Object.keys(dev.findResources('AWS::KMS::Key'))[0];

    // Act
    const secrets = Object.values(dev.findResources('AWS::SecretsManager::Secret'));

    // Assess
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(secrets[0]?.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48 });
  });

  it('encrypts the table with its own rotating customer-managed key', () => {
    // Prepare
    const keyId = Object.keys(dev.findResources('AWS::KMS::Key')).find((id) =>
      id.startsWith('TableKey'),
    );

    // Act
    const rotating = dev.findResources('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
    });

    // Assess: the table's key and the logs' key, both rotating.
    expect(Object.keys(rotating).sort()).toEqual([expect.stringMatching(/^LogsKey/), keyId]);
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
  });

  it('can be torn down in dev', () => {
    // Prepare
    const disposable = { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };

    // Act
    const table = dev.findResources('AWS::DynamoDB::Table', disposable);

    // Assess
    expect(Object.keys(table)).toHaveLength(1);
    dev.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('retains the table and its key, with deletion protection, in prod', () => {
    // Prepare
    const retained = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

    // Act
    const table = prod.findResources('AWS::DynamoDB::Table', retained);
    const key = prod.findResources('AWS::KMS::Key', retained);

    // Assess
    expect(Object.keys(table)).toHaveLength(1);
    expect(Object.keys(key).sort()).toEqual([
      expect.stringMatching(/^LogsKey/),
      expect.stringMatching(/^TableKey/),
    ]);
    prod.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('lets CloudWatch Logs use the logs key only for log groups of its own account and region', () => {
    // Act
    const keys = dev.findResources('AWS::KMS::Key');
    const logsKey = Object.entries(keys).find(([id]) => id.startsWith('LogsKey'))?.[1];
    const statements = logsKey?.Properties.KeyPolicy.Statement as {
      Principal?: { Service?: unknown };
      Condition?: Record<string, Record<string, unknown>>;
    }[];

    // Assess
    const forLogs = statements.filter((statement) => statement.Principal?.Service !== undefined);
    expect(forLogs).toHaveLength(1);
    expect(JSON.stringify(forLogs[0]?.Principal?.Service)).toContain('logs.');
    expect(JSON.stringify(forLogs[0]?.Condition?.ArnLike)).toContain(
      'kms:EncryptionContext:aws:logs:arn',
    );
  });
});
