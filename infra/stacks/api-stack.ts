import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  type CfnStateMachineAlias,
  type CfnStateMachineVersion,
  type IStateMachine,
  StateMachineGrants,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { notFoundRoute, type RouteDefinition, routes } from '../../functions/http/routes.ts';
import type { ShanyuConfig } from '../config.ts';
import { type DocumentsStore, grantDocumentsAccess } from '../constructs/documents-access.ts';
import { ShanyuFunction } from '../constructs/shanyu-function.ts';
import { ShanyuUserPool } from '../constructs/shanyu-user-pool.ts';
import { acknowledge } from '../nag/nag-checks.ts';
import { logsKeyOfTable } from './data-stack.ts';
import { grantExecutions } from './execution-grants.ts';

export type WorkflowName = NonNullable<RouteDefinition['startsWorkflow']>;

/**
 * The environment variables through which a workflow-starting function learns where to start
 * (`alias`: the `live` alias, so new cases run the newest version) and which version that is
 * (`version`, recorded on the case).
 */
export const workflowArnVariables = {
  subsidyClaim: {
    alias: 'SUBSIDY_CLAIM_STATE_MACHINE_ARN',
    version: 'SUBSIDY_CLAIM_STATE_MACHINE_VERSION_ARN',
  },
  providerRegistration: {
    alias: 'PROVIDER_REGISTRATION_STATE_MACHINE_ARN',
    version: 'PROVIDER_REGISTRATION_STATE_MACHINE_VERSION_ARN',
  },
  tuitionWaiver: {
    alias: 'TUITION_WAIVER_STATE_MACHINE_ARN',
    version: 'TUITION_WAIVER_STATE_MACHINE_VERSION_ARN',
  },
} as const satisfies Record<WorkflowName, { alias: string; version: string }>;

/** A deployed workflow: its state machine, the version `live` points at, and the alias. */
export interface ApiWorkflow {
  readonly stateMachine: IStateMachine;
  /** The state machine's name, known at synthesis: its executions' ARNs are built from it. */
  readonly stateMachineName: string;
  readonly version: CfnStateMachineVersion;
  readonly alias: CfnStateMachineAlias;
}

/**
 * StartExecution through the alias only. IAM authorises a qualified start against the state
 * machine's ARN, with the qualifier in `states:StateMachineQualifier`; the alias ARN is listed
 * too, for the checks made against it.
 */
function grantStartThroughAlias(workflow: ApiWorkflow, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['states:StartExecution'],
      resources: [workflow.stateMachine.stateMachineArn, workflow.alias.attrArn],
      conditions: {
        StringEquals: { 'states:StateMachineQualifier': workflow.alias.name },
      },
    }),
  );
}

/**
 * One JSON line per request. The caller appears only as the token's `sub`: enough to trace a
 * request, without names or ID numbers in the logs.
 */
const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

export interface ApiStackProps extends StackProps {
  readonly config: ShanyuConfig;
  readonly table: ITable;
  /**
   * Every workflow: routes start them (`startsWorkflow`), answer their tasks (`answersTasks`)
   * or stop their executions (`stopsWorkflows`).
   */
  readonly workflows: Readonly<Record<WorkflowName, ApiWorkflow>>;
  /** Uploaded files; routes flagged `documents` get its name and their access to it. */
  readonly documents: DocumentsStore;
}

/** The HTTP API: a JWT authorizer, one function per catalogue route, and a JSON 404 for the rest. */
export class ApiStack extends Stack {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  /** Route functions by route id (`routes[].id`, plus `notFoundRoute.id`). */
  public readonly routeFunctions: Readonly<Record<string, ShanyuFunction>>;
  /** Every function of this stack, for alarms. */
  public readonly functions: readonly ShanyuFunction[];
  /** Only when no external OIDC issuer is configured. */
  public readonly userPool?: ShanyuUserPool;
  /** Only when a custom domain is configured (`apiDomainName`, `apiCertificateArn`). */
  public readonly domainName?: DomainName;

  public constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const idp = config.identityProvider;

