import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import { parseConfig } from '../../../infra/config.ts';
import { ShanyuFunction } from '../../../infra/constructs/shanyu-function.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

/** The environment variables of a function, as its stack's template deploys them. */
function variablesOf(fn: ShanyuFunction): Record<string, unknown> {
  const stack = Stack.of(fn);
  const id = stack.getLogicalId(fn.node.defaultChild as CfnElement);
  const resource = Template.fromStack(stack).findResources('AWS::Lambda::Function')[id];
  return resource?.Properties.Environment.Variables ?? {};
}

describe('ShanyuFunction', () => {
  it('tells a function when the working day ends, 17:30 by default', () => {
    // Prepare
    const app = new App({ context: noBundling });
    const stack = new Stack(app, 'Test');
    const table = new Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
    });

    // Act
    const fn = new ShanyuFunction(stack, 'ListTasks', {
      entry: 'functions/http/list-tasks.ts',
      table,
      config: parseConfig({}),
    });

    // Assess
    expect(variablesOf(fn)).toMatchObject({ WORKDAY_ENDS_AT: '17:30' });
  });

  it('starts without reading its source map', () => {
    // Prepare
    const app = new App({ context: noBundling });
    const stack = new Stack(app, 'Test');
    const table = new Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
    });

    // Act
    const variables = variablesOf(
      new ShanyuFunction(stack, 'ListTasks', {
        entry: 'functions/http/list-tasks.ts',
        table,
        config: parseConfig({}),
      }),
    );

    // Assess
    expect(variables).toHaveProperty('TABLE_NAME');
    expect(variables).not.toHaveProperty('NODE_OPTIONS');
  });

  describe('in the whole app', () => {
    let functions: ShanyuFunction[];

    beforeAll(() => {
      const app = buildApp({ context: { ...noBundling, workdayEndsAt: '18:00' } });
      functions = app.node
        .findAll()
        .filter((construct): construct is ShanyuFunction => construct instanceof ShanyuFunction);
    }, 180_000);

    it('gives every function the configured end of the working day', () => {
      // Prepare
      const stacks = new Set(functions.map((fn) => Stack.of(fn).stackName));

      // Act
      const missing = functions
        .filter((fn) => variablesOf(fn).WORKDAY_ENDS_AT !== '18:00')
        .map((fn) => fn.node.path);

      // Assess: the route, workflow and job functions alike
      expect(stacks).toEqual(
        new Set(['Shanyu-Dev-Api', 'Shanyu-Dev-Workflows', 'Shanyu-Dev-Scheduling']),
      );
      expect(missing).toEqual([]);
    });
  });
});
