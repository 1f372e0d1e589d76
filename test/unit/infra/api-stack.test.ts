import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { notFoundRoute, routes } from '../../../functions/http/routes.ts';
import { buildApp } from '../../../infra/app.ts';
import {
  type ApiStack,
  type WorkflowName,
  workflowArnVariables,
} from '../../../infra/stacks/api-stack.ts';
import type { WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';
import { roles } from '../../../shared/auth/roles.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

interface Statement {
  Effect?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** The statements of the policy attached to a function's role, by the function's route id. */
function statementsOf(template: Template, stack: ApiStack, routeId: string): Statement[] {
  const fn = stack.routeFunctions[routeId];
  if (!fn?.role) throw new Error(`No function for route ${routeId}`);
  const roleId = logicalId(stack, fn.role);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

const actionsOf = (statements: Statement[]) =>
  statements.flatMap((statement) => [statement.Action].flat());

/** The statements of a route function's policy that allow Step Functions actions. */
function statesStatements(template: Template, stack: ApiStack, routeId: string): Statement[] {
  return statementsOf(template, stack, routeId).filter((statement) =>
    actionsOf([statement]).some((action) => action.startsWith('states:')),
  );
}

/**
 * Stands in for CloudFormation on an ARN built from pseudo parameters and a state machine ARN
 * imported from the Workflows stack, as `Fn::Select`/`Fn::Split` of it: `machineNames` names the
 * state machine behind each export.
 */
function resolveArn(value: unknown, machineNames: Readonly<Record<string, string>>): string {
  const machineArn = (exportName: string) => {
    const machineName = machineNames[exportName];
    if (!machineName) throw new Error(`No state machine is exported as ${exportName}`);
    return `arn:aws:states:cn-north-1:123456789012:stateMachine:${machineName}`;
  };
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'cn-north-1',
    'AWS::AccountId': '123456789012',
  };
  const resolve = (token: unknown): unknown => {
    if (typeof token === 'string') return token;
    const node = token as Record<string, unknown>;
    if (typeof node.Ref === 'string') return pseudo[node.Ref] ?? `<${node.Ref}>`;
    if (node['Fn::ImportValue']) return machineArn(String(node['Fn::ImportValue']));
    if (node['Fn::Join']) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => String(resolve(part))).join(separator);
    }
    if (node['Fn::Split']) {
      const [separator, text] = node['Fn::Split'] as [string, unknown];
      return String(resolve(text)).split(separator);
    }
    if (node['Fn::Select']) {
      const [index, list] = node['Fn::Select'] as [number, unknown];
      return (resolve(list) as unknown[])[index];
    }
    throw new Error(`Unexpected token ${JSON.stringify(token)}`);
  };
  return String(resolve(value));
}

/**
 * A policy's statements as the permissions they grant, one line per action × resource (×
 * condition), sorted: how CDK groups or orders statements (`minimizePolicies`) does not change it.
 */
function permissionsOf(
  statements: readonly { Action: unknown; Resource: unknown; Condition?: unknown }[],
  resolveResource: (resource: unknown) => unknown = (resource) => resource,
): string[] {
  return statements
    .flatMap((statement) =>
      [statement.Action]
        .flat()
        .flatMap((action) =>
          [statement.Resource]
            .flat()
            .map((resource) =>
              JSON.stringify([action, resolveResource(resource), statement.Condition ?? null]),
            ),
        ),
    )
    .sort();
}

/** The name of the export, or of the plain output, through which `value` leaves `producer`. */
function outputOf(producer: Template, value: unknown): { name: string; exportName?: string } {
  const [entry] = Object.entries(producer.findOutputs('*', { Value: value }));
  if (!entry) throw new Error(`No output of ${JSON.stringify(value)}`);
  return { name: entry[0], exportName: entry[1].Export?.Name };
}

/** How the Workflows stack hands one workflow to the API stack. */
interface WorkflowOutputs {
  /** The state machine's name, as its execution ARNs carry it. */
  machineName: string;
  stateMachineExport?: string;
  aliasExport?: string;
  /** A plain output, not an export: the version changes with every definition. */
  versionOutput: string;
}

