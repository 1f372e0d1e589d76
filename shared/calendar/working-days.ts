import { logger } from '../observability/index.ts';
import { chinaHolidays, isWeekend } from './holiday-calendar.ts';

/**
 * Working-day arithmetic in China Standard Time (UTC+8 all year, no daylight saving), on the
 * State Council's calendar: its holidays are days off and its 调休 weekend days are worked
 * (china-holidays.json). A year the data does not cover yet counts weekends only, with a warning.
 */
const chinaOffsetMs = 8 * 60 * 60 * 1000;
const DEFAULT_END_OF_DAY = '17:30';
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface WorkingDayOptions {
  /** Local time a deadline falls due on its last working day, `HH:MM`; else WORKDAY_ENDS_AT, else 17:30. */
  readonly endOfDay?: string;
}

/** Years with published data, ascending. */
export function calendarYears(): readonly number[] {
  return chinaHolidays.years;
}

// Once per year per process: a Lambda container counting deadlines into 2031 would otherwise
// repeat the same line for every day it steps over.
const warnedYears = new Set<number>();

function warnUncoveredYear(year: number): void {
  if (warnedYears.has(year)) return;
  warnedYears.add(year);
  logger.warn(
    `No State Council holiday notice for ${year}: counting weekends only. Add the notice ` +
      `(国务院办公厅关于${year}年部分节假日安排的通知) to shared/calendar/china-holidays.json.`,
    { year },
  );
}

/** `YYYY-MM-DD` as Huzhou reads it. */
export function isWorkingDay(localDate: string): boolean {
  const weekend = isWeekend(localDate);
  const year = Number(localDate.slice(0, 4));
  if (!chinaHolidays.covers(year)) {
    warnUncoveredYear(year);
    return !weekend;
  }
  const adjustment = chinaHolidays.adjustmentOn(localDate);
  if (adjustment === undefined) return !weekend;
  return adjustment.kind === 'workday';
}

/** Hours and minutes of the end of a working day; a bad setting fails the call, not the deadline. */
function endOfDayTime(options: WorkingDayOptions): { hours: number; minutes: number } {
  // An empty variable is as good as an unset one, as with the other environment settings.
  const value = options.endOfDay ?? (process.env.WORKDAY_ENDS_AT || DEFAULT_END_OF_DAY);
  const match = HH_MM.exec(value);
  if (match === null) {
    throw new RangeError(`End of the working day must be HH:MM (00:00–23:59), got "${value}"`);
  }
  return { hours: Number(match[1]), minutes: Number(match[2]) };
}

/** Midnight of `instant`'s Huzhou date, on a Date whose UTC fields read as Huzhou local time. */
function localMidnight(instant: Date, name: string): Date {
  if (Number.isNaN(instant.getTime())) throw new RangeError(`${name} is not a valid date`);
  const local = new Date(instant.getTime() + chinaOffsetMs);
  local.setUTCHours(0, 0, 0, 0);
  return local;
}

function dateOf(local: Date): string {
  return local.toISOString().slice(0, 10);
}

function nextDay(local: Date): void {
  local.setUTCDate(local.getUTCDate() + 1);
}

/**
 * The end of the Nth working day after `from` (the day of `from` itself does not count), as an
 * instant. `addWorkingDays(friday, 1)` is the following Monday at 17:30 in Huzhou, unless the
 * Monday is a holiday or the Saturday a 调休 working day.
 */
export function addWorkingDays(from: Date, days: number, options: WorkingDayOptions = {}): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0');
  const { hours, minutes } = endOfDayTime(options);
  const local = localMidnight(from, 'from');
  for (let remaining = days; remaining > 0; ) {
    nextDay(local);
    if (isWorkingDay(dateOf(local))) remaining -= 1;
  }
  // Zero days asked on a day off: due at the end of the next working day.
  while (!isWorkingDay(dateOf(local))) nextDay(local);
  local.setUTCHours(hours, minutes, 0, 0);
  return new Date(local.getTime() - chinaOffsetMs);
}

/**
 * Working days after `from`'s local date up to and including `to`'s local date; 0 when to is
 * on/before from's day. E.g. created Friday, decided next Monday → 1; decided same day → 0.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  const local = localMidnight(from, 'from');
  const last = dateOf(localMidnight(to, 'to'));
  let count = 0;
  for (nextDay(local); dateOf(local) <= last; nextDay(local)) {
    if (isWorkingDay(dateOf(local))) count += 1;
  }
  return count;
}
