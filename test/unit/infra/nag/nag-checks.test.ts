import { type App, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { CfnPolicy, Role } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../infra/app.ts';
import { ShanyuFunction } from '../../../../infra/constructs/shanyu-function.ts';
import { type DataStack, globalSecondaryIndexes } from '../../../../infra/stacks/data-stack.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const oidc = { jwtIssuer: 'https://idp.example.gov.cn', jwtAudience: 'shanyu' };
const everyOption = {
  ...oidc,
  alarmEmails: 'ops@example.gov.cn,duty@example.gov.cn',
  apiDomainName: 'api.example.gov.cn',
  apiCertificateArn: 'arn:aws:acm:cn-north-1:123456789012:certificate/abc',
};

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function everyConstruct(root: IConstruct): IConstruct[] {
  return [root, ...root.node.children.flatMap(everyConstruct)];
}

/** Every acknowledgement in the tree: where it was made, the rule id and the reason. */
function acknowledgements(app: App) {
  return everyConstruct(app).flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({
        construct,
        id: id.replace(/^annotation::/i, ''),
        reason,
      })),
  );
}

/** The statements of a function role's default policy, resolved in its stack. */
function roleStatements(fn: ShanyuFunction): Statement[] {
  const role = fn.role as Role;
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnPolicy;
  const document = Stack.of(role).resolve(policy.policyDocument) as { Statement: Statement[] };
  return document.Statement;
}

const resourcesOf = (statement: Statement): unknown[] => [statement.Resource].flat();

describe.each([
  ['dev', { ...noBundling }],
  ['prod', { ...noBundling, stage: 'prod', alarmEmails: 'ops@example.gov.cn' }],
  [
    'prod with an OIDC issuer, alarm e-mails and a custom domain',
    { ...noBundling, stage: 'prod', ...everyOption },
  ],
])('cdk-nag on the %s app', (_stage, context) => {
  let app: App;

  beforeAll(() => {
    app = buildApp({ context });
    app.synth();
  }, 180_000);

  it('leaves no unacknowledged AwsSolutions or Serverless finding', () => {
    // Prepare
    const packs = [new AwsSolutionsChecks(), new ServerlessChecks()];

    // Act
    const violations = packs.flatMap((pack) => pack.validateScope(app).violations);

    // Assess
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('gives every acknowledgement a real reason and names the finding of IAM5 ones', () => {
    // Prepare / Act
    const acks = acknowledgements(app);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const { id, reason } of acks) {
      expect(reason.length, id).toBeGreaterThanOrEqual(60);
      if (id.startsWith('AwsSolutions-IAM5')) {
        expect(id).toMatch(/^AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
      }
    }
  });

  it('acknowledges on resources, never across a stack or the app', () => {
    // Prepare / Act
    const scopes = acknowledgements(app).map(({ construct }) => construct);

    // Assess
    for (const scope of scopes) {
      expect(Stack.isStack(scope) || scope === app, scope.node.path).toBe(false);
    }
  });

  it('gives no function role a wildcard on the table: the table, and its own indexes by name', () => {
    // Prepare
    const data = app.node.children.find(
      (child) => Stack.isStack(child) && child.node.id.endsWith('-Data'),
    ) as DataStack;
    const tableId = data.getLogicalId(data.table.node.defaultChild as CfnResource);
    const tableArnExport = new RegExp(`^${data.stackName}:ExportsOutputFnGetAtt${tableId}Arn`);
    const allowedSuffixes = ['', ...globalSecondaryIndexes.map((index) => `/index/${index}`)];
    const functions = everyConstruct(app).filter(
      (construct): construct is ShanyuFunction => construct instanceof ShanyuFunction,
    );

    // Act
    const tableResources = functions.flatMap((fn) =>
      roleStatements(fn)
        .flatMap(resourcesOf)
        .filter((resource) => JSON.stringify(resource).includes(`ExportsOutputFnGetAtt${tableId}`))
        .map((resource) => ({ fn: fn.node.path, resource })),
    );

    // Assess
    expect(functions.length).toBeGreaterThan(30);
    expect(tableResources.length).toBeGreaterThanOrEqual(functions.length * 2);
    for (const { fn, resource } of tableResources) {
      const node = resource as Record<string, unknown>;
      const [importValue, suffix] =
        'Fn::Join' in node
          ? ((node['Fn::Join'] as [string, unknown[]])[1] as [
              { 'Fn::ImportValue': string },
              string,
            ])
          : [node as { 'Fn::ImportValue': string }, ''];
      expect(importValue['Fn::ImportValue'], fn).toMatch(tableArnExport);
      expect(allowedSuffixes, fn).toContain(suffix);
    }
  });

  it('lets a function role use `*` only for X-Ray and for SMS to phone numbers', () => {
    // Prepare
    const functions = everyConstruct(app).filter(
      (construct): construct is ShanyuFunction => construct instanceof ShanyuFunction,
    );
    const xray = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

    // Act
    const starStatements = functions.flatMap((fn) =>
      roleStatements(fn).filter((statement) => resourcesOf(statement).includes('*')),
    );

    // Assess
    expect(starStatements.length).toBeGreaterThanOrEqual(functions.length);
    for (const statement of starStatements) {
      const actions = [statement.Action].flat();
      const isXray = actions.every((action) => xray.includes(action));
      const isSms =
        statement.Sid === 'PublishSmsToPhoneNumbers' && actions.join() === 'sns:Publish';
      expect(isXray || isSms, JSON.stringify(statement)).toBe(true);
    }
  });
});

describe('cdk-nag in buildApp', () => {
  it('fails synthesis on a finding nobody acknowledged', () => {
    // Prepare
    const app = buildApp({ context: noBundling });
    const scheduling = app.node.children.find(
      (child) => Stack.isStack(child) && child.node.id.endsWith('-Scheduling'),
    ) as Stack;
    // No SSL enforcement, no dead-letter queue: AwsSolutions-SQS3/SQS4 and Serverless findings.
    new Queue(scheduling, 'CarelessQueue');

    // Act
    const act = () => app.synth();

    // Assess
    expect(act).toThrow(/AwsSolutions-SQS4/);
  }, 180_000);
});
