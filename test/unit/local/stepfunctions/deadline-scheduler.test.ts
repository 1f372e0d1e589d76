import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DeadlineScheduler,
  MAX_TIMER_DELAY_MS,
} from '../../../../infra/local/stepfunctions/deadline-scheduler.ts';

const DAY_MS = 86_400_000;

describe('DeadlineScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a deadline beyond what one setTimeout can wait, and not before', () => {
    // Prepare
    const scheduler = new DeadlineScheduler(() => Date.now());
    const fired: string[] = [];
    scheduler.schedule(Date.now() + 30 * DAY_MS, () => fired.push('thirty days'));

    // Act
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    const afterOneTimer = [...fired];
    vi.advanceTimersByTime(30 * DAY_MS - MAX_TIMER_DELAY_MS);

    // Assess
    expect(30 * DAY_MS).toBeGreaterThan(MAX_TIMER_DELAY_MS);
    expect(afterOneTimer).toEqual([]);
    expect(fired).toEqual(['thirty days']);
    scheduler.close();
  });

  it('fires what is due at a hand-moved time, earliest first, and nothing else', () => {
    // Prepare
    const scheduler = new DeadlineScheduler(() => Date.now());
    const start = Date.now();
    const fired: string[] = [];
    scheduler.schedule(start + 2 * DAY_MS, () => fired.push('second'));
    scheduler.schedule(start + DAY_MS, () => fired.push('first'));
    scheduler.schedule(start + 10 * DAY_MS, () => fired.push('later'));

    // Act
    const count = scheduler.fireDue(start + 3 * DAY_MS);

    // Assess
    expect(count).toBe(2);
    expect(fired).toEqual(['first', 'second']);
    expect(scheduler.size).toBe(1);
    scheduler.close();
  });

  it('does not fire a cancelled deadline, nor anything after close', () => {
    // Prepare
    const scheduler = new DeadlineScheduler(() => Date.now());
    const fired: string[] = [];
    const cancel = scheduler.schedule(Date.now() + 1000, () => fired.push('cancelled'));
    scheduler.schedule(Date.now() + 2000, () => fired.push('closed'));

    // Act
    cancel();
    scheduler.close();
    vi.advanceTimersByTime(5000);

    // Assess
    expect(fired).toEqual([]);
  });
});
