import { addIsoDuration } from './iso-duration.ts';

/**
 * The local cloud's one clock: the system time plus an offset that a developer (or a test) moves
 * while the cloud runs, so that every part — S3 signatures, the functions' `shared/clock`, Step
 * Functions deadlines, the scheduler — sees the same time.
 *
 * It only moves forward. Deadlines that fired and scheduled runs that ran cannot un-happen, so a
 * clock put back would show the system a past it has already acted on. To start earlier, restart
 * the local cloud with a smaller SHANYU_CLOCK_OFFSET_MS: a moved clock is not persisted.
 */

export interface ClockChange {
  readonly from: Date;
  readonly to: Date;
  readonly offsetMs: number;
}

export type ClockListener = (change: ClockChange) => void;

export interface LocalClockOptions {
  /** Where the clock starts relative to the system clock. @default 0 */
  readonly offsetMs?: number;
  /** @default Date.now */
  readonly systemNow?: () => number;
  /**
   * Told of a listener that threw; the other listeners still run and the clock stays moved.
   * @default console.error
   */
  readonly onListenerError?: (error: unknown) => void;
}

export class ClockMovedBackwardsError extends Error {
  public constructor(
    public readonly current: Date,
    public readonly requested: Date,
  ) {
    super(
      `The local clock only moves forward: ${requested.toISOString()} is before its current time ` +
        `${current.toISOString()} (deadlines already fired cannot un-fire; to start earlier, ` +
        'restart the local cloud with a smaller SHANYU_CLOCK_OFFSET_MS)',
    );
    this.name = 'ClockMovedBackwardsError';
  }
}

export class ClockOutOfRangeError extends Error {
  public constructor(public readonly requested: string) {
    super(`The local clock cannot be set to ${requested}: it must be a time up to 9999-12-31`);
    this.name = 'ClockOutOfRangeError';
  }
}

/** Beyond this, ISO strings need a six-digit year that few parsers read. */
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** SHANYU_CLOCK_OFFSET_MS as `shared/clock` reads it: a number of milliseconds, anything else 0. */
export function clockOffsetFromEnv(value: string | undefined): number {
  const offset = Number(value ?? 0);
  return Number.isFinite(offset) ? Math.trunc(offset) : 0;
}

export class LocalClock {
  readonly #systemNow: () => number;
  readonly #onListenerError: (error: unknown) => void;
  readonly #listeners = new Set<ClockListener>();
  #offsetMs: number;

  public constructor(options: LocalClockOptions = {}) {
    this.#offsetMs = Math.trunc(options.offsetMs ?? 0);
    this.#systemNow = options.systemNow ?? (() => Date.now());
    this.#onListenerError = options.onListenerError ?? ((error) => console.error(error));
  }

  /** Milliseconds the clock is ahead of the system clock (negative: behind). */
  public get offsetMs(): number {
    return this.#offsetMs;
  }

  public now(): Date {
    return new Date(this.#systemNow() + this.#offsetMs);
  }

  /**
   * Moves the clock to `now`, which must not be before the clock's current time, and tells the
   * listeners. Returns the new time.
   */
  public set(now: Date): Date {
    return this.#move(() => now);
  }

  /** Moves the clock forward by an ISO 8601 duration (`P3D`, `PT15M`, `P1M` …). */
  public advance(duration: string): Date {
    return this.#move((from) => {
      const target = addIsoDuration(from, duration);
      if (Number.isNaN(target.getTime())) throw new ClockOutOfRangeError(`now + ${duration}`);
      return target;
    });
  }

  /** Calls `listener` after every move; returns a function that stops it. */
  public onChange(listener: ClockListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // One reading of the system clock per move, so that `advance('P3D')` moves by exactly 3 days.
  #move(targetFrom: (from: Date) => Date): Date {
    const system = this.#systemNow();
    const from = new Date(system + this.#offsetMs);
    const now = targetFrom(from);
    const target = now.getTime();
    if (Number.isNaN(target) || target > LATEST_MS) {
      throw new ClockOutOfRangeError(Number.isNaN(target) ? 'an invalid date' : now.toISOString());
    }
    if (target < from.getTime()) throw new ClockMovedBackwardsError(from, now);
    this.#offsetMs = target - system;
    const change: ClockChange = { from, to: new Date(target), offsetMs: this.#offsetMs };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
    return change.to;
  }
}
