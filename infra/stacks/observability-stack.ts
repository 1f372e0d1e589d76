import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  type AlarmProps,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ShanyuConfig } from '../config.ts';
import { acknowledge } from '../nag/nag-checks.ts';

export interface ObservabilityStackProps extends StackProps {
  readonly config: ShanyuConfig;
  /**
   * Functions whose every error reaches someone (route functions, scheduled jobs), keyed by a
   * readable name (used in alarm ids and names).
   */
  readonly functions: Readonly<Record<string, IFunction>>;
  /**
   * Functions that state machines' tasks invoke, keyed like `functions`. The state machines retry
   * or route around their expected errors, so only errors that persist are alarmed on.
   */
  readonly workflowFunctions: Readonly<Record<string, IFunction>>;
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  readonly httpApi: IHttpApi;
  /** Where scheduled invocations that failed every retry end up (SchedulingStack's). */
  readonly deadLetterQueue: IQueue;
}

const period = Duration.minutes(5);

/**
 * Five-minute windows in a row a workflow task function must fail in before it pages. The
 * registry retry (workflows/steps.ts) spans under five minutes, so three windows of errors are
 * more than one case's retries; a single execution that really fails raises ExecutionsFailed.
 */
export const workflowErrorPeriods = 3;

/**
 * Requests a five-minute window needs before its 5xx rate counts: on a quiet night one 5xx of
 * three requests is 33%, and not an outage.
 */
export const api5xxMinRequests = 20;

/**
 * Where the business metrics are published: the functions' POWERTOOLS_METRICS_NAMESPACE and
 * POWERTOOLS_SERVICE_NAME (infra/constructs/shanyu-function.ts), which Powertools adds as the
 * `service` dimension of every metric.
 */
export const businessMetrics = { namespace: 'Shanyu', service: 'shanyu' } as const;

/** The case events the dashboard charts, as shared/observability/business-metrics.ts names them. */
const caseEvents = ['CaseSubmitted', 'CaseApproved', 'CaseRejected', 'CaseExpired'] as const;

/**
 * DeadlineSweeper runs every 15 minutes (functions/scheduled/jobs.ts) and publishes its counts
 * once per run, so one period holds one sweep.
 */
export const sweepPeriod = Duration.minutes(15);

/** A SEARCH over one case event in every case type and district it was published with. */
const caseEventSearch = (metricName: string) =>
  `SEARCH('{${businessMetrics.namespace},caseType,district,service} ` +
  `MetricName="${metricName}" service="${businessMetrics.service}"', 'Sum', ${period.toSeconds()})`;

/**
 * Alarms and a dashboard over the other stacks. Any error is worth a look at this scale, so
 * most alarms fire on the first occurrence in a five-minute window; workflow task functions,
 * whose expected errors the state machines handle, only when errors persist; the API's 5xx
 * rate, latency and overdue tasks, which are matters of degree, have thresholds from
 * configuration.
 */
export class ObservabilityStack extends Stack {
  /** Alarm notifications go here; subscribe people or a chat bridge to it. */
  public readonly alarmTopic: Topic;
  public readonly alarms: readonly Alarm[];

