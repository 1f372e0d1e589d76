import type { LocalSchedule } from '../../infra/local/cloud-assembly.ts';
import { jobNameOf } from '../../infra/local/dev-jobs.ts';
import { type MeteredCloud, runJob } from './measure-case.ts';
import type { PriceList } from './prices.ts';
import { costOf, summariseCases } from './usage.ts';

/** A month as the benchmark counts it: 30 days. */
const minutesPerMonth = 30 * 24 * 60;

/**
 * Runs a month of a schedule: `rate(n minutes|hours|days)`. Cron schedules (daily reminders, the
 * monthly hardship re-check) run at most a few dozen times a month and are left out.
 */
export function runsPerMonth(expression: string): number | undefined {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const every = Number(match[1]);
  const unit = match[2] ?? '';
  const minutes = unit.startsWith('minute')
    ? every
    : unit.startsWith('hour')
      ? every * 60
      : every * 1440;
  return minutesPerMonth / minutes;
}

export interface ScheduleCost {
  readonly job: string;
  readonly expression: string;
  readonly runsPerMonth: number;
  /** One run with nothing to do: what the schedule costs before any case. */
  readonly billedMsPerRun: number;
  readonly readUnitsPerRun: number;
  readonly writeUnitsPerRun: number;
  readonly usdPerMonth: number;
}

/**
 * The fixed cost of the frequent schedules: each job run once on an idle cloud (after the cases,
 * so nothing is due), times its runs in a month.
 */
export async function measureScheduleCosts(
  cloud: MeteredCloud,
  schedules: readonly LocalSchedule[],
  prices: PriceList,
): Promise<ScheduleCost[]> {
  const costs: ScheduleCost[] = [];
  for (const schedule of schedules) {
    const runs = runsPerMonth(schedule.expression);
    if (runs === undefined) continue;
    const job = jobNameOf(schedule);
    // Twice: the first run may still find something a case left (a decision's grace period).
    await runJob(cloud, job);
    await cloud.meter.quiet();
    const mark = cloud.meter.mark();
    await runJob(cloud, job);
    await cloud.meter.quiet();
    const run = summariseCases([
      {
        caseId: '',
        invocations: cloud.meter.since(mark),
        apiRequests: 0,
        executions: 0,
        stateTransitions: {},
        notifications: 0,
      },
    ]);
    costs.push({
      job,
      expression: schedule.expression,
      runsPerMonth: runs,
      billedMsPerRun: run.lambda.billedMs,
      readUnitsPerRun: run.dynamoDb.readUnits,
      writeUnitsPerRun: run.dynamoDb.writeUnits,
      usdPerMonth: costOf(run, prices).total * runs,
    });
  }
  return costs;
}
