import type { InvocationReport } from '../../infra/local/lambda/invocation-report.ts';
import {
  addCapacityTotals,
  type CapacityTotals,
  emptyCapacityTotals,
} from '../../shared/db/consumed-capacity.ts';
import type { PriceList } from './prices.ts';

/** What one case used, as measured on the local cloud. */
export interface CaseUsage {
  readonly caseId: string;
  /** Every Lambda invocation the case caused: API routes, workflow tasks, jobs. */
  readonly invocations: readonly InvocationReport[];
  /** The API requests among them (invocations of route functions). */
  readonly apiRequests: number;
  /** Executions the case started (its workflow and any other). */
  readonly executions: number;
  /** States entered over those executions, by state type (`Task`, `Choice`, `Pass` …). */
  readonly stateTransitions: Readonly<Record<string, number>>;
  /** Notifications the case's outbox entries sent (SendNotifications). */
  readonly notifications: number;
}

export interface FunctionUsage {
  readonly invocations: number;
  readonly billedMs: number;
  readonly gbSeconds: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/** Usage added up (over a case, or averaged over cases). */
export interface UsageSummary {
  readonly cases: number;
  readonly lambda: {
    readonly invocations: number;
    readonly billedMs: number;
    readonly gbSeconds: number;
    /** Invocations that were cold starts (their init duration is billed too, not counted here). */
    readonly coldStarts: number;
    readonly byFunction: Readonly<Record<string, FunctionUsage>>;
  };
  readonly dynamoDb: CapacityTotals;
  readonly apiRequests: number;
  readonly executions: number;
  readonly stateTransitions: number;
  readonly stateTransitionsByType: Readonly<Record<string, number>>;
  readonly notifications: number;
}

const gbSecondsOf = (report: InvocationReport) =>
  (report.memorySizeMb / 1024) * (report.billedDurationMs / 1000);

function addTo(record: Record<string, number>, key: string, value: number): void {
  record[key] = (record[key] ?? 0) + value;
}

/** Adds the cases up; `perCase` divides every figure by their number. */
export function summariseCases(cases: readonly CaseUsage[]): UsageSummary {
  const byFunction: Record<string, FunctionUsage> = {};
  const byType: Record<string, number> = {};
  let dynamoDb = emptyCapacityTotals();
  let coldStarts = 0;
  for (const usage of cases) {
    for (const report of usage.invocations) {
      const before = byFunction[report.functionName] ?? {
        invocations: 0,
        billedMs: 0,
        gbSeconds: 0,
        readUnits: 0,
        writeUnits: 0,
      };
      byFunction[report.functionName] = {
        invocations: before.invocations + 1,
        billedMs: before.billedMs + report.billedDurationMs,
        gbSeconds: before.gbSeconds + gbSecondsOf(report),
        readUnits: before.readUnits + (report.consumedCapacity?.readUnits ?? 0),
        writeUnits: before.writeUnits + (report.consumedCapacity?.writeUnits ?? 0),
      };
      if (report.initDurationMs !== undefined) coldStarts += 1;
      if (report.consumedCapacity) dynamoDb = addCapacityTotals(dynamoDb, report.consumedCapacity);
    }
    for (const [type, count] of Object.entries(usage.stateTransitions)) addTo(byType, type, count);
  }
  const functions = Object.values(byFunction);
  const sum = (pick: (usage: CaseUsage) => number) =>
    cases.reduce((total, usage) => total + pick(usage), 0);
  return {
    cases: cases.length,
    lambda: {
      invocations: functions.reduce((total, f) => total + f.invocations, 0),
      billedMs: functions.reduce((total, f) => total + f.billedMs, 0),
      gbSeconds: functions.reduce((total, f) => total + f.gbSeconds, 0),
      coldStarts,
      byFunction,
    },
    dynamoDb,
    apiRequests: sum((usage) => usage.apiRequests),
    executions: sum((usage) => usage.executions),
    stateTransitions: Object.values(byType).reduce((total, count) => total + count, 0),
    stateTransitionsByType: byType,
    notifications: sum((usage) => usage.notifications),
  };
}

function divided(record: Readonly<Record<string, number>>, by: number): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, value / by]));
}

/** The summary of `n` cases as one average case. */
export function perCase(summary: UsageSummary): UsageSummary {
  const n = Math.max(1, summary.cases);
  return {
    cases: 1,
    lambda: {
      invocations: summary.lambda.invocations / n,
      billedMs: summary.lambda.billedMs / n,
      gbSeconds: summary.lambda.gbSeconds / n,
      coldStarts: summary.lambda.coldStarts / n,
      byFunction: Object.fromEntries(
        Object.entries(summary.lambda.byFunction).map(([name, f]) => [
          name,
          {
            invocations: f.invocations / n,
            billedMs: f.billedMs / n,
            gbSeconds: f.gbSeconds / n,
            readUnits: f.readUnits / n,
            writeUnits: f.writeUnits / n,
          },
        ]),
      ),
    },
    dynamoDb: {
      readUnits: summary.dynamoDb.readUnits / n,
      writeUnits: summary.dynamoDb.writeUnits / n,
      calls: summary.dynamoDb.calls / n,
      byOperation: Object.fromEntries(
        Object.entries(summary.dynamoDb.byOperation).map(([operation, o]) => [
          operation,
          { calls: o.calls / n, units: o.units / n },
        ]),
      ),
    },
    apiRequests: summary.apiRequests / n,
    executions: summary.executions / n,
    stateTransitions: summary.stateTransitions / n,
    stateTransitionsByType: divided(summary.stateTransitionsByType, n),
    notifications: summary.notifications / n,
  };
}

/** What a usage costs at list prices, by service line. */
export interface Cost {
  readonly byService: {
    readonly stepFunctions: number;
    readonly lambdaCompute: number;
    readonly lambdaRequests: number;
    readonly dynamoDbWrites: number;
    readonly dynamoDbReads: number;
    readonly apiGateway: number;
  };
  readonly total: number;
}

export type Service = keyof Cost['byService'];

export function costOf(usage: UsageSummary, prices: PriceList): Cost {
  const byService = {
    stepFunctions: usage.stateTransitions * prices.stepFunctionsStateTransition.usd,
    lambdaCompute: usage.lambda.gbSeconds * prices.lambdaArmGbSecond.usd,
    lambdaRequests: usage.lambda.invocations * prices.lambdaRequest.usd,
    dynamoDbWrites: usage.dynamoDb.writeUnits * prices.dynamoDbWriteRequestUnit.usd,
    dynamoDbReads: usage.dynamoDb.readUnits * prices.dynamoDbReadRequestUnit.usd,
    apiGateway: usage.apiRequests * prices.httpApiRequest.usd,
  };
  return { byService, total: Object.values(byService).reduce((total, usd) => total + usd, 0) };
}

/** Each service line's part of the total, 0–1 (all 0 for a cost of nothing). */
export function sharesOf(cost: Cost): Record<Service, number> {
  return Object.fromEntries(
    Object.entries(cost.byService).map(([service, usd]) => [
      service,
      cost.total > 0 ? usd / cost.total : 0,
    ]),
  ) as Record<Service, number>;
}
