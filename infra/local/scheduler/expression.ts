import type { WallTime } from './time-zone.ts';

/**
 * EventBridge Scheduler expressions, parsed as the service reads them:
 * `rate(5 minutes)`, `cron(minutes hours day-of-month month day-of-week year)` and
 * `at(yyyy-mm-ddThh:mm:ss)`. What the service would refuse is refused here too, so a schedule
 * that runs locally deploys.
 */

export interface RateExpression {
  readonly kind: 'rate';
  readonly intervalMs: number;
}

/** Allowed values of each field, ascending. `undefined` day fields are `?` (no constraint). */
export interface CronExpression {
  readonly kind: 'cron';
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth?: readonly number[];
  readonly months: readonly number[];
  /** 1 = Sunday … 7 = Saturday, as in EventBridge. */
  readonly daysOfWeek?: readonly number[];
  readonly years: readonly number[];
}

/** A one-time schedule, in the schedule's time zone. */
export interface AtExpression {
  readonly kind: 'at';
  readonly at: WallTime;
}

export type ParsedScheduleExpression = RateExpression | CronExpression | AtExpression;

export class InvalidScheduleExpressionError extends Error {
  public constructor(
    public readonly expression: string,
    reason: string,
  ) {
    super(`Invalid schedule expression "${expression}": ${reason}`);
    this.name = 'InvalidScheduleExpressionError';
  }
}

/** Valid in EventBridge Scheduler, but beyond what the local scheduler can run. */
export class UnsupportedScheduleExpressionError extends Error {
  public constructor(
    public readonly expression: string,
    feature: string,
  ) {
    super(
      `Schedule expression "${expression}" uses ${feature}, which EventBridge Scheduler accepts ` +
        'but the local scheduler does not run (it supports *, ?, lists, ranges and steps)',
    );
    this.name = 'UnsupportedScheduleExpressionError';
  }
}

const rateUnits: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

function parseRate(expression: string, body: string): RateExpression {
  const match = /^(\d+) (minute|hour|day)(s?)$/.exec(body);
  if (!match) {
    throw new InvalidScheduleExpressionError(
      expression,
      'expected rate(<value> minute|minutes|hour|hours|day|days)',
    );
  }
  const [, value, unit, plural] = match;
  const count = Number(value);
  if (count < 1) throw new InvalidScheduleExpressionError(expression, 'the rate must be positive');
  // The service insists on `1 minute` but `5 minutes`.
  if ((count === 1) !== (plural === '')) {
    throw new InvalidScheduleExpressionError(
      expression,
      count === 1 ? `use the singular unit: rate(1 ${unit})` : `use the plural unit: ${unit}s`,
    );
  }
  return { kind: 'rate', intervalMs: count * (rateUnits[unit ?? ''] ?? Number.NaN) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseAt(expression: string, body: string): AtExpression {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) {
    throw new InvalidScheduleExpressionError(expression, 'expected at(yyyy-mm-ddThh:mm:ss)');
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!valid)
    throw new InvalidScheduleExpressionError(expression, `${body} is not a date and time`);
  return { kind: 'at', at: { year, month, day, hour, minute, second } };
}

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers, the first one standing for `min`. */
  readonly names?: readonly string[];
}

const cronFields = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  daysOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  months: {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  daysOfWeek: {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  },
  years: { name: 'year', min: 1970, max: 2199 },
} as const satisfies Record<string, CronField>;

function parseCronValue(expression: string, field: CronField, token: string): number {
  const upper = token.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  if (named >= 0) return field.min + named;
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < field.min || value > field.max) {
      throw new InvalidScheduleExpressionError(
        expression,
        `${field.name} value ${token} is outside ${field.min}-${field.max}`,
      );
    }
    return value;
  }
  if (/^(\d*L|\d+W|LW)$/.test(upper)) {
    throw new UnsupportedScheduleExpressionError(expression, `"${token}" in ${field.name}`);
  }
  throw new InvalidScheduleExpressionError(expression, `"${token}" is not a ${field.name} value`);
}

/** One comma-separated part: `*`, `a`, `a-b`, each optionally `/step`. */
function parseCronItem(expression: string, field: CronField, item: string): number[] {
  if (item.includes('#')) {
    throw new UnsupportedScheduleExpressionError(expression, `"${item}" (#) in ${field.name}`);
  }
  const [range = '', step, ...extra] = item.split('/');
  if (extra.length > 0 || range === '' || (step !== undefined && !/^\d+$/.test(step))) {
    throw new InvalidScheduleExpressionError(expression, `"${item}" in ${field.name}`);
  }
  const increment = step === undefined ? 1 : Number(step);
  if (increment < 1) {
    throw new InvalidScheduleExpressionError(expression, `a step of 0 in ${field.name}`);
  }
  let from: number;
  let to: number;
  if (range === '*') {
    [from, to] = [field.min, field.max];
  } else {
    const [first = '', last, ...more] = range.split('-');
    if (more.length > 0) {
      throw new InvalidScheduleExpressionError(expression, `"${item}" in ${field.name}`);
    }
    from = parseCronValue(expression, field, first);
    // `a/step` runs from a to the end of the field, as in EventBridge.
    to = last !== undefined ? parseCronValue(expression, field, last) : step ? field.max : from;
    if (to < from) {
      throw new InvalidScheduleExpressionError(
        expression,
        `the range "${range}" in ${field.name} runs backwards`,
      );
    }
  }
  const values: number[] = [];
  for (let value = from; value <= to; value += increment) values.push(value);
  return values;
}

function parseCronField(expression: string, field: CronField, text: string): number[] {
  const values = new Set(text.split(',').flatMap((item) => parseCronItem(expression, field, item)));
  return [...values].sort((a, b) => a - b);
}

function parseCron(expression: string, body: string): CronExpression {
  const parts = body.split(/\s+/);
  if (parts.length !== 6) {
    throw new InvalidScheduleExpressionError(
      expression,
      `cron takes 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // EventBridge needs exactly one of the day fields to be `?`: the other one decides.
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new InvalidScheduleExpressionError(
      expression,
      'exactly one of day-of-month and day-of-week must be ?',
    );
  }
  if ([minutes, hours, month, year].some((text) => text.includes('?'))) {
    throw new InvalidScheduleExpressionError(expression, '? is only allowed in the day fields');
  }
  return {
    kind: 'cron',
    minutes: parseCronField(expression, cronFields.minutes, minutes),
    hours: parseCronField(expression, cronFields.hours, hours),
    ...(dayOfMonth === '?'
      ? {}
      : { daysOfMonth: parseCronField(expression, cronFields.daysOfMonth, dayOfMonth) }),
    months: parseCronField(expression, cronFields.months, month),
    ...(dayOfWeek === '?'
      ? {}
      : { daysOfWeek: parseCronField(expression, cronFields.daysOfWeek, dayOfWeek) }),
    years: parseCronField(expression, cronFields.years, year),
  };
}

/** Parses an EventBridge Scheduler expression; throws on anything the service would refuse. */
export function parseScheduleExpression(expression: string): ParsedScheduleExpression {
  const match = /^(rate|cron|at)\((.*)\)$/.exec(expression.trim());
  const [, kind, body = ''] = match ?? [];
  switch (kind) {
    case 'rate':
      return parseRate(expression, body.trim());
    case 'cron':
      return parseCron(expression, body.trim());
    case 'at':
      return parseAt(expression, body.trim());
    default:
      throw new InvalidScheduleExpressionError(
        expression,
        'expected rate(…), cron(…) or at(yyyy-mm-ddThh:mm:ss)',
      );
  }
}
