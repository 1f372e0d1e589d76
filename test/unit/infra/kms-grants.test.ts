import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';

interface Statement {
  Action: string | string[];
  Condition?: { StringEquals?: Record<string, unknown> };
}

/** Every IAM policy statement of the app that names a KMS action. */
function kmsStatements() {
  const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  return app.node.children
    .filter((child): child is Stack => child instanceof Stack)
    .flatMap((stack) =>
      Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
        ([id, policy]) =>
          (policy.Properties.PolicyDocument.Statement as Statement[])
            .filter((statement) =>
              [statement.Action].flat().some((action) => action.startsWith('kms:')),
            )
            .map((statement) => ({ where: `${stack.stackName}/${id}`, statement })),
      ),
    );
}

describe('KMS grants', () => {
  it('let each function use the data key only through DynamoDB, S3 or Secrets Manager, never directly', () => {
    // Act
    const statements = kmsStatements();

    // Assess
    expect(statements.length).toBeGreaterThan(10);
    const direct = statements.filter(
      ({ statement }) => statement.Condition?.StringEquals?.['kms:ViaService'] === undefined,
    );
    expect(direct.map(({ where }) => where)).toEqual([]);
    const services = new Set(
      statements.map(({ statement }) =>
        JSON.stringify(statement.Condition?.StringEquals?.['kms:ViaService']),
      ),
    );
    expect(
      [...services].filter((service) => !/"(dynamodb|s3|secretsmanager)\./.test(service)),
    ).toEqual([]);
  });
});
