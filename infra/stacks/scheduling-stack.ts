import { Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import {
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { jobs } from '../../functions/scheduled/jobs.ts';
import type { ShanyuConfig } from '../config.ts';
import { ShanyuFunction } from '../constructs/shanyu-function.ts';
import { acknowledge, nagAttribute } from '../nag/nag-checks.ts';
import { grantExecutions } from './execution-grants.ts';

/** Every job's schedule is read in the time zone its people work in (UTC+8, no daylight saving). */
export const scheduleTimeZone = TimeZone.ASIA_SHANGHAI;

/** The environment variable through which a notifying job learns the staff topic's ARN. */
export const notificationTopicVariable = 'NOTIFICATION_TOPIC_ARN';
/** Set only when an SES identity is configured: the identity e-mail is sent from. */
export const sesIdentityVariable = 'SES_IDENTITY_ARN';

/** What EventBridge Scheduler does when an invocation fails; the local scheduler mirrors it. */
export const scheduleRetryPolicy = {
  retryAttempts: 2,
  maxEventAge: Duration.minutes(5),
} as const;

export interface SchedulingStackProps extends StackProps {
  readonly config: ShanyuConfig;
  readonly table: ITable;
  /** Workflows whose waiting task tokens the `answersTasks` (and `failsTasks`) jobs answer. */
  readonly stateMachines: readonly IStateMachine[];
  /** Their names, known at synthesis: execution grants are built from them. */
  readonly stateMachineNames: readonly string[];
}

/**
 * The scheduled jobs of `functions/scheduled/jobs.ts`: one function and one EventBridge Scheduler
 * schedule each, with a retry policy and a shared dead-letter queue, plus the staff notification
 * topic the notifying jobs publish to.
 */
export class SchedulingStack extends Stack {
  /** Job functions by job id (`jobs[].id`). */
  public readonly jobFunctions: Readonly<Record<string, ShanyuFunction>>;
  /** Every function of this stack, for alarms. */
  public readonly functions: readonly ShanyuFunction[];
  /** Schedules by job id. */
  public readonly schedules: Readonly<Record<string, Schedule>>;
  /** Invocations that failed every retry land here: a non-empty queue means a job stopped running. */
  public readonly deadLetterQueue: Queue;
  /**
   * Queue notifications for staff. Subscribers filter on the message attributes `role` and
   * `scope` (e.g. `{"role": ["district-officer"], "scope": ["D:330502"]}`), the same pair that
   * names a task inbox, so a subscription follows one queue.
   */
  public readonly notificationTopic: Topic;

  public constructor(scope: Construct, id: string, props: SchedulingStackProps) {
    super(scope, id, props);
    const { config, table, stateMachines, stateMachineNames } = props;

    this.deadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
      queueName: `${config.prefix}ScheduleDeadLetters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    for (const rule of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      acknowledge(
        this.deadLetterQueue,
        rule,
        'This queue is the dead-letter queue (of the schedules and of the job functions); ' +
          'what lands here is alarmed on and replayed by hand, not redriven further.',
      );
    }

    this.notificationTopic = new Topic(this, 'QueueNotifications', {
      topicName: `${config.prefix}QueueNotifications`,
      // The AWS-managed key: publishers in this account need no key grants, and nothing outside
      // the account (CloudWatch alarms, EventBridge) ever publishes here.
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });

    const jobFunctions: Record<string, ShanyuFunction> = {};
    const schedules: Record<string, Schedule> = {};
    for (const job of jobs) {
      const fn = new ShanyuFunction(this, job.id, {
        entry: job.entry,
        table,
        config,
        readsIdKey: job.readsIdKey ?? false,
        timeout: Duration.seconds(job.timeoutSeconds ?? 60),
        // Scheduler invokes asynchronously: a run that fails Lambda's own retries lands here too.
        deadLetterQueue: this.deadLetterQueue,
        environment: job.sendsNotifications
          ? {
              [notificationTopicVariable]: this.notificationTopic.topicArn,
              ...(config.sesIdentityArn ? { [sesIdentityVariable]: config.sesIdentityArn } : {}),
            }
          : {},
      });
      if (job.answersTasks) {
        for (const machine of stateMachines) {
          machine.grantTaskResponse(fn);
        }
        // To tell a decision the workflow already took from one it refused (see deliverDecision).
        grantExecutions(fn, stateMachineNames, ['states:GetExecutionHistory']);
      }
      if (job.failsTasks) {
        for (const machine of stateMachines) machine.grant(fn, 'states:SendTaskFailure');
      }
      if (job.sendsNotifications) this.grantNotifications(fn, config);

      const scheduleRole = new Role(this, `${job.id}ScheduleRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      });
      acknowledge(
        scheduleRole,
        'AwsSolutions-IAM5',
        `Invokes ${job.id} only; the \`:*\` suffix covers that function's versions and aliases, ` +
          'which Lambda authorises against the qualified ARN.',
        `Resource::${nagAttribute(fn)}:*`,
      );
      schedules[job.id] = new Schedule(this, `${job.id}Schedule`, {
        scheduleName: `${config.prefix}${job.id}`,
        description: job.description,
        schedule: ScheduleExpression.expression(job.schedule, scheduleTimeZone),
        // Jobs drain small backlogs: running on time matters more than spreading load.
        timeWindow: TimeWindow.off(),
        target: new LambdaInvoke(fn, {
          role: scheduleRole,
          input: ScheduleTargetInput.fromObject({ job: job.id }),
          deadLetterQueue: this.deadLetterQueue,
          ...scheduleRetryPolicy,
        }),
      });
      jobFunctions[job.id] = fn;
    }
    this.jobFunctions = jobFunctions;
    this.functions = Object.values(jobFunctions);
    this.schedules = schedules;
  }

  private grantNotifications(fn: ShanyuFunction, config: ShanyuConfig): void {
    this.notificationTopic.grantPublish(fn);
    // SMS published straight to a phone number has no resource ARN, so IAM only accepts `*`
    // here, and SNS has no condition key for the destination of a Publish. The region condition
    // is the narrowest one that applies; the topic above is still the only topic this stack
    // hands a function.
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'PublishSmsToPhoneNumbers',
        actions: ['sns:Publish'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': this.region } },
      }),
    );
    if (config.sesIdentityArn) {
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'SendEmailFromIdentity',
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [config.sesIdentityArn],
        }),
      );
    }
  }
}
