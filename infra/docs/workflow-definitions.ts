import { Stack } from 'aws-cdk-lib';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { buildApp } from '../app.ts';
import type { WorkflowsStack } from '../stacks/workflows-stack.ts';

/** A workflow's ASL as synthesized, under its state machine's construct id (`SubsidyClaim`). */
export interface WorkflowDefinition {
  readonly name: string;
  readonly definition: object;
}

/** The synthesized definition string is neither plain text nor a `Fn::Join` of text and tokens. */
export class UnresolvableDefinitionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UnresolvableDefinitionError';
  }
}

/**
 * Stands in for what CloudFormation fills into a definition (function ARNs, the partition). The
 * diagrams draw no resources, so one placeholder serves every token, and no logical id leaks into
 * the docs.
 */
const tokenPlaceholder = '<token>';

function definitionText(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  const join = (resolved as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
    throw new UnresolvableDefinitionError(`Unexpected definition: ${JSON.stringify(resolved)}`);
  }
  const [separator, parts] = join as [string, unknown[]];
  return parts.map((part) => (typeof part === 'string' ? part : tokenPlaceholder)).join(separator);
}

/**
 * Synthesizes the app in-process, as the unit tests do (no bundling, no CLI, nothing written to
 * disk), and returns each workflow's definition in the stack's order.
 */
export function synthesizedWorkflows(): WorkflowDefinition[] {
  const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = app.node.children.find(
    (child): child is WorkflowsStack => Stack.isStack(child) && 'stateMachines' in child,
  );
  if (stack === undefined) throw new UnresolvableDefinitionError('The app has no workflows stack');
  return stack.stateMachines.map((machine) => {
    const cfn = machine.node.defaultChild as CfnStateMachine;
    const text = definitionText(stack.resolve(cfn.definitionString));
    return { name: machine.node.id, definition: JSON.parse(text) as object };
  });
}
