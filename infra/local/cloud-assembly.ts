import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { localAccount, localRegion } from './local-aws.ts';
import { type CorsRule, corsRulesFromTemplate } from './s3/index.ts';

/**
 * Reads what `cdk synth` wrote (cdk.out) and turns it into what the local cloud runs: the same
 * tables, functions, state machines and routes, with CloudFormation's intrinsic functions
 * resolved to local names and ARNs. Nothing here is declared twice.
 */

export interface LocalTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly keySchema: KeySchemaElement[];
  readonly attributeDefinitions: AttributeDefinition[];
  readonly globalSecondaryIndexes: GlobalSecondaryIndex[];
  readonly ttlAttribute?: string;
}

export interface LocalFunction {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  /** Absolute path of the bundled asset directory. */
  readonly assetDir: string;
  /** `file.export`, as in the template's Handler. */
  readonly handler: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
}

export interface LocalStateMachineDefinition {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly definition: Record<string, unknown>;
}

export interface LocalRoute {
  readonly routeKey: string;
  readonly functionName: string;
  readonly authorization: 'JWT' | 'NONE';
}

export interface LocalSchedule {
  readonly logicalId: string;
  /** `rate(5 minutes)`, `cron(0 9 * * ? *)` or `at(…)`, as EventBridge Scheduler takes it. */
  readonly expression: string;
  readonly timezone: string;
  readonly enabled: boolean;
  /** The function the schedule invokes (name resolved from the target ARN). */
  readonly functionName: string;
  readonly input?: unknown;
}

export interface LocalBucketDefinition {
  readonly logicalId: string;
  readonly bucketName: string;
  readonly cors: CorsRule[];
}

export interface LocalCloudModel {
  readonly tables: LocalTable[];
  readonly buckets: LocalBucketDefinition[];
  readonly functions: LocalFunction[];
  readonly stateMachines: LocalStateMachineDefinition[];
  readonly routes: LocalRoute[];
  readonly schedules: LocalSchedule[];
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

interface Template {
  Resources?: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

interface StackTemplate {
  readonly stackName: string;
  readonly template: Template;
}

export class UnresolvableIntrinsicError extends Error {
  constructor(what: string) {
    super(`Cannot resolve ${what} for the local cloud`);
    this.name = 'UnresolvableIntrinsicError';
  }
}

async function readStacks(cdkOut: string): Promise<StackTemplate[]> {
  const manifest = JSON.parse(await readFile(join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<
      string,
      { type: string; properties?: { templateFile?: string; stackName?: string } }
    >;
  };
  const stacks: StackTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile)
      continue;
    const template = JSON.parse(
      await readFile(join(cdkOut, artifact.properties.templateFile), 'utf8'),
    ) as Template;
    stacks.push({ stackName: artifact.properties.stackName ?? id, template });
  }
  return stacks;
}

/** Properties in which a template may name a resource explicitly. */
const nameProperties: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
};

/**
 * Local physical names: the template's own when it names the resource (a plain string), else
 * stable, readable and unique across stacks, as CloudFormation would generate.
 */
