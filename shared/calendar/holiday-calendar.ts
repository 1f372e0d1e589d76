import * as z from 'zod';
import data from './china-holidays.json' with { type: 'json' };

/*
 * The State Council's public holidays and 调休 working days, as data: one entry per year in
 * china-holidays.json, copied from that year's 国务院办公厅 notice (see README.md). The file is
 * checked the first time a function asks about a day, so a typo fails that request and the unit
 * tests rather than silently moving a family's deadline. Not when the module loads: checking took
 * 7–15 ms of the cold start of every function that imports the calendar, most of which never
 * ask it anything (timed module by module).
 */

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` that names a real day: 2026-02-30 does not survive the round trip. */
function isCalendarDate(value: string): boolean {
  if (!LOCAL_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

const localDate = z.string().refine(isCalendarDate, 'not a YYYY-MM-DD calendar date');

function assertLocalDate(date: string): void {
  if (!isCalendarDate(date)) throw new RangeError(`Expected a YYYY-MM-DD date, got ${date}`);
}

/** Day of the week of a `YYYY-MM-DD` date, 0 = Sunday … 6 = Saturday. */
function weekdayOf(date: string): number {
  assertLocalDate(date);
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Saturday or Sunday, whatever the State Council says about the day. */
export function isWeekend(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

/** Every day from `from` to `to`, both included. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  const day = new Date(`${from}T00:00:00Z`);
  for (let current = from; current <= to; current = day.toISOString().slice(0, 10)) {
    days.push(current);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

const noticeSchema = z
  .object({
    /** 国务院办公厅关于YYYY年部分节假日安排的通知 */
    title: z.string().min(1),
    /** 文号, e.g. 国办发明电〔2025〕7号. */
    number: z.string().min(1),
    published: localDate,
    url: z.url().optional(),
  })
  .strict();

const holidaySchema = z
  .object({
    /** As the notice names it: 春节, 国庆节、中秋节 … */
    name: z.string().min(1),
    /** First day off, `YYYY-MM-DD`. */
    from: localDate,
    /** Last day off, included. */
    to: localDate,
  })
  .strict();

const yearSchema = z
  .object({
    notice: noticeSchema,
    holidays: z.array(holidaySchema).min(1),
    /** 调休上班: weekend days worked to make the holidays longer. */
    workdays: z.array(localDate),
  })
  .strict();

type YearData = z.infer<typeof yearSchema>;

/** Consistency the field schemas cannot see: every date in its year, and no day both off and on. */
function checkYear(year: string, entry: YearData, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: [year, ...path], message });
  const inYear = (date: string) => date.startsWith(`${year}-`);
  // Guards against pasting a notice under the wrong year.
  if (!entry.notice.title.includes(`${year}年`)) problem(['notice', 'title'], `not about ${year}`);
  const daysOff = new Map<string, string>();
  entry.holidays.forEach((holiday, index) => {
    if (!inYear(holiday.from)) problem(['holidays', index, 'from'], `not in ${year}`);
    if (!inYear(holiday.to)) problem(['holidays', index, 'to'], `not in ${year}`);
    if (holiday.to < holiday.from) {
      problem(['holidays', index, 'to'], `${holiday.name} ends before it starts`);
      return;
    }
    for (const day of daysOf(holiday.from, holiday.to)) {
      const other = daysOff.get(day);
      if (other !== undefined) {
        problem(['holidays', index], `${holiday.name} and ${other} both claim ${day}`);
      }
      daysOff.set(day, holiday.name);
    }
  });
  const seen = new Set<string>();
  entry.workdays.forEach((day, index) => {
    if (!inYear(day)) problem(['workdays', index], `${day} is not in ${year}`);
    if (!isWeekend(day)) problem(['workdays', index], `${day} is a weekday: nothing to swap`);
    if (seen.has(day)) problem(['workdays', index], `${day} is listed twice`);
    seen.add(day);
    const holiday = daysOff.get(day);
    if (holiday !== undefined) {
      problem(['workdays', index], `${day} is also a day off (${holiday})`);
    }
  });
}

export const holidayCalendarSchema = z
  .record(z.string().regex(/^\d{4}$/, 'not a YYYY year'), yearSchema)
  .superRefine((years, ctx) => {
    for (const [year, entry] of Object.entries(years)) checkYear(year, entry, ctx);
  });

export type HolidayCalendarData = z.infer<typeof holidayCalendarSchema>;

/** What a notice says about one day; days it does not mention follow the ordinary week. */
export type DayAdjustment =
  | { readonly kind: 'holiday'; readonly name: string }
  | { readonly kind: 'workday' };

export interface HolidayCalendar {
  /** Years with a published notice, ascending. */
  readonly years: readonly number[];
  /** Whether the notice for `year` is in the data. */
  covers(year: number): boolean;
  /** A holiday or 调休 working day on `YYYY-MM-DD`, or undefined for an ordinary day. */
  adjustmentOn(date: string): DayAdjustment | undefined;
}

/** Holiday data that does not match the schema or contradicts itself. */
export class InvalidHolidayCalendarError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidHolidayCalendarError';
  }
}

/** Validates holiday data and indexes it by day; throws {@link InvalidHolidayCalendarError}. */
export function loadHolidayCalendar(raw: unknown): HolidayCalendar {
  const result = holidayCalendarSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new InvalidHolidayCalendarError(
      `The holiday calendar is invalid: ${problems.join('; ')}`,
      { cause: result.error },
    );
  }
  const adjustments = new Map<string, DayAdjustment>();
  const workday: DayAdjustment = Object.freeze({ kind: 'workday' });
  for (const entry of Object.values(result.data)) {
    for (const { name, from, to } of entry.holidays) {
      const holiday = Object.freeze({ kind: 'holiday', name } as const);
      for (const day of daysOf(from, to)) adjustments.set(day, holiday);
    }
    for (const day of entry.workdays) adjustments.set(day, workday);
  }
  const years = Object.freeze(
    Object.keys(result.data)
      .map(Number)
      .sort((a, b) => a - b),
  );
  return Object.freeze({
    years,
    covers: (year: number) => years.includes(year),
    adjustmentOn: (date: string) => {
      assertLocalDate(date);
      return adjustments.get(date);
    },
  });
}

let published: HolidayCalendar | undefined;
const publishedCalendar = () => (published ??= loadHolidayCalendar(data));

/** The published notices in china-holidays.json, checked and indexed at the first question. */
export const chinaHolidays: HolidayCalendar = Object.freeze({
  get years() {
    return publishedCalendar().years;
  },
  covers: (year: number) => publishedCalendar().covers(year),
  adjustmentOn: (date: string) => publishedCalendar().adjustmentOn(date),
});
