import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chinaHolidays,
  type HolidayCalendar,
  InvalidHolidayCalendarError,
  loadHolidayCalendar,
} from '../../../shared/calendar/holiday-calendar.ts';

const dataFile = new URL('../../../shared/calendar/china-holidays.json', import.meta.url);

function validYear() {
  return {
    notice: {
      title: '国务院办公厅关于2030年部分节假日安排的通知',
      number: '国办发明电〔2029〕1号',
      published: '2029-11-01',
      url: 'https://www.gov.cn/example',
    },
    holidays: [
      { name: '春节', from: '2030-02-02', to: '2030-02-08' }, // Sat … Fri
      { name: '国庆节', from: '2030-10-01', to: '2030-10-07' },
    ],
    workdays: ['2030-02-09', '2030-09-29'], // Sat, Sun
  };
}

/** Every day of `year` the calendar marks, by kind. */
function countAdjustments(calendar: HolidayCalendar, year: number) {
  const counts = { holiday: 0, workday: 0 };
  const day = new Date(Date.UTC(year, 0, 1));
  while (day.getUTCFullYear() === year) {
    const adjustment = calendar.adjustmentOn(day.toISOString().slice(0, 10));
    if (adjustment !== undefined) counts[adjustment.kind] += 1;
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return counts;
}

describe('china-holidays.json', () => {
  it('passes validation', () => {
    // Prepare
    const raw: unknown = JSON.parse(readFileSync(dataFile, 'utf8'));

    // Act
    const calendar = loadHolidayCalendar(raw);

    // Assess
    expect(calendar.years).toEqual([2025, 2026]);
    expect(chinaHolidays.years).toEqual(calendar.years);
  });

  it.each([
    // year, days off (the notices' 共N天 summed), 调休 working days
    [2025, 1 + 8 + 3 + 5 + 3 + 8, 5],
    [2026, 3 + 9 + 3 + 5 + 3 + 3 + 7, 6],
  ])('matches the %i notice: %i days off, %i worked weekend days', (year, off, worked) => {
    // Prepare / Act
    const counts = countAdjustments(chinaHolidays, year);

    // Assess
    expect(counts).toEqual({ holiday: off, workday: worked });
  });
});

describe('a loaded calendar', () => {
  it('answers by day', () => {
    // Prepare
    const calendar = loadHolidayCalendar({ '2030': validYear() });

    // Act / Assess
    expect(calendar.covers(2030)).toBe(true);
    expect(calendar.covers(2031)).toBe(false);
    expect(calendar.adjustmentOn('2030-02-02')).toEqual({ kind: 'holiday', name: '春节' });
    expect(calendar.adjustmentOn('2030-02-08')).toEqual({ kind: 'holiday', name: '春节' });
    expect(calendar.adjustmentOn('2030-02-09')).toEqual({ kind: 'workday' });
    expect(calendar.adjustmentOn('2030-02-01')).toBeUndefined();
    expect(calendar.adjustmentOn('2030-02-10')).toBeUndefined();
  });

  it('lists its years in order', () => {
    // Prepare
    const year2031 = {
      notice: {
        title: '国务院办公厅关于2031年部分节假日安排的通知',
        number: '1',
        published: '2030-11-01',
      },
      holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }],
      workdays: [],
    };

    // Act
    const calendar = loadHolidayCalendar({ '2031': year2031, '2030': validYear() });

    // Assess
    expect(calendar.years).toEqual([2030, 2031]);
  });

  it('refuses a malformed date to look up', () => {
    // Prepare
    const calendar = loadHolidayCalendar({ '2030': validYear() });

    // Act / Assess
    expect(() => calendar.adjustmentOn('2030-02-30')).toThrow(RangeError);
  });
});

describe('loadHolidayCalendar refuses', () => {
  type Year = ReturnType<typeof validYear>;
  it.each<[string, (year: Year) => unknown, string]>([
    [
      'a 调休 day on a weekday',
      (year) => ({ ...year, workdays: ['2030-03-05'] }),
      '2030-03-05 is a weekday',
    ],
    [
      'a 调休 day inside a holiday',
      (year) => ({ ...year, workdays: ['2030-02-02'] }),
      '2030-02-02 is also a day off (春节)',
    ],
    [
      'a 调休 day listed twice',
      (year) => ({ ...year, workdays: ['2030-02-09', '2030-02-09'] }),
      'listed twice',
    ],
    [
      'a 调休 day in another year',
      (year) => ({ ...year, workdays: ['2029-12-29'] }),
      '2029-12-29 is not in 2030',
    ],
    [
      'a holiday in another year',
      (year) => ({ ...year, holidays: [{ name: '元旦', from: '2029-12-30', to: '2030-01-01' }] }),
      'holidays.0.from: not in 2030',
    ],
    [
      'a holiday that ends before it starts',
      (year) => ({ ...year, holidays: [{ name: '春节', from: '2030-02-08', to: '2030-02-02' }] }),
      '春节 ends before it starts',
    ],
    [
      'overlapping holidays',
      (year) => ({
        ...year,
        holidays: [...year.holidays, { name: '中秋节', from: '2030-10-07', to: '2030-10-08' }],
      }),
      '中秋节 and 国庆节 both claim 2030-10-07',
    ],
    [
      'a day that does not exist',
      (year) => ({ ...year, holidays: [{ name: '春节', from: '2030-02-28', to: '2030-02-30' }] }),
      'not a YYYY-MM-DD calendar date',
    ],
    [
      'a notice for another year',
      (year) => ({
        ...year,
        notice: { ...year.notice, title: '国务院办公厅关于2029年部分节假日安排的通知' },
      }),
      'notice.title: not about 2030',
    ],
    ['a missing notice', ({ notice: _, ...year }) => year, 'notice'],
    ['an unknown field', (year) => ({ ...year, extra: true }), 'extra'],
  ])('%s', (_case, spoil, message) => {
    // Prepare
    const raw = { '2030': spoil(validYear()) };

    // Act
    const load = () => loadHolidayCalendar(raw);

    // Assess
    expect(load).toThrow(InvalidHolidayCalendarError);
    expect(load).toThrow(message);
  });

  it('a key that is not a year', () => {
    // Prepare / Act / Assess
    expect(() => loadHolidayCalendar({ next: validYear() })).toThrow(InvalidHolidayCalendarError);
  });
});
