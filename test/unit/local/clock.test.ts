import { describe, expect, it, vi } from 'vitest';
import {
  type ClockChange,
  ClockMovedBackwardsError,
  ClockOutOfRangeError,
  clockOffsetFromEnv,
  LocalClock,
} from '../../../infra/local/clock.ts';
import { InvalidIsoDurationError } from '../../../infra/local/iso-duration.ts';

const start = Date.parse('2026-03-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** A clock over a system time the test moves. */
function clockAt(offsetMs = 0) {
  const system = { now: start };
  const clock = new LocalClock({ offsetMs, systemNow: () => system.now });
  return { clock, system };
}

describe('clockOffsetFromEnv', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['86400000', DAY_MS],
    ['-5000', -5000],
    ['12.7', 12],
    ['soon', 0],
    ['Infinity', 0],
  ])('reads %j as %d ms', (value, offset) => {
    // Prepare / Act
    const read = clockOffsetFromEnv(value);

    // Assess
    expect(read).toBe(offset);
  });
});

describe('LocalClock', () => {
  it('is the system time plus its offset, and keeps running', () => {
    // Prepare
    const { clock, system } = clockAt(DAY_MS);

    // Act
    const first = clock.now().toISOString();
    system.now += 1500;
    const later = clock.now().toISOString();

    // Assess
    expect(clock.offsetMs).toBe(DAY_MS);
    expect(first).toBe('2026-03-02T00:00:00.000Z');
    expect(later).toBe('2026-03-02T00:00:01.500Z');
  });

  it('set() moves it to a later time, which then keeps running', () => {
    // Prepare
    const { clock, system } = clockAt();

    // Act
    const moved = clock.set(new Date('2026-03-10T08:00:00Z'));
    system.now += 60_000;

    // Assess
    expect(moved.toISOString()).toBe('2026-03-10T08:00:00.000Z');
    expect(clock.offsetMs).toBe(9 * DAY_MS + 8 * 3_600_000);
    expect(clock.now().toISOString()).toBe('2026-03-10T08:01:00.000Z');
  });

  it('advance() moves it by an ISO 8601 duration, calendar months included', () => {
    // Prepare
    const { clock } = clockAt();

    // Act
    const days = clock.advance('P3D').toISOString();
    const minutes = clock.advance('PT15M').toISOString();
    const month = clock.advance('P1M').toISOString();

    // Assess
    expect([days, minutes, month]).toEqual([
      '2026-03-04T00:00:00.000Z',
      '2026-03-04T00:15:00.000Z',
      '2026-04-04T00:15:00.000Z',
    ]);
  });

  it('advance() moves by exactly the duration while the system clock ticks on', () => {
    // Prepare: every reading of the system clock is a millisecond later.
    let ticks = 0;
    const clock = new LocalClock({ systemNow: () => start + ticks++ });

    // Act
    clock.advance('P3D');

    // Assess
    expect(clock.offsetMs).toBe(3 * DAY_MS);
  });

  it('refuses to move back, and stays where it was', () => {
    // Prepare
    const { clock } = clockAt();
    clock.advance('P3D');
    const listener = vi.fn();
    clock.onChange(listener);

    // Act
    const back = () => clock.set(new Date('2026-03-03T23:59:59.999Z'));

    // Assess
    expect(back).toThrow(ClockMovedBackwardsError);
    expect(back).toThrow(
      'The local clock only moves forward: 2026-03-03T23:59:59.999Z is before its current time 2026-03-04T00:00:00.000Z',
    );
    expect(clock.offsetMs).toBe(3 * DAY_MS);
    expect(listener).not.toHaveBeenCalled();
  });

  it('accepts its own current time', () => {
    // Prepare
    const { clock } = clockAt(DAY_MS);

    // Act
    const moved = clock.set(clock.now());

    // Assess
    expect(moved.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(clock.offsetMs).toBe(DAY_MS);
  });

  it('refuses a bad duration, an invalid date and a time past year 9999', () => {
    // Prepare
    const { clock } = clockAt();

    // Act
    const attempts = [
      () => clock.advance('-P1D'),
      () => clock.set(new Date('not a date')),
      () => clock.set(new Date(Date.UTC(10_000, 0, 1))),
      () => clock.advance('P100000000Y'),
    ];

    // Assess
    expect(attempts[0]).toThrow(InvalidIsoDurationError);
    for (const attempt of attempts.slice(1)) expect(attempt).toThrow(ClockOutOfRangeError);
    expect(clock.offsetMs).toBe(0);
  });

  it('tells every listener where it moved from and to, until they stop listening', () => {
    // Prepare
    const { clock } = clockAt();
    const changes: ClockChange[] = [];
    const other = vi.fn();
    const unfollow = clock.onChange((change) => changes.push(change));
    clock.onChange(other);

    // Act
    clock.advance('P1D');
    unfollow();
    clock.advance('P1D');

    // Assess
    expect(changes).toEqual([
      {
        from: new Date('2026-03-01T00:00:00Z'),
        to: new Date('2026-03-02T00:00:00Z'),
        offsetMs: DAY_MS,
      },
    ]);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it('still tells the other listeners when one throws, and reports the error', () => {
    // Prepare
    const errors: unknown[] = [];
    const clock = new LocalClock({
      systemNow: () => start,
      onListenerError: (error) => errors.push(error),
    });
    const failure = new Error('scheduler gone');
    const after = vi.fn();
    clock.onChange(() => {
      throw failure;
    });
    clock.onChange(after);

    // Act
    const moved = clock.advance('PT1H');

    // Assess
    expect(moved.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([failure]);
  });
});
