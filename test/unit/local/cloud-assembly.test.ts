import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalCloudModel,
  loadCloudModel,
  UnresolvableIntrinsicError,
} from '../../../infra/local/cloud-assembly.ts';

const dataStack = {
  Resources: {
    Table1: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    },
  },
  Outputs: {
    TableRef: {
      Value: { Ref: 'Table1' },
      Export: { Name: 'Data:ExportsOutputRefTable1' },
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
        Timeout: 10,
        MemorySize: 512,
        Environment: {
          Variables: {
            TABLE_NAME: { 'Fn::ImportValue': 'Data:ExportsOutputRefTable1' },
            MACHINE_ARN: { Ref: 'Machine1' },
          },
        },
      },
    },
    LogRetentionFn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    Machine1: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Join': [
            '',
            [
              '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:',
              { Ref: 'AWS::Partition' },
              ':states:::lambda:invoke","Parameters":{"FunctionName":"',
              { 'Fn::GetAtt': ['Fn1', 'Arn'] },
              '"},"End":true}}}',
            ],
          ],
        },
      },
    },
    Integration1: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { IntegrationUri: { 'Fn::GetAtt': ['Fn1', 'Arn'] } },
    },
    Route1: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        RouteKey: 'GET /v1/things/{id}',
        AuthorizationType: 'JWT',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration1' }]] },
      },
    },
  },
};

describe('loadCloudModel', () => {
  let dir = '';
  let model: LocalCloudModel;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assembly-'));
    await writeFile(join(dir, 'Data.template.json'), JSON.stringify(dataStack));
    await writeFile(join(dir, 'App.template.json'), JSON.stringify(appStack));
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          Data: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'Data.template.json', stackName: 'Shanyu-Data' },
          },
          App: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'App.template.json', stackName: 'Shanyu-App' },
          },
          Tree: { type: 'cdk:tree' },
        },
      }),
    );
    model = await loadCloudModel(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads tables with keys and TTL', () => {
    // Prepare / Act / Assess
    expect(model.tables).toEqual([
      expect.objectContaining({ tableName: 'Shanyu-Data-Table1', ttlAttribute: 'expiresAt' }),
    ]);
  });

  it('resolves a function’s environment across stacks and skips functions without our asset', () => {
    // Prepare / Act
    const [fn] = model.functions;

    // Assess
    expect(model.functions).toHaveLength(1);
    expect(fn?.assetDir).toBe(join(dir, 'asset.abc'));
    expect(fn?.environment).toEqual({
      TABLE_NAME: 'Shanyu-Data-Table1',
      MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:Machine1',
    });
    expect(fn?.timeoutSeconds).toBe(10);
  });

  it('turns the definition string into plain ASL with local ARNs', () => {
    // Prepare / Act
    const [machine] = model.stateMachines;

    // Assess
    expect(machine?.definition).toEqual({
      StartAt: 'A',
      States: {
        A: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:Fn1' },
          End: true,
        },
      },
    });
  });

  it('maps each route to the function behind its integration', () => {
    // Prepare / Act / Assess
    expect(model.routes).toEqual([
      { routeKey: 'GET /v1/things/{id}', functionName: 'Fn1', authorization: 'JWT' },
    ]);
  });

  it('refuses an import nobody exports', async () => {
    // Prepare
    const broken = structuredClone(appStack);
    broken.Resources.Fn1.Properties.Environment.Variables.TABLE_NAME = {
      'Fn::ImportValue': 'Nope',
    };
    await writeFile(join(dir, 'App.template.json'), JSON.stringify(broken));

    // Act
    const loading = loadCloudModel(dir);

    // Assess
    await expect(loading).rejects.toBeInstanceOf(UnresolvableIntrinsicError);
  });
});
