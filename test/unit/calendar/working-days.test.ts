import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../../shared/calendar/working-days.ts';

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

  it('ends the day at a configured time', () => {
    // Prepare / Act
    const result = addWorkingDays(new Date('2026-11-25T02:00:00Z'), 1, { endOfDay: '18:00' });

    // Assess
    expect(result.toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it('refuses negative or fractional days', () => {
    // Prepare / Act / Assess
    expect(() => addWorkingDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
  });
});
