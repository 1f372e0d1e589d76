import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { listCases } from '../../shared/cases/case-list.ts';
import {
  type CapacityTotals,
  capacityTotalsSchema,
  processCapacityLedger,
} from '../../shared/db/consumed-capacity.ts';
import { sweepDeadlines } from '../../shared/tasks/deadline-sweep.ts';
import { listInbox } from '../../shared/tasks/inbox.ts';
import { putAll } from '../../test/support/batch-put.ts';
import { scaleBatchItems, scaleDistricts } from './scale-seed.ts';

/*
 * Runs in a process of its own (scale-worker.ts), whose environment points the product's modules
 * at the benchmark's DynamoDB Local with capacity tracing on (SHANYU_CAPACITY_TRACE=1): the inbox
 * page, the case-list page and the sweeper run are the product's own code paths, and what they
 * consume is what the middleware records.
 */

export const pageSize = 20;
/** Tasks each batch adds whose follow-up has passed: the sweeper's work at every size. */
export const dueTasksPerSize = 20;
/** Items written per putAll call: a batch is built and written in slices, not held whole. */
const seedSlice = 5_000;

const measuredSchema = z.object({
  capacity: capacityTotalsSchema,
  /** Index entries read (ScannedCount) where the code path reports it. */
  itemsRead: z.number().optional(),
  /** Items the page returned, or entries the sweeper found due. */
  items: z.number(),
  ms: z.number(),
});
export type Measured = z.infer<typeof measuredSchema>;

export const sizeResultSchema = z.object({
  storedTasks: z.number(),
  seedSeconds: z.number(),
  inboxPage: measuredSchema,
  caseListPage: measuredSchema,
  sweeperRun: measuredSchema.extend({ reminded: z.number() }),
});
export type SizeResult = z.infer<typeof sizeResultSchema>;

/** Runs `act` with the process's capacity ledger emptied before and read after. */
async function measured<T>(
  act: () => Promise<T>,
): Promise<{ result: T; capacity: CapacityTotals; ms: number }> {
  const ledger = processCapacityLedger();
  ledger.take();
  const started = performance.now();
  const result = await act();
  const ms = performance.now() - started;
  return { result, capacity: ledger.take(), ms: Math.round(ms) };
}

/** A document client of its own for seeding: its writes are set-up, not measured. */
function seedingClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * Grows the table to each size in turn (ascending) and measures the three code paths at it.
 * The sweeper's clock is fixed, so each size's run finds exactly the due tasks its batch added.
 */
export async function measureSizes(
  sizes: readonly number[],
  tableName: string,
  log: (line: string) => void,
): Promise<SizeResult[]> {
  if (!process.env.SHANYU_CAPACITY_TRACE) throw new Error('SHANYU_CAPACITY_TRACE must be 1');
  const documents = seedingClient();
  // 10:00 on 3 December 2026 in Huzhou.
  const now = new Date('2026-12-03T02:00:00.000Z');
  const district = scaleDistricts[0] ?? 'wuxing';
  const results: SizeResult[] = [];
  // Each path once on the empty table, unmeasured: the first call of a process pays for loading
  // modules and opening connections, which would make the smallest size look slow.
  await listInbox({ queues: [`caseworker#D:${district}`], status: 'open', limit: pageSize });
  await listCases({ kind: 'district', district, status: 'in-review' }, pageSize);
  await sweepDeadlines({ now });
  let stored = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const seedStarted = performance.now();
    for (let from = stored; from < size; from += seedSlice) {
      const to = Math.min(size, from + seedSlice);
      const dueTasks = Math.max(0, Math.min(dueTasksPerSize - (from - stored), to - from));
      await putAll(documents, tableName, scaleBatchItems({ from, to, now, dueTasks }));
    }
    const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
    log(`[scaling] ${size.toLocaleString('en')} tasks stored (${seedSeconds} s)`);
    stored = size;

    const inbox = await measured(() =>
      listInbox({ queues: [`caseworker#D:${district}`], status: 'open', limit: pageSize }),
    );
    const cases = await measured(() =>
      listCases({ kind: 'district', district, status: 'in-review' }, pageSize),
    );
    const sweep = await measured(() => sweepDeadlines({ now }));
    results.push({
      storedTasks: size,
      seedSeconds,
      inboxPage: {
        capacity: inbox.capacity,
        itemsRead: inbox.result.itemsRead,
        items: inbox.result.items.length,
        ms: inbox.ms,
      },
      caseListPage: { capacity: cases.capacity, items: cases.result.items.length, ms: cases.ms },
      sweeperRun: {
        capacity: sweep.capacity,
        itemsRead: sweep.result.itemsRead,
        items: sweep.result.due,
        reminded: sweep.result.reminded,
        ms: sweep.ms,
      },
    });
  }
  return results;
}