function physicalName(resource: Resource, stackName: string, logicalId: string): string {
  const property = nameProperties[resource.Type];
  const explicit = property ? resource.Properties?.[property] : undefined;
  if (typeof explicit === 'string') return explicit;
  if (resource.Type === 'AWS::DynamoDB::Table') return `${stackName}-${logicalId}`;
  // Bucket names are lower-case DNS labels of at most 63 characters.
  if (resource.Type === 'AWS::S3::Bucket') {
    return `${stackName}-${logicalId}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 63)
      .replace(/-+$/, '');
  }
  return logicalId;
}

function arnOf(type: string, name: string): string {
  const base = `${localRegion}:${localAccount}`;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${base}:function:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${base}:stateMachine:${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${base}:table/${name}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${base}:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${base}:${name}`;
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${base}:key/${name}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${localAccount}:role/${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${base}:log-group:${name}:*`;
    default:
      return `arn:aws:local:${base}:${name}`;
  }
}

const pseudoParameters: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': localRegion,
  'AWS::AccountId': localAccount,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

class Resolver {
  private readonly exports = new Map<string, unknown>();

  constructor(private readonly stacks: readonly StackTemplate[]) {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (!output.Export) continue;
        const exportName = this.resolve(stack, output.Export.Name);
        this.exports.set(String(exportName), { stack, value: output.Value });
      }
    }
  }

  resource(stack: StackTemplate, logicalId: string): Resource {
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) throw new UnresolvableIntrinsicError(`${stack.stackName}/${logicalId}`);
    return resource;
  }

  ref(stack: StackTemplate, logicalId: string): string {
    const pseudo = pseudoParameters[logicalId];
    if (pseudo !== undefined) return pseudo;
    if (logicalId === 'AWS::StackName') return stack.stackName;
    const resource = this.resource(stack, logicalId);
    const qualified = this.qualifiedStateMachineArn(stack, resource);
    if (qualified) return qualified;
    const name = physicalName(resource, stack.stackName, logicalId);
    // Ref of these gives an ARN in CloudFormation; of the others, a name or id.
    return ['AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic'].includes(resource.Type)
      ? arnOf(resource.Type, name)
      : name;
  }

  /**
   * A state machine version's ARN is the machine's ARN with its number; an alias's, with its name.
   * Locally every deployment is version 1: the local cloud runs one definition per machine.
   */
  private qualifiedStateMachineArn(stack: StackTemplate, resource: Resource): string | undefined {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::StepFunctions::StateMachineVersion') {
      return `${String(this.resolve(stack, props.StateMachineArn))}:1`;
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachineAlias') {
      const [route] = (props.RoutingConfiguration ?? []) as { StateMachineVersionArn: unknown }[];
      const versionArn = String(this.resolve(stack, route?.StateMachineVersionArn));
      const machineArn = versionArn.replace(/:\d+$/, '');
      return `${machineArn}:${String(props.Name)}`;
    }
    return undefined;
  }

  getAtt(stack: StackTemplate, logicalId: string, attribute: string): string {
    const resource = this.resource(stack, logicalId);
    const qualified = this.qualifiedStateMachineArn(stack, resource);
    if (qualified && attribute === 'Arn') return qualified;
    const name = physicalName(resource, stack.stackName, logicalId);
    if (attribute === 'Arn') return arnOf(resource.Type, name);
    if (attribute === 'Name' || attribute === 'TableName') return name;
    throw new UnresolvableIntrinsicError(`Fn::GetAtt ${logicalId}.${attribute}`);
  }

  resolve(stack: StackTemplate, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined) {
      switch (key) {
        case 'Ref':
          return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(stack, String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(this.resolve(stack, index))];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(this.resolve(stack, text)).split(separator);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
          const bound = this.resolve(stack, vars) as Record<string, unknown>;
          return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in bound) return String(bound[name]);
            const [id, attribute] = name.split('.');
            return attribute ? this.getAtt(stack, id ?? '', attribute) : this.ref(stack, name);
          });
        }
        case 'Fn::ImportValue': {
          const exportName = String(this.resolve(stack, arg));
          const found = this.exports.get(exportName) as
            | { stack: StackTemplate; value: unknown }
            | undefined;
          if (!found) throw new UnresolvableIntrinsicError(`Fn::ImportValue ${exportName}`);
          return this.resolve(found.stack, found.value);
        }
        case 'Fn::GetStackOutput': {
          // A weak cross-stack reference: another stack's output, read without an export.
          const { StackName, OutputName } = arg as { StackName: unknown; OutputName: unknown };
          const stackName = String(this.resolve(stack, StackName));
          const outputName = String(this.resolve(stack, OutputName));
          const producer = this.stacks.find((candidate) => candidate.stackName === stackName);
          const output = producer?.template.Outputs?.[outputName];
          if (!producer || !output) {
            throw new UnresolvableIntrinsicError(`Fn::GetStackOutput ${stackName}.${outputName}`);
          }
          return this.resolve(producer, output.Value);
        }
        default:
          if (key.startsWith('Fn::')) throw new UnresolvableIntrinsicError(key);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stack, v)]));
  }

  *resources(type: string): Generator<[StackTemplate, string, Resource]> {
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (resource.Type === type) yield [stack, logicalId, resource];
      }
    }
  }
}

export async function loadCloudModel(cdkOut: string): Promise<LocalCloudModel> {
  const root = resolve(cdkOut);
  const resolver = new Resolver(await readStacks(root));

  const tables: LocalTable[] = [];
  for (const [stack, logicalId, resource] of resolver.resources('AWS::DynamoDB::Table')) {
    const props = resource.Properties ?? {};
    const ttl = props.TimeToLiveSpecification as
      | { AttributeName?: string; Enabled?: boolean }
      | undefined;
    tables.push({
      logicalId,
      tableName: physicalName(resource, stack.stackName, logicalId),
      keySchema: props.KeySchema as KeySchemaElement[],
      attributeDefinitions: props.AttributeDefinitions as AttributeDefinition[],
      globalSecondaryIndexes: ((props.GlobalSecondaryIndexes ?? []) as GlobalSecondaryIndex[]).map(
        ({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }),
      ),
      ...(ttl?.Enabled && ttl.AttributeName ? { ttlAttribute: ttl.AttributeName } : {}),
    });
  }

  const buckets: LocalBucketDefinition[] = [];
  for (const [stack, logicalId, resource] of resolver.resources('AWS::S3::Bucket')) {
    const props = resource.Properties ?? {};
    buckets.push({
      logicalId,
      bucketName: physicalName(resource, stack.stackName, logicalId),
      cors: corsRulesFromTemplate(resolver.resolve(stack, props.CorsConfiguration)),
    });
  }

  const functions: LocalFunction[] = [];
  for (const [stack, logicalId, resource] of resolver.resources('AWS::Lambda::Function')) {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    const props = resource.Properties ?? {};
    // Functions CDK adds for itself (log retention, custom resources) have no bundled asset of ours.
    if (typeof assetPath !== 'string' || typeof props.Handler !== 'string') continue;
    const variables = (props.Environment as { Variables?: unknown } | undefined)?.Variables ?? {};
    const environment = resolver.resolve(stack, variables) as Record<string, unknown>;
    const functionName = physicalName(resource, stack.stackName, logicalId);
    functions.push({
      logicalId,
      functionName,
      arn: arnOf(resource.Type, functionName),
      assetDir: join(root, assetPath),
      handler: props.Handler,
      environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)])),
      timeoutSeconds: Number(props.Timeout ?? 3),
      memorySize: Number(props.MemorySize ?? 128),
    });
  }

  const stateMachines: LocalStateMachineDefinition[] = [];
  for (const [stack, logicalId, resource] of resolver.resources(
    'AWS::StepFunctions::StateMachine',
  )) {
    const props = resource.Properties ?? {};
    const text = resolver.resolve(stack, props.DefinitionString);
    const name = physicalName(resource, stack.stackName, logicalId);
    stateMachines.push({
      logicalId,
      name,
      arn: arnOf(resource.Type, name),
      definition: JSON.parse(String(text)) as Record<string, unknown>,
    });
  }

  const routes: LocalRoute[] = [];
  for (const [stack, , resource] of resolver.resources('AWS::ApiGatewayV2::Route')) {
    const props = resource.Properties ?? {};
    const target = String(resolver.resolve(stack, props.Target));
    const integrationId = target.replace(/^integrations\//, '');
    const integration = resolver.resource(stack, integrationId);
    const uri = String(resolver.resolve(stack, integration.Properties?.IntegrationUri));
    const functionName = uri.split(':').pop() ?? uri;
    routes.push({
      routeKey: String(props.RouteKey),
      functionName,
      authorization: props.AuthorizationType === 'JWT' ? 'JWT' : 'NONE',
    });
  }

  const schedules: LocalSchedule[] = [];
  for (const [stack, logicalId, resource] of resolver.resources('AWS::Scheduler::Schedule')) {
    const props = resource.Properties ?? {};
    const target = resolver.resolve(stack, props.Target) as { Arn?: string; Input?: string };
    const functionName =
      String(target.Arn ?? '')
        .split(':')
        .pop() ?? '';
    schedules.push({
      logicalId,
      expression: String(props.ScheduleExpression),
      timezone: String(props.ScheduleExpressionTimezone ?? 'UTC'),
      enabled: props.State !== 'DISABLED',
      functionName,
      ...(target.Input !== undefined ? { input: JSON.parse(target.Input) as unknown } : {}),
    });
  }

  return { tables, buckets, functions, stateMachines, routes, schedules };
}
