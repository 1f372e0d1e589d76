import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ShanyuConfig } from '../config.ts';
import { acknowledge } from '../nag/nag-checks.ts';
import {
  globalSecondaryIndexes,
  idKeySecretOfTable,
  logsKeyOfTable,
} from '../stacks/data-stack.ts';

/** The repository root: handler entries, the lockfile and esbuild's working directory hang off it. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What a function may do to the table. Narrower than `grantReadData`/`grantReadWriteData`: no
 * `Scan` (every access pattern is a key or index query) and no stream reads (there is no stream).
 * Transactions need no actions of their own: they are authorised per contained operation.
 * `index` is what a function may do on the table's own global secondary indexes, each named:
 * only `Query` applies to an index. The key actions are the ones DynamoDB calls on the caller's
 * behalf for a customer-managed key (decrypting the table key; generating one on writes), with
 * no `ReEncrypt*`/`GenerateDataKey*` wildcards: re-encryption on rotation is DynamoDB's own.
 */
export const tableAccess = {
  read: {
    table: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ],
    index: ['dynamodb:Query'],
    key: ['kms:Decrypt', 'kms:DescribeKey'],
  },
  readWrite: {
    table: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
    index: ['dynamodb:Query'],
    key: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  },
} as const;

export interface ShanyuFunctionProps {
  /** Handler file, relative to the project root (as in the route catalogue) or absolute. */
  readonly entry: string;
  /** The single table; its name goes into `TABLE_NAME` and the role gets access to it. */
  readonly table: ITable;
  /** Grant read access only (the default is read/write). */
  readonly readOnly?: boolean;
  /** Deployment stage: log retention, removal policy, `STAGE`. */
  readonly config: ShanyuConfig;
  /** Extra variables, merged over the defaults. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Where asynchronous invocations that failed every retry go. Only for functions invoked
   * asynchronously (scheduled jobs); API and workflow functions are invoked synchronously.
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * Keys 身份证 numbers (shared/privacy/id-key.ts): the function gets the HMAC key secret's ARN
   * and may read that one secret. A unit test checks this against what each bundle imports.
   */
  readonly readsIdKey?: boolean;
}

/**
 * A Lambda function with the project's defaults: Node 22 on Graviton, one ESM bundle with the AWS
 * SDK in it, X-Ray tracing, its own log group with a retention, and the
 * environment Powertools and `shared/db` expect. Its role holds no managed policy: it may write
 * to its own log group, trace, and use the table (and its key) as `readOnly` says.
 */
export class ShanyuFunction extends NodejsFunction {
  /** The handler file, relative to the project root or absolute, as given. */
  public readonly entry: string;
  /** Whether the function may read the ID key secret. */
  public readonly readsIdKey: boolean;

  public constructor(scope: Construct, id: string, props: ShanyuFunctionProps) {
    const { config, table } = props;
    const idKeySecret = idKeySecretOfTable.get(table);
    // Created before the function (it is passed in), so it cannot be the function's child.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: config.logRetention,
      encryptionKey: logsKeyOfTable.get(table),
      removalPolicy: config.removalPolicy,
    });
    // Our own role instead of the default one with AWSLambdaBasicExecutionRole, which may create
    // and write to any log group in the account.
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: isAbsolute(props.entry) ? props.entry : join(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // Shipped beside the bundle but not read at start: NODE_OPTIONS=--enable-source-maps makes
        // Node parse the whole map in every cold start (about 1.6× the init time, see
        // docs/benchmarks.md). Set it on a function while debugging for TypeScript stack traces.
        sourceMap: true,
        mainFields: ['module', 'main'],
        // One minified file loads faster than the runtime's SDK, resolved file by file: bundling
        // it cut init times by a third to a half (docs/benchmarks.md, against its runs before). It also pins the SDK
        // version to package-lock.json, the one the local cloud and the tests run.
        bundleAwsSDK: true,
        // Lets CommonJS dependencies that call `require` keep working inside an ESM bundle.
        banner:
          "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
      },
      environment: {
        TABLE_NAME: table.tableName,
        STAGE: config.stage,
        POWERTOOLS_SERVICE_NAME: 'shanyu',
        POWERTOOLS_METRICS_NAMESPACE: 'Shanyu',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // When a working day's deadlines fall due (shared/calendar/working-days.ts).
        WORKDAY_ENDS_AT: config.workdayEndsAt,
        // The ARN only: the value is read at cold start, so the function's configuration (readable
        // with lambda:GetFunctionConfiguration) never holds the key.
        ...(idKeySecret && props.readsIdKey ? { ID_KEY_SECRET_ARN: idKeySecret.secretArn } : {}),
        ...props.environment,
      },
    });
    this.entry = props.entry;
    this.readsIdKey = props.readsIdKey ?? false;
    if (idKeySecret && props.readsIdKey) {
      // Not `grantRead`: that would add this role to the data stack's key policy, a reference back
      // from the data stack to this one (a dependency cycle).
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [idKeySecret.secretArn],
        }),
      );
      if (idKeySecret.encryptionKey) {
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [idKeySecret.encryptionKey.keyArn],
            conditions: {
              StringEquals: {
                'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
              },
            },
          }),
        );
      }
    }
    const access = props.readOnly ? tableAccess.read : tableAccess.readWrite;
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...access.table], resources: [table.tableArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...access.index],
        resources: globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index}`),
      }),
    );
    if (table.encryptionKey) {
      // The key also encrypts the documents bucket: only through DynamoDB may this grant use it.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...access.key],
          resources: [table.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }

    acknowledge(
      role,
      'AwsSolutions-IAM5',
      'X-Ray tracing (Tracing.ACTIVE) needs xray:PutTraceSegments and xray:PutTelemetryRecords, ' +
        'which support no resource-level permissions. The nag test checks that every `*` ' +
        'resource on a function role is one of these (or the SMS publish of notifying jobs).',
      'Resource::*',
    );
    for (const rule of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      acknowledge(
        this,
        rule,
        'Node.js 22 is the version the project builds, tests and runs locally with ' +
          '(package.json engines, esbuild target node22); the runtime moves with that, not alone.',
      );
    }
    if (!props.deadLetterQueue) {
      acknowledge(
        this,
        'Serverless-LambdaDLQ',
        'Invoked synchronously only (API Gateway or a Step Functions task): a failure returns ' +
          'to the caller, which answers the client or retries and catches in the state machine.',
      );
    }
  }
}
