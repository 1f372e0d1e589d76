import { describe, expect, it } from 'vitest';
import {
  InvalidScheduleExpressionError,
  nextRun,
  UnknownTimeZoneError,
} from '../../../../infra/local/scheduler/index.ts';

const shanghai = 'Asia/Shanghai';

describe('nextRun', () => {
  it.each<[string, string, string, string | undefined]>([
    // expression, time zone, after (UTC), expected next run (UTC)
    ['cron(0 9 * * ? *)', shanghai, '2026-03-02T00:30:00Z', '2026-03-02T01:00:00Z'],
    ['cron(0 9 * * ? *)', shanghai, '2026-03-02T01:00:00Z', '2026-03-03T01:00:00Z'],
    ['cron(0 9 * * ? *)', 'UTC', '2026-03-02T01:00:00Z', '2026-03-02T09:00:00Z'],
    // Midnight in Shanghai is 16:00 UTC the day before.
    ['cron(0 0 1 * ? *)', shanghai, '2026-03-15T00:00:00Z', '2026-03-31T16:00:00Z'],
    // After Friday 09:00 in Shanghai (2026-03-06), the next weekday 08:30 is Monday's.
    ['cron(30 8 ? * MON-FRI *)', shanghai, '2026-03-06T01:00:00Z', '2026-03-09T00:30:00Z'],
    ['cron(0/15 * * * ? *)', 'UTC', '2026-03-02T10:07:59Z', '2026-03-02T10:15:00Z'],
    ['cron(0/15 * * * ? *)', 'UTC', '2026-03-02T10:14:59.999Z', '2026-03-02T10:15:00Z'],
    ['cron(59 23 31 12 ? *)', shanghai, '2026-06-01T00:00:00Z', '2026-12-31T15:59:00Z'],
    // Only leap years have 29 February.
    ['cron(0 12 29 2 ? *)', 'UTC', '2026-01-01T00:00:00Z', '2028-02-29T12:00:00Z'],
    ['cron(0 12 * * ? 2025)', 'UTC', '2026-01-01T00:00:00Z', undefined],
    ['cron(0 12 30 2 ? *)', 'UTC', '2026-01-01T00:00:00Z', undefined],
    // Clocks spring forward over 02:30 in New York on 2026-03-08: that run is skipped.
    ['cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T08:00:00Z', '2026-03-09T06:30:00Z'],
    ['at(2026-10-01T09:00:00)', shanghai, '2026-09-30T00:00:00Z', '2026-10-01T01:00:00Z'],
    ['at(2026-10-01T09:00:00)', shanghai, '2026-10-01T01:00:00Z', undefined],
    ['at(2026-10-01T09:00:00)', 'UTC', '2026-09-30T00:00:00Z', '2026-10-01T09:00:00Z'],
    // Rates count from the epoch unless given an anchor.
    ['rate(5 minutes)', shanghai, '2026-03-02T10:02:00Z', '2026-03-02T10:05:00Z'],
    ['rate(5 minutes)', shanghai, '2026-03-02T10:05:00Z', '2026-03-02T10:10:00Z'],
    ['rate(1 day)', shanghai, '2026-03-02T10:02:00Z', '2026-03-03T00:00:00Z'],
  ])('%s in %s after %s is %s', (expression, timezone, after, expected) => {
    // Prepare
    const schedule = { expression, timezone };

    // Act
    const next = nextRun(schedule, new Date(after));

    // Assess
    expect(next?.toISOString()).toBe(expected && new Date(expected).toISOString());
  });

  it.each([
    ['2026-03-02T10:00:00Z', '2026-03-02T10:05:00Z'],
    ['2026-03-02T10:04:59Z', '2026-03-02T10:05:00Z'],
    ['2026-03-02T10:05:00Z', '2026-03-02T10:10:00Z'],
    ['2026-03-02T09:00:00Z', '2026-03-02T10:05:00Z'],
  ])('counts a rate from its anchor: after %s comes %s', (after, expected) => {
    // Prepare
    const anchor = new Date('2026-03-02T10:00:00Z');

    // Act
    const next = nextRun({ expression: 'rate(5 minutes)' }, new Date(after), anchor);

    // Assess
    expect(next?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('reads cron and at expressions in UTC when no time zone is given', () => {
    // Prepare
    const schedule = { expression: 'cron(0 9 * * ? *)' };

    // Act
    const next = nextRun(schedule, new Date('2026-03-02T00:00:00Z'));

    // Assess
    expect(next?.toISOString()).toBe('2026-03-02T09:00:00.000Z');
  });

  it('refuses a time zone the runtime does not know, and an invalid expression', () => {
    // Prepare
    const after = new Date('2026-03-02T00:00:00Z');

    // Act
    const unknownZone = () =>
      nextRun({ expression: 'rate(1 day)', timezone: 'Mars/Olympus' }, after);
    const invalid = () => nextRun({ expression: 'cron(0 9 * * *)', timezone: shanghai }, after);

    // Assess
    expect(unknownZone).toThrow(UnknownTimeZoneError);
    expect(invalid).toThrow(InvalidScheduleExpressionError);
  });
});