const workflowNames = [
  'subsidyClaim',
  'providerRegistration',
  'tuitionWaiver',
] as const satisfies WorkflowName[];

describe('ApiStack with the default Cognito user pool', () => {
  let stack: ApiStack;
  let template: Template;
  let outputs: Record<WorkflowName, WorkflowOutputs>;
  /** State machine name by export name, for resolveArn. */
  let machineNames: Record<string, string>;

  beforeAll(() => {
    const app = buildApp({ context: noBundling });
    stack = app.node.findChild('Shanyu-Dev-Api') as ApiStack;
    template = Template.fromStack(stack);
    const workflows = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
    const producer = Template.fromStack(workflows);
    const outputsOf = (name: WorkflowName): WorkflowOutputs => {
      const { stateMachine, version, alias } = workflows[name];
      return {
        machineName: `Shanyu-Dev-${stateMachine.node.id}`,
        stateMachineExport: outputOf(producer, { Ref: logicalId(workflows, stateMachine) })
          .exportName,
        aliasExport: outputOf(producer, { 'Fn::GetAtt': [workflows.getLogicalId(alias), 'Arn'] })
          .exportName,
        versionOutput: outputOf(producer, {
          'Fn::GetAtt': [workflows.getLogicalId(version), 'Arn'],
        }).name,
      };
    };
    outputs = {
      subsidyClaim: outputsOf('subsidyClaim'),
      providerRegistration: outputsOf('providerRegistration'),
      tuitionWaiver: outputsOf('tuitionWaiver'),
    };
    machineNames = Object.fromEntries(
      Object.values(outputs).map((workflow) => [workflow.stateMachineExport, workflow.machineName]),
    );
  }, 120_000);

  it('deploys one JWT-authorized route per catalogue entry (open if public), plus an open $default', () => {
    // Prepare
    const expected = [...routes.map((route) => `${route.method} ${route.path}`), '$default'];
    const open = new Set([
      '$default',
      ...routes.filter((route) => route.public).map((route) => `${route.method} ${route.path}`),
    ]);

    // Act
    const deployed = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties,
    );
    const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));

    // Assess
    expect(deployed.map((route) => route.RouteKey).sort()).toEqual(expected.sort());
    expect(open.has('GET /v1/providers')).toBe(true);
    for (const route of deployed) {
      if (open.has(route.RouteKey)) {
        expect(route.AuthorizationType).toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      } else {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    }
  });

  it.each([
    ...routes.map((route) => [`${route.method} ${route.path}`, route.id] as const),
    ['$default', notFoundRoute.id] as const,
  ])('sends %s to the %s function', (routeKey, routeId) => {
    // Prepare
    const functionId = logicalId(stack, stack.routeFunctions[routeId] as never);

    // Act
    const route = Object.values(
      template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
    )[0];
    const target = route?.Properties.Target as
      | { 'Fn::Join': [string, [string, { Ref: string }]] }
      | undefined;
    const integration = template.toJSON().Resources[target?.['Fn::Join'][1][1].Ref ?? ''];

    // Assess
    expect(integration.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
  });

  it('runs every route function on Node 22, arm64, with tracing', () => {
    // Prepare
    const expected = {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    };

    // Act
    const matching = template.findResources('AWS::Lambda::Function', { Properties: expected });

    // Assess
    expect(Object.keys(matching)).toHaveLength(routes.length + 1);
    template.resourceCountIs('AWS::Lambda::Function', routes.length + 1);
  });

  it('verifies JWTs issued by its user pool for its app client', () => {
    // Prepare
    const poolId = logicalId(stack, stack.userPool?.userPool as never);
    const clientId = logicalId(stack, stack.userPool?.client as never);

    // Act
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');

    // Assess
    expect(Object.keys(authorizers)).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
        Audience: [{ Ref: clientId }],
      },
    });
  });

  it('creates one Cognito group per role and the district/providerId attributes', () => {
    // Prepare
    const schema = ['district', 'providerId'].map((name) =>
      Match.objectLike({ Name: name, AttributeDataType: 'String', Mutable: true }),
    );

    // Act
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );

    // Assess
    expect(groups.sort()).toEqual([...roles].sort());
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith(schema),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it('does not let users write the attributes that scope their access', () => {
    // Prepare
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0];

    // Act
    const writable = client?.Properties.WriteAttributes as string[];
    const readable = client?.Properties.ReadAttributes as string[];

    // Assess
    expect(writable.filter((name) => name.startsWith('custom:'))).toEqual([]);
    expect(readable).toEqual(expect.arrayContaining(['custom:district', 'custom:providerId']));
  });

  it('checks every workflow the routes start, each with its own variables', () => {
    // Prepare
    const started = new Set(routes.map((route) => route.startsWorkflow).filter(Boolean));

    // Act
    const checked = [...workflowNames].sort();

    // Assess
    expect(checked).toEqual([...started].sort());
    expect(checked).toEqual(Object.keys(workflowArnVariables).sort());
    expect(workflowArnVariables.tuitionWaiver).toEqual({
      alias: 'TUITION_WAIVER_STATE_MACHINE_ARN',
      version: 'TUITION_WAIVER_STATE_MACHINE_VERSION_ARN',
    });
  });

  it.each(workflowNames)(
    'lets %s-starting routes start executions only through its live alias',
    (name) => {
      // Prepare
      const starters = routes.filter((route) => route.startsWorkflow === name);
      const { stateMachineExport, aliasExport } = outputs[name];

      // Act
      const grants = starters.map((route) => statesStatements(template, stack, route.id));

      // Assess
      expect(starters.length).toBeGreaterThan(0);
      expect(stateMachineExport).toMatch(/^Shanyu-Dev-Workflows:/);
      expect(aliasExport).toMatch(/^Shanyu-Dev-Workflows:/);
      for (const statements of grants) {
        expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
        expect(permissionsOf(statements)).toEqual(
          permissionsOf([
            {
              Action: 'states:StartExecution',
              Condition: { StringEquals: { 'states:StateMachineQualifier': 'live' } },
              Resource: [
                { 'Fn::ImportValue': stateMachineExport },
                { 'Fn::ImportValue': aliasExport },
              ],
            },
          ]),
        );
      }
    },
  );

  it("lets task-answering routes send every workflow's task results and read its execution histories, and nothing else", () => {
    // Prepare
    const answerers = routes.filter((route) => route.answersTasks);
    const expected = [
      ...workflowNames.map((name) => ({
        Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        Resource: `arn:aws:states:cn-north-1:123456789012:stateMachine:${outputs[name].machineName}`,
      })),
      {
        Action: 'states:GetExecutionHistory',
        Resource: workflowNames.map(
          (name) =>
            `arn:aws:states:cn-north-1:123456789012:execution:${outputs[name].machineName}:*`,
        ),
      },
    ];

    // Act
    const grants = answerers.map((route) =>
      permissionsOf(statesStatements(template, stack, route.id), (resource) =>
        resolveArn(resource, machineNames),
      ),
    );

    // Assess
    expect(answerers.length).toBeGreaterThan(0);
    for (const permissions of grants) expect(permissions).toEqual(permissionsOf(expected));
  });

  it("lets workflow-stopping routes stop and describe every workflow's executions", () => {
    // Prepare
    const stoppers = routes.filter((route) => route.stopsWorkflows);
    const expected = [
      {
        Action: ['states:StopExecution', 'states:DescribeExecution'],
        Resource: workflowNames.map(
          (name) =>
            `arn:aws:states:cn-north-1:123456789012:execution:${outputs[name].machineName}:*`,
        ),
      },
    ];

    // Act
    const grants = stoppers.map((route) =>
      permissionsOf(statesStatements(template, stack, route.id), (resource) =>
        resolveArn(resource, machineNames),
      ),
    );

    // Assess
    expect(stoppers.length).toBeGreaterThan(0);
    for (const permissions of grants) expect(permissions).toEqual(permissionsOf(expected));
  });

  it('gives routes without a workflow flag no Step Functions permissions', () => {
    // Prepare
    const others = [
      ...routes.filter(
        (route) => !route.startsWorkflow && !route.answersTasks && !route.stopsWorkflows,
      ),
      notFoundRoute,
    ];

    // Act
    const grants = others.flatMap((route) => statesStatements(template, stack, route.id));

    // Assess
    expect(others.length).toBeGreaterThan(0);
    expect(grants).toEqual([]);
  });

  it.each(workflowNames)(
    "tells %s-starting routes its live alias to start and the version it runs, and no other workflow's",
    (name) => {
      // Prepare
      const starters = routes.filter((route) => route.startsWorkflow === name);
      const { aliasExport, versionOutput } = outputs[name];
      const names = workflowArnVariables[name];
      const others = workflowNames
        .filter((other) => other !== name)
        .flatMap((other) => Object.values(workflowArnVariables[other]));

      // Act
      const variables = starters.map((route) => {
        const fnId = logicalId(stack, stack.routeFunctions[route.id] as never);
        return template.toJSON().Resources[fnId].Properties.Environment.Variables;
      });

      // Assess
      expect(variables.length).toBeGreaterThan(0);
      expect(variables).toHaveLength(starters.length);
      expect(others.length).toBeGreaterThan(0);
      for (const variable of variables) {
        expect(variable[names.alias]).toEqual({ 'Fn::ImportValue': aliasExport });
        // A plain output, not an export: the version changes with every definition.
        expect(variable[names.version]).toEqual({
          'Fn::GetStackOutput': {
            StackName: 'Shanyu-Dev-Workflows',
            Region: { Ref: 'AWS::Region' },
            OutputName: versionOutput,
          },
        });
        for (const other of others) expect(variable).not.toHaveProperty(other);
      }
    },
  );

  it('gives read-only routes no write access to the table', () => {
    // Prepare
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
    const readOnly = routes.filter((route) => route.readOnly);
    const writers = routes.filter((route) => !route.readOnly);

    // Act
    const actions = (routeId: string) => actionsOf(statementsOf(template, stack, routeId));

    // Assess
    expect(readOnly.length).toBeGreaterThan(0);
    for (const route of [...readOnly, notFoundRoute]) {
      expect(actions(route.id)).toContain('dynamodb:Query');
      for (const write of writes) expect(actions(route.id)).not.toContain(write);
    }
    for (const route of writers) expect(actions(route.id)).toEqual(expect.arrayContaining(writes));
  });

  it('never allows a table Scan', () => {
    // Prepare
    const allRouteIds = [...routes, notFoundRoute].map((route) => route.id);

    // Act
    const actions = allRouteIds.flatMap((routeId) =>
      actionsOf(statementsOf(template, stack, routeId)),
    );

    // Assess
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((action) => /^dynamodb:(Scan|\*)$/.test(action))).toEqual([]);
  });

  it('writes JSON access logs to a log group and throttles the stage', () => {
    // Prepare
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const logGroupId = logicalId(stack, stack.node.findChild('AccessLogGroup'));

    // Act
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format as string);

    // Assess
    expect(stage?.Properties.StageName).toBe('$default');
    expect(stage?.Properties.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logGroupId, 'Arn'],
    });
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(stage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: expect.any(Number),
      ThrottlingRateLimit: expect.any(Number),
    });
  });

  it('creates no custom domain unless one is configured', () => {
    // Prepare
    const domainTypes = ['AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping'];

    // Act
    const counts = domainTypes.map((type) => Object.keys(template.findResources(type)).length);

    // Assess
    expect(counts).toEqual([0, 0]);
    expect(stack.domainName).toBeUndefined();
    expect(Object.keys(template.findOutputs('ApiDomainTarget'))).toEqual([]);
  });
});

