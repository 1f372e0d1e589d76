import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';

interface AlarmProperties {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: unknown }[];
  AlarmActions: unknown[];
  Threshold: number;
}

/** What the alarms' dimensions look like once CloudFormation resolves the cross-stack import. */
function exportedRef(app: App, stackName: string, logicalId: string): unknown {
  const outputs = Template.fromStack(app.node.findChild(stackName) as Stack).findOutputs('*', {
    Value: { Ref: logicalId },
  });
  const name = Object.values(outputs)[0]?.Export.Name;
  if (!name) throw new Error(`${stackName} exports no Ref of ${logicalId}`);
  return { 'Fn::ImportValue': name };
}

describe('ObservabilityStack', () => {
  let app: App;
  let template: Template;
  let alarms: AlarmProperties[];

  beforeAll(() => {
    app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    template = Template.fromStack(app.node.findChild('Shanyu-Dev-Observability') as Stack);
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties as AlarmProperties,
    );
  }, 180_000);

  it('alarms on Errors and Throttles of every Lambda function in the app', () => {
    // Prepare
    const functions = ['Shanyu-Dev-Workflows', 'Shanyu-Dev-Api', 'Shanyu-Dev-Scheduling'].flatMap(
      (stackName) => {
        const stack = Template.fromStack(app.node.findChild(stackName) as Stack);
        return Object.keys(stack.findResources('AWS::Lambda::Function')).map((id) =>
          exportedRef(app, stackName, id),
        );
      },
    );

    // Act
    const watched = (metricName: string) =>
      alarms
        .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === metricName)
        .map(
          (alarm) => alarm.Dimensions.find((dimension) => dimension.Name === 'FunctionName')?.Value,
        );

    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(3);
    expect(watched('Errors')).toEqual(expect.arrayContaining(functions));
    expect(watched('Errors')).toHaveLength(functions.length);
    expect(watched('Throttles')).toEqual(expect.arrayContaining(functions));
    expect(watched('Throttles')).toHaveLength(functions.length);
  });

  it('alarms on failed and timed-out executions of every state machine', () => {
    // Prepare
    const workflows = Template.fromStack(app.node.findChild('Shanyu-Dev-Workflows') as Stack);
    const machineIds = Object.keys(workflows.findResources('AWS::StepFunctions::StateMachine'));
    const machines = machineIds.map((id) => exportedRef(app, 'Shanyu-Dev-Workflows', id));

    // Act
    const watched = alarms
      .filter((alarm) => alarm.Namespace === 'AWS/States')
      .map((alarm) => [alarm.MetricName, alarm.Dimensions[0]?.Value]);

    // Assess
    expect(machines).toHaveLength(3);
    expect(watched).toEqual(
      machines.flatMap((machine) => [
        ['ExecutionsFailed', machine],
        ['ExecutionsTimedOut', machine],
      ]),
    );
  });

  it('alarms on the HTTP API answering 5xx', () => {
    // Prepare
    const api = Template.fromStack(app.node.findChild('Shanyu-Dev-Api') as Stack);
    const [apiId] = Object.keys(api.findResources('AWS::ApiGatewayV2::Api'));
    const apiRef = exportedRef(app, 'Shanyu-Dev-Api', apiId as string);

    // Act
    const watched = alarms.filter((alarm) => alarm.Namespace === 'AWS/ApiGateway');

    // Assess
    expect(watched).toHaveLength(1);
    expect(watched[0]?.MetricName).toBe('5xx');
    expect(watched[0]?.Dimensions).toEqual([{ Name: 'ApiId', Value: apiRef }]);
  });

  it('notifies the alarm topic from every alarm, on the first occurrence', () => {
    // Prepare
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));

    // Act
    const notifying = alarms.filter(
      (alarm) => JSON.stringify(alarm.AlarmActions) === JSON.stringify([{ Ref: topicId }]),
    );

    // Assess
    expect(alarms.length).toBeGreaterThan(0);
    expect(notifying).toHaveLength(alarms.length);
    expect(alarms.every((alarm) => alarm.Threshold === 1)).toBe(true);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
