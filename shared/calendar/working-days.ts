/**
 * Working-day arithmetic in China Standard Time (UTC+8 all year, no daylight saving).
 * Weekends only for now: the State Council's holiday and 调休 calendar arrives with the deadlines
 * work, behind this same function.
 */
const chinaOffsetMs = 8 * 60 * 60 * 1000;

export interface WorkingDayOptions {
  /** Local time a deadline falls due on its last working day, `HH:MM`. */
  readonly endOfDay?: string;
}

function isWeekend(localDate: Date): boolean {
  const day = localDate.getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The end of the Nth working day after `from` (the day of `from` itself does not count), as an
 * instant. `addWorkingDays(friday, 1)` is the following Monday at 17:30 in Huzhou.
 */
export function addWorkingDays(from: Date, days: number, options: WorkingDayOptions = {}): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0');
  const [hours = 17, minutes = 30] = (options.endOfDay ?? '17:30').split(':').map(Number);
  // Work on a Date whose UTC fields read as Huzhou local time.
  const local = new Date(from.getTime() + chinaOffsetMs);
  local.setUTCHours(0, 0, 0, 0);
  for (let remaining = days; remaining > 0; ) {
    local.setUTCDate(local.getUTCDate() + 1);
    if (!isWeekend(local)) remaining -= 1;
  }
  // Zero days asked on a weekend: due at the end of the next working day.
  while (isWeekend(local)) local.setUTCDate(local.getUTCDate() + 1);
  local.setUTCHours(hours, minutes, 0, 0);
  return new Date(local.getTime() - chinaOffsetMs);
}