    let issuer: string;
    let audience: readonly string[];
    if (idp.kind === 'oidc') {
      ({ issuer, audience } = idp);
    } else {
      this.userPool = new ShanyuUserPool(this, 'Identity', { config, groups: idp.groups });
      ({ issuer, audience } = this.userPool);
    }
    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', issuer, {
      authorizerName: 'jwt',
      jwtAudience: [...audience],
      identitySource: ['$request.header.Authorization'],
    });

    const notFound = new ShanyuFunction(this, notFoundRoute.id, {
      entry: notFoundRoute.entry,
      table,
      readOnly: true,
      config,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${config.prefix}Api`,
      // Unknown routes reach our function unauthenticated, so they get our JSON error shape
      // instead of API Gateway's; it answers 404 or 405 and never touches data.
      defaultIntegration: new HttpLambdaIntegration(`${notFoundRoute.id}Integration`, notFound),
      createDefaultStage: false,
    });
    const defaultRoute = this.httpApi.node.tryFindChild('DefaultRoute');
    if (defaultRoute) {
      acknowledge(
        defaultRoute,
        'AwsSolutions-APIG4',
        'The catch-all route answers every unknown path with a JSON 404/405 from a function ' +
          'that reads no data; authorising it would turn 404s into 401s and reveal nothing.',
      );
    }
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogGroup', {
            retention: config.logRetention,
            encryptionKey: logsKeyOfTable.get(table),
            removalPolicy: config.removalPolicy,
          }),
        ),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const routeFunctions: Record<string, ShanyuFunction> = { [notFoundRoute.id]: notFound };
    const workflows = Object.values<ApiWorkflow>(props.workflows);
    for (const route of routes) {
      const workflow = route.startsWorkflow ? props.workflows[route.startsWorkflow] : undefined;
      const variables = route.startsWorkflow
        ? workflowArnVariables[route.startsWorkflow]
        : undefined;
      const fn = new ShanyuFunction(this, route.id, {
        entry: route.entry,
        table,
        readOnly: route.readOnly ?? false,
        readsIdKey: route.readsIdKey ?? false,
        config,
        environment:
          workflow && variables
            ? {
                [variables.alias]: workflow.alias.attrArn,
                [variables.version]: workflow.version.attrArn,
              }
            : {},
      });
      if (workflow) grantStartThroughAlias(workflow, fn);
      if (route.documents) grantDocumentsAccess(fn, props.documents, route.documents);
      // Tasks and executions are named by token or ARN, whichever workflow they belong to.
      for (const { stateMachine } of workflows) {
        if (route.answersTasks) StateMachineGrants.fromStateMachine(stateMachine).taskResponse(fn);
      }
      const names = workflows.map((workflow) => workflow.stateMachineName);
      // To tell a decision the workflow already took from one it refused (see deliverDecision).
      if (route.answersTasks) grantExecutions(fn, names, ['states:GetExecutionHistory']);
      if (route.stopsWorkflows) {
        grantExecutions(fn, names, ['states:StopExecution', 'states:DescribeExecution']);
      }
      const [apiRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
        ...(route.public ? {} : { authorizer }),
      });
      if (route.public && apiRoute) {
        acknowledge(
          apiRoute,
          'AwsSolutions-APIG4',
          'A public route of the catalogue (`public: true`): the registry of registered ' +
            'providers is published to everyone, and the function returns public fields only.',
        );
      }
      routeFunctions[route.id] = fn;
    }
    this.routeFunctions = routeFunctions;
    this.functions = Object.values(routeFunctions);

    if (config.apiDomain) {
      // Regional, so the certificate lives in the API's own region and DNS (a CNAME or alias
      // record, outside this app) points at the regional name printed below.
      this.domainName = new DomainName(this, 'ApiDomainName', {
        domainName: config.apiDomain.domainName,
        certificate: Certificate.fromCertificateArn(
          this,
          'ApiCertificate',
          config.apiDomain.certificateArn,
        ),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'ApiMapping', {
        api: this.httpApi,
        domainName: this.domainName,
        stage: this.stage,
      });
      new CfnOutput(this, 'ApiDomainUrl', { value: `https://${config.apiDomain.domainName}/` });
      new CfnOutput(this, 'ApiDomainTarget', {
        description: `Point ${config.apiDomain.domainName} here (CNAME, or an alias record)`,
        value: this.domainName.regionalDomainName,
      });
      new CfnOutput(this, 'ApiDomainHostedZoneId', {
        description: 'The hosted zone of ApiDomainTarget, for a Route 53 alias record',
        value: this.domainName.regionalHostedZoneId,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'JwtIssuer', { value: issuer });
    if (this.userPool) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.userPool.client.userPoolClientId });
    }
  }
}
