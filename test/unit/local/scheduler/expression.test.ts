import { describe, expect, it } from 'vitest';
import {
  InvalidScheduleExpressionError,
  type ParsedScheduleExpression,
  parseScheduleExpression,
  UnsupportedScheduleExpressionError,
} from '../../../../infra/local/scheduler/index.ts';

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const allYears = range(1970, 2199);

describe('parseScheduleExpression', () => {
  it.each<[string, ParsedScheduleExpression]>([
    ['rate(1 minute)', { kind: 'rate', intervalMs: 60_000 }],
    ['rate(5 minutes)', { kind: 'rate', intervalMs: 300_000 }],
    ['rate(2 hours)', { kind: 'rate', intervalMs: 7_200_000 }],
    ['rate(1 day)', { kind: 'rate', intervalMs: 86_400_000 }],
    ['rate(7 days)', { kind: 'rate', intervalMs: 604_800_000 }],
    [
      'at(2026-12-31T23:59:30)',
      { kind: 'at', at: { year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 30 } },
    ],
    [
      'cron(0 9 * * ? *)',
      {
        kind: 'cron',
        minutes: [0],
        hours: [9],
        daysOfMonth: range(1, 31),
        months: range(1, 12),
        years: allYears,
      },
    ],
    [
      'cron(0/15 8-17 ? * MON-FRI *)',
      {
        kind: 'cron',
        minutes: [0, 15, 30, 45],
        hours: range(8, 17),
        months: range(1, 12),
        daysOfWeek: [2, 3, 4, 5, 6],
        years: allYears,
      },
    ],
    [
      'cron(*/20 0,12 1,15 jan,JUL ? 2026-2030/2)',
      {
        kind: 'cron',
        minutes: [0, 20, 40],
        hours: [0, 12],
        daysOfMonth: [1, 15],
        months: [1, 7],
        years: [2026, 2028, 2030],
      },
    ],
    [
      'cron(30 2 ? * 1,7 2027)',
      {
        kind: 'cron',
        minutes: [30],
        hours: [2],
        months: range(1, 12),
        daysOfWeek: [1, 7],
        years: [2027],
      },
    ],
  ])('parses %s', (expression, expected) => {
    // Prepare
    const input = ` ${expression} `;

    // Act
    const parsed = parseScheduleExpression(input);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it.each([
    ['every 5 minutes', /expected rate/],
    ['rate(5 minute)', /plural/],
    ['rate(1 minutes)', /singular/],
    ['rate(0 minutes)', /positive/],
    ['rate(5 seconds)', /rate\(<value>/],
    ['rate(1.5 hours)', /rate\(<value>/],
    ['at(2026-02-30T09:00:00)', /not a date and time/],
    ['at(2026-01-01 09:00:00)', /yyyy-mm-ddThh:mm:ss/],
    ['at(2026-01-01T24:00:00)', /not a date and time/],
    ['cron(0 9 * * *)', /6 fields/],
    ['cron(0 9 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 9 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 9 * * ? *)', /minutes value 60 is outside 0-59/],
    ['cron(0 24 * * ? *)', /hours value 24/],
    ['cron(0 9 0 * ? *)', /day-of-month value 0/],
    ['cron(0 9 * 13 ? *)', /month value 13/],
    ['cron(0 9 ? * 8 *)', /day-of-week value 8/],
    ['cron(0 9 * * ? 2200)', /year value 2200/],
    ['cron(0 17-8 * * ? *)', /runs backwards/],
    ['cron(0/0 9 * * ? *)', /step of 0/],
    ['cron(? 9 * * ? *)', /only allowed in the day fields/],
    ['cron(0 9 * FOO ? *)', /"FOO" is not a month value/],
    ['cron(0 9 1-2-3 * ? *)', /"1-2-3" in day-of-month/],
  ])('refuses %s', (expression, reason) => {
    // Prepare
    const parse = () => parseScheduleExpression(expression);

    // Act
    const error = (() => {
      try {
        parse();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(InvalidScheduleExpressionError);
    expect((error as Error).message).toMatch(reason);
  });

  it.each([
    ['cron(0 9 L * ? *)', /"L" in day-of-month/],
    ['cron(0 9 15W * ? *)', /"15W" in day-of-month/],
    ['cron(0 9 ? * 6L *)', /"6L" in day-of-week/],
    ['cron(0 9 ? * 2#1 *)', /"2#1" \(#\) in day-of-week/],
  ])('names the EventBridge feature it does not run in %s', (expression, feature) => {
    // Prepare
    const parse = () => parseScheduleExpression(expression);

    // Act
    const act = () => parse();

    // Assess
    expect(act).toThrow(UnsupportedScheduleExpressionError);
    expect(act).toThrow(feature);
  });
});
