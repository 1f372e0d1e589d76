import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';

/*
 * Capacity tracing for the cost benchmark (SHANYU_CAPACITY_TRACE=1, set only by the local cloud
 * the benchmark starts). Every DynamoDB call then asks for its consumed capacity, and the totals
 * are kept per process, so that what a case costs in read and write units can be measured without
 * touching the code under measurement. Off, nothing is added: production sends exactly what the
 * code asks for.
 */

/** Set to `1` to trace; anything else (or nothing) leaves the client as it is. */
export const capacityTraceVariable = 'SHANYU_CAPACITY_TRACE';

export function capacityTraceEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[capacityTraceVariable] === '1';
}

const operationTotalsSchema = z.object({
  calls: z.number().int().nonnegative(),
  /** Capacity units as DynamoDB reported them (read or write, by the operation's kind). */
  units: z.number().nonnegative(),
});

export const capacityTotalsSchema = z.object({
  readUnits: z.number().nonnegative(),
  writeUnits: z.number().nonnegative(),
  calls: z.number().int().nonnegative(),
  /** By operation, e.g. `Query`, `TransactWriteItems`: which calls the units went to. */
  byOperation: z.record(z.string(), operationTotalsSchema),
});
export type CapacityTotals = z.infer<typeof capacityTotalsSchema>;

export const emptyCapacityTotals = (): CapacityTotals => ({
  readUnits: 0,
  writeUnits: 0,
  calls: 0,
  byOperation: {},
});

/** Adds totals up, e.g. the invocations of one case. */
export function addCapacityTotals(a: CapacityTotals, b: CapacityTotals): CapacityTotals {
  const byOperation = { ...a.byOperation };
  for (const [operation, totals] of Object.entries(b.byOperation)) {
    const before = byOperation[operation] ?? { calls: 0, units: 0 };
    byOperation[operation] = {
      calls: before.calls + totals.calls,
      units: before.units + totals.units,
    };
  }
  return {
    readUnits: a.readUnits + b.readUnits,
    writeUnits: a.writeUnits + b.writeUnits,
    calls: a.calls + b.calls,
    byOperation,
  };
}

const readOperations = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const writeOperations = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
const partiqlOperations = new Set([
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

/** The operations that accept ReturnConsumedCapacity; others (DescribeTable …) are left alone. */
export function isTracedOperation(operation: string): boolean {
  return (
    readOperations.has(operation) ||
    writeOperations.has(operation) ||
    partiqlOperations.has(operation)
  );
}

/** PartiQL reads and writes share operations: a statement that only SELECTs is a read. */
function statementsOf(input: Record<string, unknown>): string[] {
  const single = input.Statement;
  const many = (input.Statements ?? input.TransactStatements) as
    | { Statement?: unknown }[]
    | undefined;
  if (typeof single === 'string') return [single];
  return (many ?? []).map((entry) => String(entry.Statement ?? ''));
}

function kindOf(operation: string, input: Record<string, unknown>): 'read' | 'write' {
  if (readOperations.has(operation)) return 'read';
  if (writeOperations.has(operation)) return 'write';
  const statements = statementsOf(input);
  return statements.length > 0 && statements.every((s) => /^\s*select\b/i.test(s))
    ? 'read'
    : 'write';
}

/** A call's reported capacity: one entry, or one per table for batches and transactions. */
function unitsOf(consumed: unknown): number {
  const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return entries.reduce(
    (sum: number, entry) => sum + Number((entry as { CapacityUnits?: number }).CapacityUnits ?? 0),
    0,
  );
}

/** A process's running totals; `take` hands them over and starts again from zero. */
export class CapacityLedger {
  #totals = emptyCapacityTotals();

  record(operation: string, kind: 'read' | 'write', units: number): void {
    this.#totals = addCapacityTotals(this.#totals, {
      readUnits: kind === 'read' ? units : 0,
      writeUnits: kind === 'write' ? units : 0,
      calls: 1,
      byOperation: { [operation]: { calls: 1, units } },
    });
  }

  take(): CapacityTotals {
    const totals = this.#totals;
    this.#totals = emptyCapacityTotals();
    return totals;
  }
}

/**
 * Where a traced process keeps its ledger: on globalThis under a registered symbol, because each
 * function bundle carries its own copy of this module and the local Lambda runtime's sandbox reads
 * the totals after every invocation (infra/local/lambda/lambda-worker.mjs).
 */
export const capacityLedgerKey = Symbol.for('shanyu.consumedCapacity');

export function processCapacityLedger(): CapacityLedger {
  const global = globalThis as { [capacityLedgerKey]?: CapacityLedger };
  global[capacityLedgerKey] ??= new CapacityLedger();
  return global[capacityLedgerKey];
}

export const capacityTraceMiddlewareName = 'shanyuConsumedCapacityTrace';

/**
 * Makes every call of `client` (and of document clients built on it, which share its middleware
 * stack) ask for its total consumed capacity, and records it in `ledger`. A caller that asked for
 * capacity itself gets it as it asked; one that did not gets a response without it, as before.
 * Adding it twice changes nothing.
 */
export function traceConsumedCapacity(
  client: Pick<DynamoDBClient, 'middlewareStack'>,
  ledger: CapacityLedger = processCapacityLedger(),
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      if (!isTracedOperation(operation)) return next(args);
      const asked = input.ReturnConsumedCapacity;
      const wanted = asked === undefined || asked === 'NONE' ? 'TOTAL' : asked;
      const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: wanted } });
      const output = result.output as unknown as Record<string, unknown>;
      ledger.record(operation, kindOf(operation, input), unitsOf(output.ConsumedCapacity));
      if (wanted === asked) return result;
      const { ConsumedCapacity: _notAsked, ...rest } = output;
      return { ...result, output: rest as unknown as typeof result.output };
    },
    // First of all: the input is still the caller's (before the document client marshals it),
    // and the output already unmarshalled; ConsumedCapacity reads the same in both forms.
    { step: 'initialize', name: capacityTraceMiddlewareName, override: true },
  );
}
