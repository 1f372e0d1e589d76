import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import { InvalidConfigError } from '../../../infra/config.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

describe('buildApp', () => {
  let stacks: Stack[];

  beforeAll(() => {
    const app = buildApp({ context: noBundling });
    // Cross-stack references turn into stack dependencies while the assembly is prepared.
    app.synth();
    stacks = app.node.children.filter(Stack.isStack);
  }, 180_000);

  it('splits the app into Data, Workflows, Api, Scheduling and Observability stacks, named by stage', () => {
    // Prepare
    const expected = ['Data', 'Workflows', 'Api', 'Scheduling', 'Observability'].map(
      (name) => `Shanyu-Dev-${name}`,
    );

    // Act
    const names = stacks.map((stack) => stack.stackName);

    // Assess
    expect(names).toEqual(expected);
  });

  it('pins no account or region, so synth needs no credentials', () => {
    // Prepare
    const agnostic = 'aws://unknown-account/unknown-region';

    // Act
    const environments = stacks.map((stack) => stack.environment);

    // Assess
    expect(environments).toEqual(stacks.map(() => agnostic));
  });

  it('deploys data first and observability last', () => {
    // Prepare
    const [data, workflows, api, scheduling, observability] = stacks;

    // Act
    const dependencies = (stack: Stack | undefined) =>
      (stack?.dependencies ?? []).map((dependency) => dependency.stackName).sort();

    // Assess
    expect(dependencies(data)).toEqual([]);
    expect(dependencies(workflows)).toEqual(['Shanyu-Dev-Data']);
    expect(dependencies(api)).toEqual(['Shanyu-Dev-Data', 'Shanyu-Dev-Workflows']);
    expect(dependencies(scheduling)).toEqual(['Shanyu-Dev-Data', 'Shanyu-Dev-Workflows']);
    expect(dependencies(observability)).toEqual([
      'Shanyu-Dev-Api',
      'Shanyu-Dev-Scheduling',
      'Shanyu-Dev-Workflows',
    ]);
  });

  it('names prod stacks with the Prod prefix and protects them from deletion', () => {
    // Prepare
    const context = { ...noBundling, stage: 'prod', alarmEmails: 'ops@example.gov.cn' };

    // Act
    const prod = buildApp({ context }).node.children.filter(Stack.isStack);

    // Assess
    expect(prod.map((stack) => stack.stackName)).toEqual(
      ['Data', 'Workflows', 'Api', 'Scheduling', 'Observability'].map(
        (name) => `Shanyu-Prod-${name}`,
      ),
    );
    expect(prod[0]?.terminationProtection).toBe(true);
  });

  it('refuses context it cannot deploy with', () => {
    // Prepare
    const context = { ...noBundling, stage: 'production' };

    // Act
    const act = () => buildApp({ context });

    // Assess
    expect(act).toThrow(InvalidConfigError);
  });

  it('refuses a prod app whose alarms would reach nobody', () => {
    // Prepare
    const context = { ...noBundling, stage: 'prod' };

    // Act
    const act = () => buildApp({ context });

    // Assess
    expect(act).toThrow(/alarmEmails is required for stage=prod/);
  });
});
