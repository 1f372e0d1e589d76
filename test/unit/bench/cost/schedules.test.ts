import { describe, expect, it } from 'vitest';
import { runsPerMonth } from '../../../../bench/cost/schedules.ts';

describe('runsPerMonth', () => {
  it('counts a 30-day month of a rate schedule', () => {
    // Prepare / Act / Assess
    expect(runsPerMonth('rate(1 minute)')).toBe(43_200);
    expect(runsPerMonth('rate(5 minutes)')).toBe(8_640);
    expect(runsPerMonth('rate(15 minutes)')).toBe(2_880);
    expect(runsPerMonth('rate(2 hours)')).toBe(360);
    expect(runsPerMonth('rate(1 day)')).toBe(30);
  });

  it('leaves cron schedules out', () => {
    // Prepare / Act / Assess
    expect(runsPerMonth('cron(0 9 * * ? *)')).toBeUndefined();
  });
});
