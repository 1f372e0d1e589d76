/*
 * Calendar dates and months as Huzhou sees them. China Standard Time is UTC+8 all year (no
 * daylight saving since 1991), so a fixed offset is exact and needs no time-zone database.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date in Asia/Shanghai at an instant, `YYYY-MM-DD`. */
export function shanghaiDate(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid date');
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a `YYYY-MM-DD` day begins in Asia/Shanghai (16:00 UTC the day before). */
export function shanghaiMidnight(date: string): Date {
  const match = DATE.exec(date);
  const utc = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : Number.NaN;
  // Date.UTC rolls 02-30 over into March (and years below 100 into the 1900s); only a real date
  // reads back the same.
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Expected a YYYY-MM-DD date, got ${date}`);
  }
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

/** The calendar month in Asia/Shanghai at an instant, `YYYY-MM`. */
export function shanghaiMonth(instant: Date): string {
  return shanghaiDate(instant).slice(0, 7);
}

/** A `YYYY-MM` month as a count of months, so that months subtract like numbers. */
export function monthOrdinal(month: string): number {
  const match = MONTH.exec(month);
  if (match === null) throw new RangeError(`Expected a YYYY-MM month, got ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** The month `count` months after (or, if negative, before) `month`. */
export function addMonths(month: string, count: number): string {
  const ordinal = monthOrdinal(month) + count;
  const year = Math.floor(ordinal / 12);
  return `${String(year).padStart(4, '0')}-${String((ordinal % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to`, both included, ascending; none when `to` comes first. */
export function monthsBetween(from: string, to: string): string[] {
  const count = monthOrdinal(to) - monthOrdinal(from) + 1;
  return Array.from({ length: Math.max(count, 0) }, (_, index) => addMonths(from, index));
}

/** `YYYY-MM-01`. */
export function firstDayOf(month: string): string {
  monthOrdinal(month);
  return `${month}-01`;
}

/** The last calendar day of a month, `YYYY-MM-DD`. */
export function lastDayOf(month: string): string {
  const ordinal = monthOrdinal(month);
  // Day 0 of the next month is the last day of this one; Date.UTC knows the leap years.
  const days = new Date(Date.UTC(Math.floor(ordinal / 12), (ordinal % 12) + 1, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}
