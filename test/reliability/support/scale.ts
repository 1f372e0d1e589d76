/**
 * How big a reliability run is. `npm test` runs the reduced sizes; `npm run test:reliability`
 * sets RELIABILITY=full and runs the sizes the reliability targets name (10,000 hostile requests,
 * 100 workflows and at least 5 crashes).
 */
export const fullRun = process.env.RELIABILITY === 'full';

/** The reduced size in `npm test`, the full one in `npm run test:reliability`. */
export function sized(reduced: number, full: number): number {
  return fullRun ? full : reduced;
}
