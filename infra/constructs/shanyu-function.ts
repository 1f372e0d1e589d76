import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ShanyuConfig } from '../config.ts';
import { idKeySecretOfTable } from '../stacks/data-stack.ts';

/** The repository root: handler entries, the lockfile and esbuild's working directory hang off it. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What a function may do to the table. Narrower than `grantReadData`/`grantReadWriteData`: no
 * `Scan` (every access pattern is a key or index query) and no stream reads (there is no stream).
 * Transactions need no actions of their own: they are authorised per contained operation.
 */
export const tableAccess = {
  read: {
    table: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ],
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
    key: [
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
    ],
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
}

/**
 * A Lambda function with the project's defaults: Node 22 on Graviton, an ESM bundle with the AWS
 * SDK left to the runtime, X-Ray tracing, its own log group with a retention, and the
 * environment Powertools and `shared/db` expect.
 */
export class ShanyuFunction extends NodejsFunction {
  public constructor(scope: Construct, id: string, props: ShanyuFunctionProps) {
    const { config, table } = props;
    const idKeySecret = idKeySecretOfTable.get(table);
    // Created before the function (it is passed in), so it cannot be the function's child.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    super(scope, id, {
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
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // The Node 22 runtime ships SDK v3; bundling it would only grow cold starts.
        externalModules: ['@aws-sdk/*'],
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
        // Stack traces in logs point at the TypeScript source.
        NODE_OPTIONS: '--enable-source-maps',
        // Resolved by CloudFormation at deployment (a dynamic reference): the value never appears
        // in the template, and the function needs no runtime call to Secrets Manager.
        ...(idKeySecret ? { ID_KEY_SECRET: idKeySecret.secretValue.unsafeUnwrap() } : {}),
        ...props.environment,
      },
    });
    const access = props.readOnly ? tableAccess.read : tableAccess.readWrite;
    table.grant(this, ...access.table);
    table.encryptionKey?.grant(this, ...access.key);
  }
}
