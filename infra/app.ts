import { App, Tags } from 'aws-cdk-lib';
import { configFromContext } from './config.ts';
import featureFlags from './feature-flags.json' with { type: 'json' };
import { applyNagChecks } from './nag/nag-checks.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { ObservabilityStack } from './stacks/observability-stack.ts';
import { SchedulingStack } from './stacks/scheduling-stack.ts';
import { WorkflowsStack } from './stacks/workflows-stack.ts';

export interface BuildAppProps {
  /** Cloud assembly directory. @default the CLI's (`cdk.out`), or a temporary directory */
  readonly outdir?: string;
  /** Context values, e.g. `{ stage: 'prod' }` or `{ 'aws:cdk:bundling-stacks': [] }` in tests. */
  readonly context?: Record<string, unknown>;
}

const defaultContext = {
  // The feature flags `cdk init` recommends with aws-cdk-lib 2.276, pinned here rather than read
  // from the installed library, so that an upgrade cannot change the synthesized stacks unseen
  // (e.g. S3 access logs delivered under a bucket policy, not an ACL; minimized IAM policies).
  ...featureFlags,
  // Off: with it, publishing to a topic under the AWS-managed `alias/aws/sns` key would grant
  // kms:GenerateDataKey* on every key of the account, a grant that key does not even need.
  '@aws-cdk/aws-kms:applyImportedAliasPermissionsToPrincipal': false,
  // Cross-stack references become CloudFormation exports, which stop a producer stack from
  // deleting what a consumer still uses. Stated here so CDK stops warning about the default.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

/**
 * The whole deployment, one stack per lifecycle. Stacks pin no account or region and look nothing
 * up, so `cdk synth` works offline and without credentials.
 */
export function buildApp(props: BuildAppProps = {}): App {
  const app = new App({
    ...(props.outdir !== undefined ? { outdir: props.outdir } : {}),
    // Defaults only: `cdk.json` and `-c` override them.
    context: { ...defaultContext, ...props.context },
  });
  const config = configFromContext(app);
  const name = (stack: string) => `${config.prefix}${stack}`;

  const data = new DataStack(app, name('Data'), {
    config,
    description: 'Shanyu: case table and its encryption key',
    terminationProtection: config.isProd,
  });
  const workflows = new WorkflowsStack(app, name('Workflows'), {
    config,
    table: data.table,
    documents: data.documents,
    description: 'Shanyu: Step Functions workflows and their task functions',
  });
  const api = new ApiStack(app, name('Api'), {
    config,
    table: data.table,
    workflows: {
      subsidyClaim: workflows.subsidyClaim,
      providerRegistration: workflows.providerRegistration,
      tuitionWaiver: workflows.tuitionWaiver,
    },
    documents: data.documents,
    description: 'Shanyu: HTTP API, its identity provider and route functions',
  });
  const scheduling = new SchedulingStack(app, name('Scheduling'), {
    config,
    table: data.table,
    stateMachines: workflows.stateMachines,
    stateMachineNames: [
      workflows.subsidyClaim,
      workflows.providerRegistration,
      workflows.tuitionWaiver,
    ].map((workflow) => workflow.stateMachineName),
    description: 'Shanyu: scheduled jobs, their dead-letter queue and the staff notification topic',
  });
  new ObservabilityStack(app, name('Observability'), {
    config,
    functions: Object.fromEntries(
      [...api.functions, ...scheduling.functions].map((fn) => [fn.node.id, fn]),
    ),
    workflowFunctions: Object.fromEntries(workflows.functions.map((fn) => [fn.node.id, fn])),
    stateMachines: Object.fromEntries(workflows.stateMachines.map((sm) => [sm.node.id, sm])),
    httpApi: api.httpApi,
    deadLetterQueue: scheduling.deadLetterQueue,
    description: 'Shanyu: alarms and dashboard',
  });

  applyNagChecks(app);
  Tags.of(app).add('project', 'shanyu');
  Tags.of(app).add('stage', config.stage);
  return app;
}
