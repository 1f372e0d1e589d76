import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

/** Every log group of the app, by stack, as synthesized for a stage. */
function logGroups(stage: 'dev' | 'prod') {
  // prod refuses to synthesize without someone to alarm.
  const app = buildApp({ context: { ...noBundling, stage, alarmEmails: 'ops@example.gov.cn' } });
  return app.node.children
    .filter((child): child is Stack => child instanceof Stack)
    .flatMap((stack) =>
      Object.entries(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).map(
        ([id, resource]) => ({ stack: stack.stackName, id, properties: resource.Properties }),
      ),
    );
}

describe('log groups', () => {
  it.each([
    ['dev', 30],
    ['prod', 365],
  ] as const)('in %s: every one is encrypted with a key and kept %i days', (stage, days) => {
    // Act
    const groups = logGroups(stage);

    // Assess
    expect(groups.length).toBeGreaterThan(10);
    const unencrypted = groups.filter((group) => group.properties.KmsKeyId === undefined);
    expect(unencrypted.map((group) => `${group.stack}/${group.id}`)).toEqual([]);
    const otherRetention = groups.filter((group) => group.properties.RetentionInDays !== days);
    expect(otherRetention.map((group) => `${group.stack}/${group.id}`)).toEqual([]);
  });
});
