/**
 * ISO 8601 durations (`P3D`, `PT15M`, `P1DT2H`, `P2W`, `PT90S`, `P1M`, `P1Y`), for moving the
 * local clock by hand. Only forward: a negative duration is refused, since the clock never goes
 * back.
 */

export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  /** May have a fraction (milliseconds and below). */
  readonly seconds: number;
}

export class InvalidIsoDurationError extends Error {
  public constructor(
    public readonly duration: string,
    reason: string,
  ) {
    super(`Invalid ISO 8601 duration "${duration}": ${reason}`);
    this.name = 'InvalidIsoDurationError';
  }
}

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(
  `^P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?` +
    `(?:(T)(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
  'i',
);
const EXAMPLES = 'e.g. P3D, PT15M, P1DT2H, P2W, PT90S, P1M';

const MS = {
  weeks: 7 * 86_400_000,
  // Neither UTC nor Huzhou has daylight saving, so a day is always 24 hours.
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
} as const;

/**
 * Huzhou's offset from UTC (Asia/Shanghai: UTC+8 all year, no daylight saving since 1991): a
 * fixed shift is all it takes to read its calendar, without `Intl`.
 */
const HUZHOU_OFFSET_MS = 8 * MS.hours;

export function parseIsoDuration(text: string): IsoDuration {
  if (text === '') throw new InvalidIsoDurationError(text, `it is empty; ${EXAMPLES}`);
  if (text.startsWith('-')) {
    throw new InvalidIsoDurationError(
      text,
      'negative durations are refused: the local clock only moves forward',
    );
  }
  const match = DURATION.exec(text);
  if (!match) {
    throw new InvalidIsoDurationError(text, `expected PnYnMnWnDTnHnMnS, ${EXAMPLES}`);
  }
  const [, years, months, weeks, days, time, hours, minutes, seconds] = match;
  const raw = [years, months, weeks, days, hours, minutes, seconds];
  if (time !== undefined && hours === undefined && minutes === undefined && seconds === undefined) {
    throw new InvalidIsoDurationError(text, '"T" must be followed by hours, minutes or seconds');
  }
  const present = raw.flatMap((value, index) => (value === undefined ? [] : [index]));
  if (present.length === 0) throw new InvalidIsoDurationError(text, 'it names no amount of time');

  // ISO 8601 lets only the smallest component have a fraction; a fraction of a calendar year or
  // month has no definite length.
  const fractional = raw.findIndex((value) => value !== undefined && /[.,]/.test(value));
  if (fractional !== -1) {
    if (fractional < 2) {
      throw new InvalidIsoDurationError(text, 'years and months cannot have a fraction');
    }
    if (fractional !== present.at(-1)) {
      throw new InvalidIsoDurationError(text, 'only the last component may have a fraction');
    }
  }

  const amount = (value: string | undefined) =>
    value === undefined ? 0 : Number(value.replace(',', '.'));
  return {
    years: amount(years),
    months: amount(months),
    weeks: amount(weeks),
    days: amount(days),
    hours: amount(hours),
    minutes: amount(minutes),
    seconds: amount(seconds),
  };
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `start` plus the duration: years and months first, on Huzhou's calendar (a day past the end of
 * the target month is pulled back to its last day, as `java.time` and Temporal do: Jan 31 + P1M =
 * Feb 28 or 29), then weeks, days and the time part as fixed lengths. May be an invalid `Date`
 * when the result is beyond what `Date` holds.
 */
export function addIsoDuration(start: Date, duration: IsoDuration | string): Date {
  const parts = typeof duration === 'string' ? parseIsoDuration(duration) : duration;
  let at = start.getTime();
  const calendarMonths = parts.years * 12 + parts.months;
  if (calendarMonths > 0) {
    // Months are counted on the dates people in Huzhou see, not UTC's: 05:00 on the 31st there is
    // still the 30th in UTC, and + P1M must end on the last day of their next month. So the
    // arithmetic runs on Huzhou wall time, held in a Date's UTC fields, and is shifted back after.
    const wall = new Date(start.getTime() + HUZHOU_OFFSET_MS);
    const monthIndex = wall.getUTCMonth() + calendarMonths;
    const year = wall.getUTCFullYear() + Math.floor(monthIndex / 12);
    const month = monthIndex % 12;
    const day = Math.min(wall.getUTCDate(), daysInMonth(year, month));
    // Year, month and day at once: setting them one by one could overflow through a short month.
    wall.setUTCFullYear(year, month, day);
    at = wall.getTime() - HUZHOU_OFFSET_MS;
  }
  const fixedMs =
    parts.weeks * MS.weeks +
    parts.days * MS.days +
    parts.hours * MS.hours +
    parts.minutes * MS.minutes +
    parts.seconds * MS.seconds;
  return new Date(at + Math.round(fixedMs));
}
