/**
 * The one clock every handler reads. The local runtime can move it (SHANYU_CLOCK_OFFSET_MS) so that
 * deadlines and reminders can be exercised without waiting days.
 */
export function now(): Date {
  const offset = Number(process.env.SHANYU_CLOCK_OFFSET_MS ?? 0);
  return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
}

export function nowIso(): string {
  return now().toISOString();
}
