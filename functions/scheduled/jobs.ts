/**
 * The scheduled jobs: the one list that the CDK scheduling stack deploys (EventBridge Scheduler,
 * retry policy, dead-letter queue) and the local cloud runs on its own timer.
 */
export interface ScheduledJob {
  /** Stable identifier: CDK construct id and local function name. */
  readonly id: string;
  readonly entry: string;
  /** An EventBridge Scheduler expression: `rate(5 minutes)` or `cron(…)` (Asia/Shanghai). */
  readonly schedule: string;
  readonly description: string;
  /** Hands decisions back to waiting executions (SendTaskSuccess/Failure on every workflow). */
  readonly answersTasks?: boolean;
  /** Sends SMS (SNS) and e-mail (SES). */
  readonly sendsNotifications?: boolean;
}

export const jobs: readonly ScheduledJob[] = [
  {
    id: 'DeliverDecisions',
    entry: 'functions/scheduled/deliver-decisions.ts',
    schedule: 'rate(5 minutes)',
    description: 'Re-delivers recorded task decisions their workflow has not acknowledged',
    answersTasks: true,
  },
  {
    id: 'SendNotifications',
    entry: 'functions/scheduled/send-notifications.ts',
    schedule: 'rate(1 minute)',
    description: 'Sends the notifications waiting in the outbox (SMS, e-mail)',
    sendsNotifications: true,
  },
];
