import { describe, expect, it } from 'vitest';
import {
  addIsoDuration,
  InvalidIsoDurationError,
  parseIsoDuration,
} from '../../../infra/local/iso-duration.ts';

const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

describe('parseIsoDuration', () => {
  it.each([
    ['P3D', { days: 3 }],
    ['PT15M', { minutes: 15 }],
    ['P1DT2H', { days: 1, hours: 2 }],
    ['P2W', { weeks: 2 }],
    ['PT90S', { seconds: 90 }],
    ['P1M', { months: 1 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ['PT1.5H', { hours: 1.5 }],
    ['PT0,25S', { seconds: 0.25 }],
    ['PT0S', {}],
    ['p1dt2h', { days: 1, hours: 2 }],
  ])('reads %s', (text, parts) => {
    // Prepare / Act
    const duration = parseIsoDuration(text);

    // Assess
    expect(duration).toEqual({ ...zero, ...parts });
  });

  it.each([
    ['', /empty/],
    ['-P3D', /negative durations are refused/],
    ['P', /names no amount of time/],
    ['PT', /"T" must be followed by hours, minutes or seconds/],
    ['P1DT', /"T" must be followed/],
    ['3D', /expected PnYnMnWnDTnHnMnS/],
    ['P3H', /expected PnYnMnWnDTnHnMnS/],
    ['PT3D', /expected PnYnMnWnDTnHnMnS/],
    ['P1D2Y', /expected PnYnMnWnDTnHnMnS/],
    [' P3D', /expected PnYnMnWnDTnHnMnS/],
    ['P1.5M', /years and months cannot have a fraction/],
    ['P0.5Y', /years and months cannot have a fraction/],
    ['P1.5DT2H', /only the last component may have a fraction/],
  ])('refuses %j with a reason', (text, reason) => {
    // Prepare / Act
    const parse = () => parseIsoDuration(text);

    // Assess
    expect(parse).toThrow(InvalidIsoDurationError);
    expect(parse).toThrow(reason);
  });
});

describe('addIsoDuration', () => {
  const at = (iso: string) => new Date(iso);

  it.each([
    ['2026-03-01T10:00:00.000Z', 'P3D', '2026-03-04T10:00:00.000Z'],
    ['2026-03-01T10:00:00.000Z', 'PT15M', '2026-03-01T10:15:00.000Z'],
    ['2026-03-01T10:00:00.000Z', 'P1DT2H', '2026-03-02T12:00:00.000Z'],
    ['2026-03-01T10:00:00.000Z', 'P2W', '2026-03-15T10:00:00.000Z'],
    ['2026-03-01T10:00:00.000Z', 'PT90S', '2026-03-01T10:01:30.000Z'],
    ['2026-03-01T10:00:00.000Z', 'PT0.0015S', '2026-03-01T10:00:00.002Z'],
    ['2026-03-15T10:00:00.000Z', 'P1M', '2026-04-15T10:00:00.000Z'],
    ['2026-01-31T10:00:00.000Z', 'P1M', '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 'P1M', '2028-02-29T10:00:00.000Z'],
    ['2026-11-30T10:00:00.000Z', 'P3M', '2027-02-28T10:00:00.000Z'],
    ['2028-02-29T10:00:00.000Z', 'P1Y', '2029-02-28T10:00:00.000Z'],
    ['2026-01-31T23:30:00.000Z', 'P1MT1H', '2026-03-01T00:30:00.000Z'],
    ['2026-12-31T00:00:00.000Z', 'P1Y1M1D', '2028-02-01T00:00:00.000Z'],
  ])('%s + %s = %s (calendar months clamped to their last day)', (start, duration, end) => {
    // Prepare / Act
    const result = addIsoDuration(at(start), duration);

    // Assess
    expect(result.toISOString()).toBe(end);
  });

  // Huzhou is UTC+8: between 16:00 and 24:00 UTC its date is a day ahead of UTC's.
  it.each([
    // The 31st at 05:00 in Huzhou is still the 30th in UTC.
    ['2026-03-31T05:00:00+08:00', 'P1M', '2026-04-30T05:00:00+08:00'],
    ['2026-05-31T05:00:00+08:00', 'P1M', '2026-06-30T05:00:00+08:00'],
    ['2026-01-31T05:00:00+08:00', 'P1M', '2026-02-28T05:00:00+08:00'],
    ['2028-01-31T05:00:00+08:00', 'P1M', '2028-02-29T05:00:00+08:00'],
    ['2026-12-31T05:00:00+08:00', 'P2M', '2027-02-28T05:00:00+08:00'],
    ['2028-02-29T07:00:00+08:00', 'P1Y', '2029-02-28T07:00:00+08:00'],
    // Midnight on the 1st in Huzhou is the last day of the month before in UTC.
    ['2026-03-01T00:00:00+08:00', 'P1M', '2026-04-01T00:00:00+08:00'],
    ['2027-01-01T00:00:00+08:00', 'P1M', '2027-02-01T00:00:00+08:00'],
    // The last minutes of Huzhou's 31st, when UTC's date is the same.
    ['2026-01-31T23:59:00+08:00', 'P1M', '2026-02-28T23:59:00+08:00'],
    // Days after months stay 24 hours each, however the dates fall.
    ['2026-03-31T05:00:00+08:00', 'P1M1D', '2026-05-01T05:00:00+08:00'],
    ['2026-03-31T05:00:00+08:00', 'P1MT20H', '2026-05-01T01:00:00+08:00'],
  ])('%s + %s = %s (months on the Huzhou calendar)', (start, duration, end) => {
    // Prepare / Act
    const result = addIsoDuration(at(start), duration);

    // Assess
    expect(result.toISOString()).toBe(at(end).toISOString());
  });

  it('leaves days, hours and weeks as exact lengths across a Huzhou date change', () => {
    // Prepare: 21:00 UTC on the 30th is 05:00 on the 31st in Huzhou.
    const start = at('2026-03-30T21:00:00Z');

    // Act
    const results = ['P1D', 'PT3H', 'P1W'].map((duration) =>
      addIsoDuration(start, duration).toISOString(),
    );

    // Assess
    expect(results).toEqual([
      '2026-03-31T21:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-04-06T21:00:00.000Z',
    ]);
  });

  it('takes a parsed duration as well as its text', () => {
    // Prepare
    const duration = parseIsoDuration('P1M');

    // Act
    const result = addIsoDuration(at('2026-01-31T00:00:00Z'), duration);

    // Assess
    expect(result.toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});
