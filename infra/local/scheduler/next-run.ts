import {
  type CronExpression,
  type ParsedScheduleExpression,
  parseScheduleExpression,
} from './expression.ts';
import { assertTimeZone, instantOf, type WallTime, wallTimeAt } from './time-zone.ts';

/** What decides when a schedule runs (a `LocalSchedule` is one). */
export interface ScheduleTiming {
  readonly expression: string;
  /** IANA zone in which `cron` and `at` expressions are read. @default 'UTC' */
  readonly timezone?: string;
}

const epoch = new Date(0);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(cron: CronExpression, year: number, month: number, day: number): boolean {
  if (cron.daysOfMonth && !cron.daysOfMonth.includes(day)) return false;
  // EventBridge numbers weekdays 1 (Sunday) to 7; getUTCDay() 0 to 6.
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
  return !cron.daysOfWeek || cron.daysOfWeek.includes(weekday);
}

/** Every wall time the expression names, in order, from `from`'s minute on. */
function* cronWallTimes(cron: CronExpression, from: WallTime): Generator<WallTime> {
  for (const year of cron.years) {
    if (year < from.year) continue;
    const fromYear = year === from.year;
    for (const month of cron.months) {
      if (fromYear && month < from.month) continue;
      const fromMonth = fromYear && month === from.month;
      for (let day = fromMonth ? from.day : 1; day <= daysInMonth(year, month); day++) {
        if (!dayMatches(cron, year, month, day)) continue;
        const fromDay = fromMonth && day === from.day;
        for (const hour of cron.hours) {
          if (fromDay && hour < from.hour) continue;
          const fromHour = fromDay && hour === from.hour;
          for (const minute of cron.minutes) {
            if (fromHour && minute < from.minute) continue;
            yield { year, month, day, hour, minute, second: 0 };
          }
        }
      }
    }
  }
}

function nextCronRun(cron: CronExpression, timeZone: string, after: Date): Date | undefined {
  for (const wall of cronWallTimes(cron, wallTimeAt(timeZone, after))) {
    // Wall times skipped by a daylight-saving jump have no instant and do not run.
    const instant = instantOf(timeZone, wall);
    if (instant && instant.getTime() > after.getTime()) return instant;
  }
  return undefined;
}

/**
 * The first time strictly after `after` at which the schedule runs, or `undefined` when it never
 * runs again (a past `at(…)`, a cron whose years are over).
 *
 * Rates count from `anchor`: EventBridge Scheduler counts from the schedule's creation, the local
 * scheduler from its start. Cron and `at` expressions are read in the schedule's time zone.
 */
export function nextRun(
  schedule: ScheduleTiming,
  after: Date,
  anchor: Date = epoch,
): Date | undefined {
  const timeZone = schedule.timezone ?? 'UTC';
  assertTimeZone(timeZone);
  const parsed: ParsedScheduleExpression = parseScheduleExpression(schedule.expression);
  switch (parsed.kind) {
    case 'rate': {
      const elapsed = after.getTime() - anchor.getTime();
      const periods = Math.max(1, Math.floor(elapsed / parsed.intervalMs) + 1);
      return new Date(anchor.getTime() + periods * parsed.intervalMs);
    }
    case 'at': {
      const instant = instantOf(timeZone, parsed.at);
      return instant && instant.getTime() > after.getTime() ? instant : undefined;
    }
    case 'cron':
      return nextCronRun(parsed, timeZone, after);
  }
}
