import type { CapacityTotals } from '../../shared/db/consumed-capacity.ts';
import type { Measured, SizeResult } from './measure-scale.ts';

/** The issue's target: at the largest size, at most 1.2× the capacity at the smallest. */
export const targetRatio = 1.2;

const operations = {
  inboxPage: 'Inbox page',
  caseListPage: 'Case-list page',
  sweeperRun: 'Deadline sweeper run',
} as const;
type Operation = keyof typeof operations;

const unitsOf = (capacity: CapacityTotals) => capacity.readUnits + capacity.writeUnits;

/** Largest size's capacity over the smallest's, per operation (read and write units together). */
export function scalingRatios(results: readonly SizeResult[]): Record<Operation, number> {
  const first = results[0];
  const last = results.at(-1);
  const ratio = (operation: Operation) => {
    if (!first || !last) return Number.NaN;
    const base = unitsOf(first[operation].capacity);
    return base > 0 ? unitsOf(last[operation].capacity) / base : Number.NaN;
  };
  return {
    inboxPage: ratio('inboxPage'),
    caseListPage: ratio('caseListPage'),
    sweeperRun: ratio('sweeperRun'),
  };
}

export function scalingTarget(ratios: Record<Operation, number>) {
  const worst = Math.max(...Object.values(ratios));
  return {
    description: `Consumed capacity at the largest size at most ${targetRatio}× that at the smallest, for each operation (worst: ${Number.isFinite(worst) ? `${worst.toFixed(2)}×` : 'not measured'})`,
    met: Object.values(ratios).every((ratio) => Number.isFinite(ratio) && ratio <= targetRatio),
  };
}

const units = (measured: Measured) =>
  `${measured.capacity.readUnits} + ${measured.capacity.writeUnits}`;

export function scalingRows(
  results: readonly SizeResult[],
  ratios: Record<Operation, number>,
): (string | number)[][] {
  return (Object.keys(operations) as Operation[]).map((operation) => [
    operations[operation],
    ...results.map((result) => units(result[operation])),
    `${ratios[operation].toFixed(2)}×`,
    ...results.map((result) => result[operation].ms),
  ]);
}

export function scalingNotes(
  results: readonly SizeResult[],
  ratios: Record<Operation, number>,
): string[] {
  const first = results[0];
  const last = results.at(-1);
  if (!first || !last) return [];
  const growth = last.storedTasks / first.storedTasks;
  return [
    `The table grew ${growth}× (${first.storedTasks.toLocaleString('en')} → ${last.storedTasks.toLocaleString('en')} tasks, as many cases); ` +
      `the inbox page read ${first.inboxPage.itemsRead} and ${last.inboxPage.itemsRead} index entries, ` +
      `the sweeper ${first.sweeperRun.itemsRead} and ${last.sweeperRun.itemsRead} (and reminded ${first.sweeperRun.reminded} and ${last.sweeperRun.reminded}): ` +
      `capacity ratios ${ratios.inboxPage.toFixed(2)}×, ${ratios.caseListPage.toFixed(2)}× and ${ratios.sweeperRun.toFixed(2)}×.`,
    'Each operation is one index query bounded by its page (or by what is due), so what it reads does not depend on what else the table holds; ' +
      'the sweeper’s write units are its reminders (a transaction per due task: the case, its event, the task, an outbox entry).',
    'Times are of DynamoDB Local on a shared 2-core machine: indicative only. Capacity units do not depend on the machine.',
  ];
}
