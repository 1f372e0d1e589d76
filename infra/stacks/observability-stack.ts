import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ShanyuConfig } from '../config.ts';

export interface ObservabilityStackProps extends StackProps {
  readonly config: ShanyuConfig;
  /** Functions to alarm on, keyed by a readable name (used in alarm ids and names). */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  readonly httpApi: IHttpApi;
}

const period = Duration.minutes(5);

/**
 * Alarms and a dashboard over the other stacks. Any error is worth a look at this scale, so
 * every alarm fires on the first occurrence in a five-minute window.
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
    const action = new SnsAction(this.alarmTopic);
    const alarms: Alarm[] = [];
    const alarmOn = (alarmId: string, metric: IMetric, description: string) => {
      const alarm = new Alarm(this, alarmId, {
        alarmName: `${config.prefix}${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarms.push(alarm);
    };

    const functionEntries = Object.entries(props.functions);
    for (const [name, fn] of functionEntries) {
      alarmOn(`${name}Errors`, fn.metricErrors({ period }), `${name} threw or timed out`);
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
    alarmOn('Api5xx', props.httpApi.metricServerError({ period }), 'The HTTP API answered 5xx');
    this.alarms = alarms;

    new Dashboard(this, 'Dashboard', {
      dashboardName: `${config.prefix}Overview`,
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 })],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [
              props.httpApi.metricCount({ period }),
              props.httpApi.metricClientError({ period }),
              props.httpApi.metricServerError({ period }),
            ],
            right: [props.httpApi.metricLatency({ period, statistic: 'p95' })],
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
      ],
    });
  }
}
