import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addWorkingDays,
  calendarYears,
  isWorkingDay,
  workingDaysBetween,
} from '../../../shared/calendar/working-days.ts';
import { logger } from '../../../shared/observability/index.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('addWorkingDays', () => {
  it.each([
    // from (UTC instant)           days  due (UTC instant; 17:30 in Huzhou is 09:30 UTC)
    ['2026-11-25T02:00:00Z', 2, '2026-11-27T09:30:00.000Z'], // Wed → Fri
    ['2026-11-27T02:00:00Z', 1, '2026-11-30T09:30:00.000Z'], // Fri → Mon
    ['2026-11-27T17:00:00Z', 1, '2026-11-30T09:30:00.000Z'], // Sat 01:00 in Huzhou → Mon
    ['2026-11-27T17:00:00Z', 2, '2026-12-01T09:30:00.000Z'], // Sat 01:00 in Huzhou → Tue
    ['2026-11-28T02:00:00Z', 0, '2026-11-30T09:30:00.000Z'], // Sat, zero days → Mon
    ['2026-11-25T02:00:00Z', 0, '2026-11-25T09:30:00.000Z'], // same working day
    ['2026-11-23T02:00:00Z', 10, '2026-12-07T09:30:00.000Z'], // two whole weeks
  ])('%s + %i working days → %s', (from, days, due) => {
    // Prepare / Act
    const result = addWorkingDays(new Date(from), days);

    // Assess
    expect(result.toISOString()).toBe(due);
  });

  it.each([
    // 2025 Spring Festival: off Tue 01-28 … Tue 02-04; worked Sun 01-26 and Sat 02-08.
    ['2025-01-24T02:00:00Z', 1, '2025-01-26T09:30:00.000Z'], // Fri → the 调休 Sunday
    ['2025-01-24T02:00:00Z', 2, '2025-01-27T09:30:00.000Z'], // → Mon
    ['2025-01-24T02:00:00Z', 3, '2025-02-05T09:30:00.000Z'], // → over the holiday to Wed
    ['2025-01-30T02:00:00Z', 0, '2025-02-05T09:30:00.000Z'], // zero days in the holiday → Wed
    ['2025-01-26T02:00:00Z', 0, '2025-01-26T09:30:00.000Z'], // zero days on the 调休 Sunday
    ['2025-02-05T02:00:00Z', 3, '2025-02-08T09:30:00.000Z'], // Wed → Thu, Fri, the 调休 Saturday
    ['2025-02-05T02:00:00Z', 4, '2025-02-10T09:30:00.000Z'], // … Sun off → Mon
    // 2026 Spring Festival: off Sun 02-15 … Mon 02-23; worked Sat 02-14 and Sat 02-28.
    ['2026-02-13T02:00:00Z', 1, '2026-02-14T09:30:00.000Z'], // Fri → the 调休 Saturday
    ['2026-02-13T02:00:00Z', 2, '2026-02-24T09:30:00.000Z'], // → over the holiday to Tue
    ['2026-02-13T16:30:00Z', 0, '2026-02-14T09:30:00.000Z'], // Sat 00:30 in Huzhou, a 调休 day
    ['2026-02-13T16:30:00Z', 1, '2026-02-24T09:30:00.000Z'], // Sat 00:30 in Huzhou → Tue
    ['2026-02-24T02:00:00Z', 4, '2026-02-28T09:30:00.000Z'], // Tue → Wed, Thu, Fri, 调休 Sat
    ['2026-02-24T02:00:00Z', 5, '2026-03-02T09:30:00.000Z'], // … Sun off → Mon
    // 2025 National Day and Mid-Autumn: off Wed 10-01 … Wed 10-08; worked Sun 09-28, Sat 10-11.
    ['2025-09-26T02:00:00Z', 1, '2025-09-28T09:30:00.000Z'], // Fri → the 调休 Sunday
    ['2025-09-29T02:00:00Z', 2, '2025-10-09T09:30:00.000Z'], // Mon → Tue, then Thu after it
    ['2025-10-09T02:00:00Z', 2, '2025-10-11T09:30:00.000Z'], // Thu → Fri, the 调休 Saturday
    // 2026 Mid-Autumn (Fri 09-25 … Sun 09-27) and National Day (Thu 10-01 … Wed 10-07);
    // worked Sun 09-20 and Sat 10-10.
    ['2026-09-18T02:00:00Z', 1, '2026-09-20T09:30:00.000Z'], // Fri → the 调休 Sunday
    ['2026-09-24T02:00:00Z', 1, '2026-09-28T09:30:00.000Z'], // Thu → over 中秋 to Mon
    ['2026-09-30T02:00:00Z', 1, '2026-10-08T09:30:00.000Z'], // Wed → over 国庆 to Thu
    ['2026-09-30T02:00:00Z', 3, '2026-10-10T09:30:00.000Z'], // → Thu, Fri, the 调休 Saturday
    // New Year 2026: off Thu 01-01 … Sat 01-03; worked Sun 01-04.
    ['2025-12-31T02:00:00Z', 1, '2026-01-04T09:30:00.000Z'], // Wed → the 调休 Sunday
  ])('on the State Council calendar, %s + %i working days → %s', (from, days, due) => {
    // Prepare / Act
    const result = addWorkingDays(new Date(from), days);

    // Assess
    expect(result.toISOString()).toBe(due);
  });

  it('ends the day at a configured time', () => {
    // Prepare / Act
    const result = addWorkingDays(new Date('2026-11-25T02:00:00Z'), 1, { endOfDay: '18:00' });

    // Assess
    expect(result.toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it('ends the day at WORKDAY_ENDS_AT when no option is given', () => {
    // Prepare
    vi.stubEnv('WORKDAY_ENDS_AT', '16:00');

    // Act
    const result = addWorkingDays(new Date('2026-11-25T02:00:00Z'), 1);

    // Assess
    expect(result.toISOString()).toBe('2026-11-26T08:00:00.000Z');
  });

  it('prefers the option to WORKDAY_ENDS_AT', () => {
    // Prepare
    vi.stubEnv('WORKDAY_ENDS_AT', '16:00');

    // Act
    const result = addWorkingDays(new Date('2026-11-25T02:00:00Z'), 1, { endOfDay: '18:00' });

    // Assess
    expect(result.toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it('falls back to 17:30 when WORKDAY_ENDS_AT is empty', () => {
    // Prepare
    vi.stubEnv('WORKDAY_ENDS_AT', '');

    // Act
    const result = addWorkingDays(new Date('2026-11-25T02:00:00Z'), 1);

    // Assess
    expect(result.toISOString()).toBe('2026-11-26T09:30:00.000Z');
  });

  it.each(['25:00', '9:00', '17:30:00', '17:60', 'noon', ''])(
    'rejects the end of day %j, naming it',
    (endOfDay) => {
      // Prepare
      const from = new Date('2026-11-25T02:00:00Z');

      // Act
      const call = () => addWorkingDays(from, 1, { endOfDay });

      // Assess
      expect(call).toThrow(RangeError);
      expect(call).toThrow(`"${endOfDay}"`);
    },
  );

  it('rejects a bad WORKDAY_ENDS_AT, naming it', () => {
    // Prepare
    vi.stubEnv('WORKDAY_ENDS_AT', '5pm');

    // Act
    const call = () => addWorkingDays(new Date('2026-11-25T02:00:00Z'), 1);

    // Assess
    expect(call).toThrow(RangeError);
    expect(call).toThrow('"5pm"');
  });

  it('refuses negative or fractional days', () => {
    // Prepare / Act / Assess
    expect(() => addWorkingDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
  });

  it('refuses an invalid date', () => {
    // Prepare / Act / Assess
    expect(() => addWorkingDays(new Date('not a date'), 1)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-02-14', true], // 调休 Saturday
    ['2026-02-28', true], // 调休 Saturday
    ['2025-10-11', true], // 调休 Saturday
    ['2025-01-26', true], // 调休 Sunday
    ['2026-01-04', true], // 调休 Sunday
    ['2026-02-23', false], // Monday in the Spring Festival
    ['2025-10-08', false], // Wednesday in National Day
    ['2026-01-01', false], // Thursday, New Year's Day
    ['2025-05-05', false], // Monday in Labour Day
    ['2026-06-19', false], // Friday, Dragon Boat Festival
    ['2026-02-15', false], // Sunday in the Spring Festival
    ['2026-03-02', true], // ordinary Monday
    ['2026-03-01', false], // ordinary Sunday
    ['2026-03-07', false], // ordinary Saturday
  ])('%s → %s', (date, expected) => {
    // Prepare / Act
    const result = isWorkingDay(date);

    // Assess
    expect(result).toBe(expected);
  });

  it.each(['2026-02-30', '2026-2-3', '20260203', ''])('refuses %j', (date) => {
    // Prepare / Act / Assess
    expect(() => isWorkingDay(date)).toThrow(RangeError);
  });
});

describe('a year without a published notice', () => {
  it('counts weekends only and warns once per year', () => {
    // Prepare
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const newYearsDay = isWorkingDay('2031-01-01'); // a Wednesday, a holiday once published
    const saturday = isWorkingDay('2031-01-04');
    const due = addWorkingDays(new Date('2031-01-03T02:00:00Z'), 1); // Fri → Mon 01-06
    const warningsFor2031 = warn.mock.calls.length;
    isWorkingDay('2032-01-01');

    // Assess
    expect(newYearsDay).toBe(true);
    expect(saturday).toBe(false);
    expect(due.toISOString()).toBe('2031-01-06T09:30:00.000Z');
    expect(warningsFor2031).toBe(1);
    expect(warn).toHaveBeenCalledTimes(2);
    const [first, second] = warn.mock.calls.map(([message]) => String(message));
    expect(first).toContain('2031');
    expect(first).toContain('shared/calendar/china-holidays.json');
    expect(second).toContain('2032');
  });

  it('is not warned about for a year with data', () => {
    // Prepare
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    addWorkingDays(new Date('2025-12-31T02:00:00Z'), 10);

    // Assess
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('workingDaysBetween', () => {
  it.each([
    // from (UTC)              to (UTC)                 working days
    ['2026-11-27T02:00:00Z', '2026-11-30T02:00:00Z', 1], // created Fri, decided Mon
    ['2026-11-27T02:00:00Z', '2026-11-27T09:00:00Z', 0], // decided the same day
    ['2026-11-30T02:00:00Z', '2026-11-27T02:00:00Z', 0], // to before from
    ['2026-11-27T15:00:00Z', '2026-11-29T16:30:00Z', 1], // Fri 23:00 → Mon 00:30 in Huzhou
    ['2026-11-27T15:00:00Z', '2026-11-27T16:30:00Z', 0], // Fri 23:00 → Sat 00:30 in Huzhou
    // Fri 02-13 → Tue 02-24 2026: the 调休 Sat 02-14, then 02-15 … 02-23 off, then Tue.
    ['2026-02-13T02:00:00Z', '2026-02-24T02:00:00Z', 2],
    // … to the 调休 Sat 02-28: 02-14, 02-24, 25, 26, 27, 28.
    ['2026-02-13T02:00:00Z', '2026-02-28T02:00:00Z', 6],
    // Fri 09-26 → Sun 10-12 2025: 09-28 (调休), 29, 30, then 10-09, 10, 11 (调休).
    ['2025-09-26T02:00:00Z', '2025-10-12T02:00:00Z', 6],
  ])('%s → %s: %i', (from, to, expected) => {
    // Prepare / Act
    const result = workingDaysBetween(new Date(from), new Date(to));

    // Assess
    expect(result).toBe(expected);
  });

  it('refuses an invalid date', () => {
    // Prepare / Act / Assess
    expect(() => workingDaysBetween(new Date('nope'), new Date())).toThrow(RangeError);
    expect(() => workingDaysBetween(new Date(), new Date('nope'))).toThrow(RangeError);
  });
});

describe('calendarYears', () => {
  it('lists the years with a published notice', () => {
    // Prepare / Act / Assess
    expect(calendarYears()).toEqual([2025, 2026]);
  });
});
