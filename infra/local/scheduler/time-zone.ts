/**
 * Wall-clock time in an IANA time zone, through `Intl.DateTimeFormat`: schedules are written in
 * the zone their people work in (Asia/Shanghai), timers run on UTC instants.
 */

/** A local date and time, without a zone (month 1–12). */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export class UnknownTimeZoneError extends Error {
  public constructor(public readonly timeZone: string) {
    super(`Unknown time zone "${timeZone}": expected an IANA name such as Asia/Shanghai or UTC`);
    this.name = 'UnknownTimeZoneError';
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        // h23: midnight is 00, not 24.
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UnknownTimeZoneError(timeZone);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws `UnknownTimeZoneError` unless the runtime knows the zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall-clock time in `timeZone` at `instant` (milliseconds dropped). */
export function wallTimeAt(timeZone: string, instant: Date): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? Number.NaN,
    month: parts.month ?? Number.NaN,
    day: parts.day ?? Number.NaN,
    hour: parts.hour ?? Number.NaN,
    minute: parts.minute ?? Number.NaN,
    second: parts.second ?? Number.NaN,
  };
}

/** The wall time read as if it were UTC, in epoch milliseconds. */
function utcMillis(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** How far `timeZone` is ahead of UTC at `instantMs`. */
function offsetAt(timeZone: string, instantMs: number): number {
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return utcMillis(wallTimeAt(timeZone, new Date(wholeSeconds))) - wholeSeconds;
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second
  );
}

/**
 * The instant at which `timeZone`'s clocks show `wall`: the earlier one when clocks fall back and
 * the time occurs twice, `undefined` when clocks spring forward over it.
 */
export function instantOf(timeZone: string, wall: WallTime): Date | undefined {
  const asUtc = utcMillis(wall);
  const day = 24 * 60 * 60 * 1000;
  // An offset changes at most once within a day or so, so the offsets a day either side give
  // every candidate instant.
  const candidates = [offsetAt(timeZone, asUtc - day), offsetAt(timeZone, asUtc + day)]
    .map((offset) => asUtc - offset)
    .filter((instant) => sameWallTime(wallTimeAt(timeZone, new Date(instant)), wall));
  return candidates.length > 0 ? new Date(Math.min(...candidates)) : undefined;
}
