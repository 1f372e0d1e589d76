/** Fewest characters a mask must hide; shorter values are hidden completely. */
const MIN_HIDDEN = 4;

/**
 * Keeps the first `keepStart` and last `keepEnd` characters and stars the rest. A value too short
 * to hide at least {@link MIN_HIDDEN} characters is starred entirely, so masking something that
 * is not the expected format never reveals most of it.
 */
export function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const chars = Array.from(value);
  const hidden = chars.length - keepStart - keepEnd;
  if (hidden < MIN_HIDDEN) return '*'.repeat(chars.length);
  return `${chars.slice(0, keepStart).join('')}${'*'.repeat(hidden)}${chars.slice(-keepEnd).join('')}`;
}
