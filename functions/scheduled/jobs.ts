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
  /** Only fails waiting steps (SendTaskFailure on every workflow), nothing more. */
  readonly failsTasks?: boolean;
  /** Sends SMS (SNS) and e-mail (SES). */
  readonly sendsNotifications?: boolean;
  /** How long one run may take; a minute unless the job works through a month's cases. */
  readonly timeoutSeconds?: number;
  /** Keys 身份证 numbers (shared/privacy/id-key.ts): may read the HMAC key secret. */
  readonly readsIdKey?: boolean;
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
  {
    id: 'RecheckHardship',
    entry: 'functions/scheduled/recheck-hardship.ts',
    readsIdKey: true,
    // 02:00 on the 25th, early enough that the provider bills next month's fee knowing the stop;
    // again to the 28th, so that cases a registry outage skipped are caught (a run stops only
    // what is still active).
    schedule: 'cron(0 2 25-28 * ? *)',
    description: "Re-checks next month's tuition waivers against civil affairs; stops lapsed ones",
    // A month's active waivers, each asking civil affairs: minutes, not seconds.
    timeoutSeconds: 900,
  },
  {
    id: 'RemindRegistrationRenewals',
    entry: 'functions/scheduled/remind-registration-renewals.ts',
    // 09:00 Beijing time, the hour each reminder is due at: providers hear in office hours.
    schedule: 'cron(0 9 * * ? *)',
    description:
      'Reminds providers 60 and 30 days before their registration ends, to file a renewal',
  },
  {
    id: 'DeadlineSweeper',
    entry: 'functions/scheduled/sweep-deadlines.ts',
    schedule: 'rate(15 minutes)',
    description:
      'Reminds at follow-up; escalates overdue staff and provider tasks; expires overdue applicant tasks',
    // Fails the waiting step of an applicant's overdue task.
    failsTasks: true,
    // A backlog after an outage is worked through in pages; what is left waits for the next run.
    timeoutSeconds: 300,
  },
];