describe('ApiStack with an external OIDC issuer', () => {
  let template: Template;

  beforeAll(() => {
    const app = buildApp({
      context: {
        ...noBundling,
        jwtIssuer: 'https://oidc.zjzwfw.gov.cn',
        jwtAudience: 'shanyu-web,shanyu-app',
      },
    });
    template = Template.fromStack(app.node.findChild('Shanyu-Dev-Api') as ApiStack);
  }, 120_000);

  it('verifies JWTs against the configured issuer and audience', () => {
    // Prepare
    const expected = {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: 'https://oidc.zjzwfw.gov.cn',
        Audience: ['shanyu-web', 'shanyu-app'],
      },
    };

    // Act
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer', {
      Properties: expected,
    });

    // Assess
    expect(Object.keys(authorizers)).toHaveLength(1);
  });

  it('creates no Cognito user pool', () => {
    // Prepare
    const cognitoTypes = ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient'];

    // Act
    const counts = cognitoTypes.map((type) => Object.keys(template.findResources(type)).length);

    // Assess
    expect(counts).toEqual([0, 0]);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + 1);
  });
});

describe('ApiStack with a custom domain', () => {
  const domain = {
    apiDomainName: 'api.shanyu.example.gov.cn',
    apiCertificateArn: 'arn:aws:acm:cn-north-1:123456789012:certificate/0a1b2c3d',
  };
  let stack: ApiStack;
  let template: Template;

  beforeAll(() => {
    const app = buildApp({ context: { ...noBundling, ...domain } });
    stack = app.node.findChild('Shanyu-Dev-Api') as ApiStack;
    template = Template.fromStack(stack);
  }, 120_000);

  it('serves the API on the domain with the configured certificate and TLS 1.2', () => {
    // Prepare
    const expected = {
      DomainName: domain.apiDomainName,
      DomainNameConfigurations: [
        {
          CertificateArn: domain.apiCertificateArn,
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        },
      ],
    };

    // Act
    const domains = template.findResources('AWS::ApiGatewayV2::DomainName');

    // Assess
    expect(Object.values(domains).map((resource) => resource.Properties)).toEqual([
      expect.objectContaining(expected),
    ]);
  });

  it('maps the domain to the $default stage of the HTTP API', () => {
    // Prepare
    const apiId = logicalId(stack, stack.httpApi);
    const domainId = logicalId(stack, stack.node.findChild('ApiDomainName'));

    // Act
    const mappings = template.findResources('AWS::ApiGatewayV2::ApiMapping');

    // Assess
    expect(Object.values(mappings).map((resource) => resource.Properties)).toEqual([
      { ApiId: { Ref: apiId }, DomainName: { Ref: domainId }, Stage: '$default' },
    ]);
  });

  it('prints the regional domain name and hosted zone to point DNS at', () => {
    // Prepare
    const domainId = logicalId(stack, stack.node.findChild('ApiDomainName'));

    // Act
    const outputs = template.findOutputs('*');

    // Assess
    expect(outputs.ApiDomainTarget?.Value).toEqual({
      'Fn::GetAtt': [domainId, 'RegionalDomainName'],
    });
    expect(outputs.ApiDomainHostedZoneId?.Value).toEqual({
      'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'],
    });
    expect(outputs.ApiDomainUrl?.Value).toBe(`https://${domain.apiDomainName}/`);
  });
});

describe('the user pool second factor', () => {
  const mfaOf = (context: Record<string, unknown>) => {
    const app = buildApp({ context: { ...noBundling, ...context } });
    const stage = context.stage === 'prod' ? 'Prod' : 'Dev';
    const template = Template.fromStack(app.node.findChild(`Shanyu-${stage}-Api`) as ApiStack);
    const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
    return { mfa: pool?.Properties.MfaConfiguration, totp: pool?.Properties.EnabledMfas };
  };
  const prod = { stage: 'prod', alarmEmails: 'ops@example.gov.cn' };

  it('is required in prod, by TOTP', () => {
    // Act
    const { mfa, totp } = mfaOf(prod);

    // Assess
    expect(mfa).toBe('ON');
    expect(totp).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('is optional in dev, or in prod when the operators say so', () => {
    // Act
    const dev = mfaOf({});
    const optedOut = mfaOf({ ...prod, userPoolMfa: 'optional' });

    // Assess
    expect(dev.mfa).toBe('OPTIONAL');
    expect(optedOut.mfa).toBe('OPTIONAL');
  });
});
