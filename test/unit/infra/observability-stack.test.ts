import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../../functions/scheduled/jobs.ts';
import { buildApp } from '../../../infra/app.ts';
import { alarmsPerWidget } from '../../../infra/stacks/observability-stack.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

interface MetricDataQuery {
  Id: string;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] };
    Period: number;
    Stat: string;
  };
  ReturnData?: boolean;
}

interface AlarmProperties {
  AlarmName: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions: { Name: string; Value: unknown }[];
  Metrics?: MetricDataQuery[];
  AlarmActions: unknown[];
  Threshold: number;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  ComparisonOperator: string;
}

function alarmsOf(template: Template): AlarmProperties[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as AlarmProperties,
  );
}

/** The dashboard's JSON with every CloudFormation token in it replaced by `"<token>"`. */
function dashboardBody(template: Template): { widgets: { properties: Record<string, unknown> }[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard?.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<token>')).join('');
  return JSON.parse(text);
}

/** Seconds between runs of a `rate(n minutes)` schedule. */
function rateSeconds(schedule: string): number {
  const match = /^rate\((\d+) minutes?\)$/.exec(schedule);
  if (!match) throw new Error(`Not a rate in minutes: ${schedule}`);
  return Number(match[1]) * 60;
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

/** The refs, as the alarms see them, of every Lambda function in the named stacks. */
function functionRefs(app: App, stackNames: string[]): unknown[] {
  return stackNames.flatMap((stackName) => {
    const stack = Template.fromStack(app.node.findChild(stackName) as Stack);
    return Object.keys(stack.findResources('AWS::Lambda::Function')).map((id) =>
      exportedRef(app, stackName, id),
    );
  });
}

/** The function an AWS/Lambda alarm watches. */
const functionOf = (alarm: AlarmProperties): unknown =>
  alarm.Dimensions.find((dimension) => dimension.Name === 'FunctionName')?.Value;

/** Whether an alarm watches one of the functions (refs are objects: compare them by value). */
const watchesOneOf = (alarm: AlarmProperties, functions: unknown[]): boolean =>
  functions.some((fn) => JSON.stringify(fn) === JSON.stringify(functionOf(alarm)));

describe('ObservabilityStack', () => {
  let app: App;
  let template: Template;
  let alarms: AlarmProperties[];
  /** Functions a request or a schedule runs: their first error pages. */
  let entryFunctions: unknown[];
  /** Functions state machines' tasks invoke: only errors that persist page. */
  let workflowFunctions: unknown[];

  beforeAll(() => {
    app = buildApp({ context: noBundling });
    template = Template.fromStack(app.node.findChild('Shanyu-Dev-Observability') as Stack);
    alarms = alarmsOf(template);
    entryFunctions = functionRefs(app, ['Shanyu-Dev-Api', 'Shanyu-Dev-Scheduling']);
    workflowFunctions = functionRefs(app, ['Shanyu-Dev-Workflows']);
  }, 180_000);

  it('alarms on Errors and Throttles of every Lambda function in the app', () => {
    // Prepare
    const functions = [...entryFunctions, ...workflowFunctions];

    // Act
    const watched = (metricName: string) =>
      alarms
        .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === metricName)
        .map(functionOf);

    // Assess
    expect(entryFunctions.length).toBeGreaterThanOrEqual(2);
    expect(workflowFunctions.length).toBeGreaterThanOrEqual(1);
    expect(watched('Errors')).toEqual(expect.arrayContaining(functions));
    expect(watched('Errors')).toHaveLength(functions.length);
    expect(watched('Throttles')).toEqual(expect.arrayContaining(functions));
    expect(watched('Throttles')).toHaveLength(functions.length);
  });

  it('pages on the first error of a route or job function', () => {
    // Prepare
    const errorAlarms = alarms.filter((alarm) => alarm.MetricName === 'Errors');

    // Act
    const entryAlarms = errorAlarms.filter((alarm) => watchesOneOf(alarm, entryFunctions));

    // Assess
    expect(entryAlarms).toHaveLength(entryFunctions.length);
    for (const alarm of entryAlarms) {
      expect(alarm, alarm.AlarmName).toMatchObject({
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
      });
      expect(alarm.DatapointsToAlarm, alarm.AlarmName).toBeUndefined();
    }
  });

  it('pages on workflow task function errors only in 3 five-minute windows in a row', () => {
    // Prepare
    const errorAlarms = alarms.filter((alarm) => alarm.MetricName === 'Errors');

    // Act
    const taskAlarms = errorAlarms.filter((alarm) => watchesOneOf(alarm, workflowFunctions));

    // Assess
    expect(taskAlarms).toHaveLength(workflowFunctions.length);
    for (const alarm of taskAlarms) {
      expect(alarm, alarm.AlarmName).toMatchObject({
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
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

  it("alarms on 1% of the HTTP API's answers being 5xx, in windows of at least 20 requests", () => {
    // Prepare
    const api = Template.fromStack(app.node.findChild('Shanyu-Dev-Api') as Stack);
    const [apiId] = Object.keys(api.findResources('AWS::ApiGatewayV2::Api'));
    const apiRef = exportedRef(app, 'Shanyu-Dev-Api', apiId as string);
    const metricOf = (metricName: string) => ({
      Namespace: 'AWS/ApiGateway',
      MetricName: metricName,
      Dimensions: [{ Name: 'ApiId', Value: apiRef }],
    });

    // Act
    const rate = alarms.find((alarm) => alarm.AlarmName === 'Shanyu-Dev-Api5xxRate');
    const queries = rate?.Metrics ?? [];
    const idOf = (metricName: string) =>
      queries.find((query) => query.MetricStat?.Metric.MetricName === metricName)?.Id;
    const expression = queries.find((query) => query.Expression !== undefined);

    // Assess
    expect(alarms.filter((alarm) => alarm.MetricName === '5xx')).toEqual([]);
    expect(rate).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(queries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          MetricStat: { Metric: metricOf('Count'), Period: 300, Stat: 'Sum' },
          ReturnData: false,
        }),
        expect.objectContaining({
          MetricStat: { Metric: metricOf('5xx'), Period: 300, Stat: 'Sum' },
          ReturnData: false,
        }),
      ]),
    );
    const [count, serverErrors] = [idOf('Count'), idOf('5xx')];
    expect(expression?.ReturnData).toBe(true);
    expect(expression?.Expression).toBe(`IF(${count} >= 20, 100 * ${serverErrors} / ${count}, 0)`);
  });

  it('notifies the alarm topic from every alarm, on the first occurrence unless a matter of degree', () => {
    // Prepare
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const ofDegree = [
      'Shanyu-Dev-Api5xxRate',
      'Shanyu-Dev-ApiLatencyP99',
      'Shanyu-Dev-TasksOverdue',
    ];
    const persistent = (alarm: AlarmProperties) =>
      alarm.MetricName === 'Errors' && watchesOneOf(alarm, workflowFunctions);

    // Act
    const notifying = alarms.filter(
      (alarm) => JSON.stringify(alarm.AlarmActions) === JSON.stringify([{ Ref: topicId }]),
    );
    const onFirst = alarms.filter(
      (alarm) => !ofDegree.includes(alarm.AlarmName) && !persistent(alarm),
    );

    // Assess
    expect(alarms.length).toBeGreaterThan(0);
    expect(notifying).toHaveLength(alarms.length);
    expect(onFirst).toHaveLength(alarms.length - ofDegree.length - workflowFunctions.length);
    for (const alarm of onFirst) {
      expect(alarm, alarm.AlarmName).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it("alarms on the first message in the scheduling stack's dead-letter queue", () => {
    // Prepare
    const scheduling = Template.fromStack(app.node.findChild('Shanyu-Dev-Scheduling') as Stack);
    const [queueId] = Object.keys(scheduling.findResources('AWS::SQS::Queue'));
    const outputs = scheduling.findOutputs('*', {
      Value: { 'Fn::GetAtt': [queueId, 'QueueName'] },
    });
    const exportName = Object.values(outputs)[0]?.Export.Name;

    // Act
    const watched = alarms.filter((alarm) => alarm.Namespace === 'AWS/SQS');

    // Assess
    expect(exportName).toBeDefined();
    expect(watched).toEqual([
      expect.objectContaining({
        AlarmName: 'Shanyu-Dev-ScheduleDeadLetters',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::ImportValue': exportName } }],
        Statistic: 'Maximum',
        Threshold: 1,
      }),
    ]);
  });

  it("alarms on the API's p99 latency at 3 s in 3 of 5 five-minute windows", () => {
    // Prepare
    const api = Template.fromStack(app.node.findChild('Shanyu-Dev-Api') as Stack);
    const [apiId] = Object.keys(api.findResources('AWS::ApiGatewayV2::Api'));
    const apiRef = exportedRef(app, 'Shanyu-Dev-Api', apiId as string);

    // Act
    const latency = alarms.find((alarm) => alarm.AlarmName === 'Shanyu-Dev-ApiLatencyP99');

    // Assess
    expect(latency).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: [{ Name: 'ApiId', Value: apiRef }],
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 3000,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("alarms on 20 tasks gone overdue in one deadline sweep, over the sweep's own period", () => {
    // Prepare
    const sweeper = jobs.find((job) => job.id === 'DeadlineSweeper');

    // Act
    const overdue = alarms.find((alarm) => alarm.AlarmName === 'Shanyu-Dev-TasksOverdue');

    // Assess
    expect(overdue).toMatchObject({
      Namespace: 'Shanyu',
      MetricName: 'TasksOverdue',
      Dimensions: [{ Name: 'service', Value: 'shanyu' }],
      Statistic: 'Sum',
      Period: rateSeconds(sweeper?.schedule ?? ''),
      Threshold: 20,
      EvaluationPeriods: 1,
    });
  });

  it('watches the namespace and service the functions publish their metrics under', () => {
    // Prepare
    const workflows = Template.fromStack(app.node.findChild('Shanyu-Dev-Workflows') as Stack);
    const environments = Object.values(workflows.findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.Environment.Variables as Record<string, unknown>,
    );

    // Act
    const overdue = alarms.find((alarm) => alarm.MetricName === 'TasksOverdue');

    // Assess
    expect(environments.length).toBeGreaterThan(0);
    for (const variables of environments) {
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe(overdue?.Namespace);
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe(overdue?.Dimensions[0]?.Value);
    }
  });

  it("shows every alarm in status widgets of at most 100 alarms each (CloudWatch's limit)", () => {
    // Act
    const listed = dashboardBody(template)
      .widgets.map((widget) => widget.properties.alarms)
      .filter((alarms): alarms is unknown[] => Array.isArray(alarms));

    // Assess
    expect(listed.length).toBeGreaterThan(0);
    expect(Math.max(...listed.map((alarms) => alarms.length))).toBeLessThanOrEqual(100);
    expect(listed.flat()).toHaveLength(
      Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length,
    );
  });

  it('splits alarms into groups of at most the limit, in order', () => {
    // Act
    const groups = alarmsPerWidget([1, 2, 3, 4, 5], 2);

    // Assess
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
    expect(alarmsPerWidget([], 2)).toEqual([]);
  });

  it('charts cases by event, cases submitted by type and district, overdue tasks and the DLQ', () => {
    // Prepare
    const body = JSON.stringify(dashboardBody(template));
    const search = (metric: string) =>
      `SEARCH('{Shanyu,caseType,district,service} MetricName="${metric}" service="shanyu"', 'Sum', 300)`;

    // Act
    const titles = dashboardBody(template).widgets.map((widget) => widget.properties.title);

    // Assess
    expect(titles).toEqual(
      expect.arrayContaining([
        'Cases by event (all types and districts)',
        'Cases submitted by type and district',
        'Tasks gone overdue per deadline sweep',
        'Schedule dead-letter queue depth',
      ]),
    );
    for (const metric of ['CaseSubmitted', 'CaseApproved', 'CaseRejected', 'CaseExpired']) {
      expect(body).toContain(JSON.stringify(`SUM(${search(metric)})`));
    }
    expect(body).toContain(JSON.stringify(search('CaseSubmitted')));
    expect(body).toContain('["Shanyu","TasksOverdue","service","shanyu"');
    expect(body).toContain('["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName"');
  });

  it('subscribes nobody to the alarm topic unless told to', () => {
    // Prepare / Act
    const subscriptions = template.findResources('AWS::SNS::Subscription');

    // Assess
    expect(subscriptions).toEqual({});
  });
});

describe('ObservabilityStack with alarm e-mails and thresholds configured', () => {
  let template: Template;

  beforeAll(() => {
    const app = buildApp({
      context: {
        ...noBundling,
        stage: 'prod',
        alarmEmails: 'ops@example.gov.cn,duty@example.gov.cn',
        apiLatencyP99Ms: '5000',
        api5xxRatePercent: '2.5',
        tasksOverdueThreshold: '50',
      },
    });
    template = Template.fromStack(app.node.findChild('Shanyu-Prod-Observability') as Stack);
  }, 180_000);

  it('subscribes each address to the alarm topic by e-mail', () => {
    // Prepare
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));

    // Act
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map(
      (subscription) => subscription.Properties,
    );

    // Assess
    expect(subscriptions).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.gov.cn', TopicArn: { Ref: topicId } },
      { Protocol: 'email', Endpoint: 'duty@example.gov.cn', TopicArn: { Ref: topicId } },
    ]);
  });

  it('uses the configured latency, 5xx rate and overdue-task thresholds', () => {
    // Prepare
    const alarms = alarmsOf(template);

    // Act
    const threshold = (name: string) =>
      alarms.find((alarm) => alarm.AlarmName === `Shanyu-Prod-${name}`)?.Threshold;

    // Assess
    expect(threshold('ApiLatencyP99')).toBe(5000);
    expect(threshold('Api5xxRate')).toBe(2.5);
    expect(threshold('TasksOverdue')).toBe(50);
  });
});
