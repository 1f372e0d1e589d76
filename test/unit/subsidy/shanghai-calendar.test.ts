import { describe, expect, it } from 'vitest';
import {
  addMonths,
  firstDayOf,
  lastDayOf,
  monthOrdinal,
  monthsBetween,
  shanghaiDate,
  shanghaiMidnight,
  shanghaiMonth,
} from '../../../shared/subsidy/policy/shanghai-calendar.ts';

describe('shanghaiDate / shanghaiMonth', () => {
  it.each([
    ['2026-09-30T15:59:59.999Z', '2026-09-30', '2026-09'],
    ['2026-09-30T16:00:00.000Z', '2026-10-01', '2026-10'], // midnight in Huzhou
    ['2026-12-31T16:00:00.000Z', '2027-01-01', '2027-01'],
  ])('%s is %s in Huzhou', (instant, date, month) => {
    // Prepare
    const at = new Date(instant);

    // Act
    const day = shanghaiDate(at);
    const calendarMonth = shanghaiMonth(at);

    // Assess
    expect(day).toBe(date);
    expect(calendarMonth).toBe(month);
  });

  it('refuses an invalid date', () => {
    // Prepare
    const invalid = new Date('not a date');

    // Act / Assess
    expect(() => shanghaiDate(invalid)).toThrow(RangeError);
  });
});

describe('shanghaiMidnight', () => {
  it.each([
    ['2026-03-01', '2026-02-28T16:00:00.000Z'],
    ['2024-02-29', '2024-02-28T16:00:00.000Z'],
    ['2027-01-01', '2026-12-31T16:00:00.000Z'],
  ])('%s begins at %s', (date, instant) => {
    // Act
    const midnight = shanghaiMidnight(date);

    // Assess
    expect(midnight.toISOString()).toBe(instant);
    expect(shanghaiDate(midnight)).toBe(date);
    expect(shanghaiDate(new Date(midnight.getTime() - 1))).not.toBe(date);
  });

  it.each([
    ['a day that does not exist', '2026-02-29'],
    ['a month 13', '2026-13-01'],
    ['a missing leading zero', '2026-3-01'],
    ['a time besides the date', '2026-03-01T00:00'],
    ['a two-digit year read as 19xx', '0026-03-01'],
    ['no date at all', 'yesterday'],
  ])('refuses %s', (_, date) => {
    // Act / Assess
    expect(() => shanghaiMidnight(date)).toThrow(RangeError);
  });
});

describe('month arithmetic', () => {
  it.each([
    ['2026-10', -5, '2026-05'],
    ['2026-01', -1, '2025-12'],
    ['2025-12', 1, '2026-01'],
    ['2024-02', 36, '2027-02'],
    ['2026-10', 0, '2026-10'],
  ])('%s %+i months → %s', (month, count, expected) => {
    // Prepare / Act
    const result = addMonths(month, count);

    // Assess
    expect(result).toBe(expected);
    expect(monthOrdinal(result) - monthOrdinal(month)).toBe(count);
  });

  it.each([
    ['2024-02', '2024-02-29'],
    ['2025-02', '2025-02-28'],
    ['2100-02', '2100-02-28'],
    ['2026-04', '2026-04-30'],
    ['2026-12', '2026-12-31'],
  ])('%s runs from the 1st to %s', (month, last) => {
    // Prepare / Act
    const first = firstDayOf(month);
    const end = lastDayOf(month);

    // Assess
    expect(first).toBe(`${month}-01`);
    expect(end).toBe(last);
  });

  it.each(['2026-13', '2026-1', '202610', ''])('refuses the malformed month %j', (month) => {
    // Prepare / Act / Assess
    expect(() => monthOrdinal(month)).toThrow(RangeError);
    expect(() => firstDayOf(month)).toThrow(RangeError);
  });
});

describe('monthsBetween', () => {
  it.each([
    ['2026-11', '2027-02', ['2026-11', '2026-12', '2027-01', '2027-02']],
    ['2026-11', '2026-11', ['2026-11']],
    ['2027-01', '2026-12', []],
  ])('%s to %s → %j', (from, to, expected) => {
    // Prepare / Act
    const months = monthsBetween(from, to);

    // Assess
    expect(months).toEqual(expected);
  });
});