  public constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: `${config.prefix}Alarms`,
      enforceSSL: true,
    });
    for (const email of config.alarms.emails) {
      const subscription = this.alarmTopic.addSubscription(new EmailSubscription(email));
      acknowledge(
        subscription,
        'Serverless-SNSRedrivePolicy',
        'An alarm e-mail that cannot be delivered loses nothing: the alarm stays in ALARM on the ' +
          'dashboard and in the CloudWatch console, and a dead-letter queue of undelivered ' +
          'alarm mail would itself need someone watching it.',
      );
    }
    const action = new SnsAction(this.alarmTopic);
    const alarms: Alarm[] = [];
    const alarmOn = (
      alarmId: string,
      metric: IMetric,
      description: string,
      options: Partial<
        Pick<AlarmProps, 'threshold' | 'evaluationPeriods' | 'datapointsToAlarm'>
      > = {},
    ) => {
      const alarm = new Alarm(this, alarmId, {
        alarmName: `${config.prefix}${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No requests, no executions, no sweep with overdue tasks: nothing is wrong.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...options,
      });
      alarm.addAlarmAction(action);
      alarms.push(alarm);
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      alarmOn(`${name}Errors`, fn.metricErrors({ period }), `${name} threw or timed out`);
    }
    // The state machines retry RegistryUnavailableError (then hand the check to a person),
    // ChangeRefusedError and ServiceBusyError: one of them is the workflow working as designed.
    const workflowEntries = Object.entries(props.workflowFunctions);
    for (const [name, fn] of workflowEntries) {
      alarmOn(
        `${name}Errors`,
        fn.metricErrors({ period }),
        `${name} threw or timed out in each of ${workflowErrorPeriods} five-minute windows in a row`,
        { evaluationPeriods: workflowErrorPeriods, datapointsToAlarm: workflowErrorPeriods },
      );
    }
    const functionEntries = [...Object.entries(props.functions), ...workflowEntries];
    for (const [name, fn] of functionEntries) {
      alarmOn(`${name}Throttles`, fn.metricThrottles({ period }), `${name} was throttled`);
    }
    const machineEntries = Object.entries(props.stateMachines);
    for (const [name, machine] of machineEntries) {
      alarmOn(
        `${name}ExecutionsFailed`,
        machine.metricFailed({ period }),
        `${name}: an execution failed`,
      );
      alarmOn(
        `${name}ExecutionsTimedOut`,
        machine.metricTimedOut({ period }),
        `${name}: an execution timed out`,
      );
    }
    const { apiLatencyP99Ms, api5xxRatePercent, tasksOverdue } = config.alarms;
    const serverErrorRate = new MathExpression({
      expression: `IF(requests >= ${api5xxMinRequests}, 100 * serverErrors / requests, 0)`,
      usingMetrics: {
        // Sum, like the 5xx metric's: both count requests (CDK's default here is SampleCount).
        requests: props.httpApi.metricCount({ period, statistic: 'Sum' }),
        serverErrors: props.httpApi.metricServerError({ period }),
      },
      label: 'API 5xx rate (%)',
      period,
    });
    alarmOn(
      'Api5xxRate',
      serverErrorRate,
      `At least ${api5xxRatePercent}% of the HTTP API's answers were 5xx in a five-minute window ` +
        `of ${api5xxMinRequests} or more requests`,
      { threshold: api5xxRatePercent },
    );
    // Three slow windows out of five: a burst of cold starts, or one slow registry call, is
    // not worth waking anyone for; a quarter of an hour of slow answers is. At night, with few
    // requests, p99 is close to the slowest request, so the threshold sits well above a cold start.
    alarmOn(
      'ApiLatencyP99',
      props.httpApi.metricLatency({ period, statistic: 'p99' }),
      `The HTTP API's p99 latency was at least ${apiLatencyP99Ms} ms in 3 of 5 five-minute windows`,
      { threshold: apiLatencyP99Ms, evaluationPeriods: 5, datapointsToAlarm: 3 },
    );
    const deadLetters = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: 'Maximum',
    });
    alarmOn(
      'ScheduleDeadLetters',
      deadLetters,
      'A scheduled job failed every retry: its event is in the dead-letter queue',
    );
    const overdue = new Metric({
      namespace: businessMetrics.namespace,
      metricName: 'TasksOverdue',
      dimensionsMap: { service: businessMetrics.service },
      statistic: 'Sum',
      period: sweepPeriod,
    });
    // Deadlines fall due at the end of a working day, so the first sweep after it counts the
    // whole day's misses at once: one sweep over the threshold is already a day's backlog.
    alarmOn(
      'TasksOverdue',
      overdue,
      `At least ${tasksOverdue} tasks went overdue in one deadline sweep: queues are not keeping up`,
      { threshold: tasksOverdue },
    );
    this.alarms = alarms;

    new Dashboard(this, 'Dashboard', {
      dashboardName: `${config.prefix}Overview`,
      widgets: [
        // CloudWatch shows at most 100 alarms in one status widget.
        ...alarmsPerWidget(alarms).map((group, index, groups) => [
          new AlarmStatusWidget({
            title: groups.length > 1 ? `Alarms (${index + 1}/${groups.length})` : 'Alarms',
            alarms: group,
            width: 24,
          }),
        ]),
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [
              props.httpApi.metricCount({ period }),
              props.httpApi.metricClientError({ period }),
              props.httpApi.metricServerError({ period }),
            ],
            right: [
              props.httpApi.metricLatency({ period, statistic: 'p95' }),
              props.httpApi.metricLatency({ period, statistic: 'p99' }),
            ],
            rightAnnotations: [{ value: apiLatencyP99Ms, label: 'p99 alarm' }],
            width: 12,
          }),
          new GraphWidget({
            title: 'Workflow executions',
            left: machineEntries.flatMap(([, machine]) => [
              machine.metricStarted({ period }),
              machine.metricSucceeded({ period }),
              machine.metricFailed({ period }),
              machine.metricTimedOut({ period }),
            ]),
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            left: functionEntries.map(([name, fn]) => fn.metricErrors({ period, label: name })),
            width: 12,
          }),
          new GraphWidget({
            title: 'Function duration p95',
            left: functionEntries.map(([name, fn]) =>
              fn.metricDuration({ period, statistic: 'p95', label: name }),
            ),
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Cases by event (all types and districts)',
            left: caseEvents.map(
              (metricName) =>
                new MathExpression({
                  expression: `SUM(${caseEventSearch(metricName)})`,
                  label: metricName,
                  period,
                }),
            ),
            width: 12,
          }),
          new GraphWidget({
            title: 'Cases submitted by type and district',
            left: [
              new MathExpression({
                expression: caseEventSearch('CaseSubmitted'),
                // A dynamic label, so each of the search's lines is named by its own dimensions.
                label: `\${PROP('Dim.caseType')} \${PROP('Dim.district')}`,
                period,
              }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Tasks gone overdue per deadline sweep',
            left: ['TasksOverdue', 'TasksEscalated', 'TasksExpired'].map(
              (metricName) =>
                new Metric({
                  namespace: businessMetrics.namespace,
                  metricName,
                  dimensionsMap: { service: businessMetrics.service },
                  statistic: 'Sum',
                  period: sweepPeriod,
                }),
            ),
            leftAnnotations: [{ value: tasksOverdue, label: 'alarm' }],
            width: 12,
          }),
          new GraphWidget({
            title: 'Schedule dead-letter queue depth',
            left: [deadLetters],
            width: 12,
          }),
        ],
      ],
    });
  }
}

/** The alarms in groups CloudWatch accepts in one alarm status widget (at most 100 each). */
export function alarmsPerWidget<T>(alarms: readonly T[], limit = 100): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < alarms.length; start += limit)
    groups.push(alarms.slice(start, start + limit));
  return groups;
}
