import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Runs cdk-nag's AWS Solutions and Serverless packs over the whole app as CDK policy-validation
 * plugins: synthesis fails on any finding, error or warning, that is not acknowledged on the
 * construct it concerns (or one of its parents). There is no app-wide acknowledgement.
 */
export function applyNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/**
 * Acknowledges one cdk-nag finding on one construct. `finding` is the bracketed part of an
 * IAM5-style id (`Resource::…`, `Action::…`); the reason is what a security reviewer reads.
 */
export function acknowledge(
  scope: IConstruct,
  rule: string,
  reason: string,
  finding?: string,
): void {
  Validations.of(scope).acknowledge({
    id: finding === undefined ? rule : `${rule}[${finding}]`,
    reason,
  });
}

/**
 * How cdk-nag spells a CloudFormation attribute of a resource in the same stack
 * (`<LogicalId.Arn>`), so that a finding naming it can be acknowledged exactly.
 */
export function nagAttribute(resource: IConstruct, attribute = 'Arn'): string {
  const cfn = resource.node.defaultChild ?? resource;
  const logicalId = Stack.of(resource).resolve((cfn as { logicalId?: string }).logicalId);
  return `<${String(logicalId)}.${attribute}>`;
}
