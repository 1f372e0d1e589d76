import { describe, expect, it } from 'vitest';
import { prices } from '../../../../bench/cost/prices.ts';
import {
  type CaseUsage,
  costOf,
  perCase,
  sharesOf,
  summariseCases,
} from '../../../../bench/cost/usage.ts';
import type { InvocationReport } from '../../../../infra/local/lambda/invocation-report.ts';

function report(
  functionName: string,
  billedDurationMs: number,
  capacity?: { readUnits: number; writeUnits: number; operation: string },
  initDurationMs?: number,
): InvocationReport {
  return {
    requestId: `r-${Math.random()}`,
    functionName,
    memorySizeMb: 512,
    durationMs: billedDurationMs - 0.5,
    billedDurationMs,
    outcome: 'ok',
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...(capacity
      ? {
          consumedCapacity: {
            readUnits: capacity.readUnits,
            writeUnits: capacity.writeUnits,
            calls: 1,
            byOperation: {
              [capacity.operation]: { calls: 1, units: capacity.readUnits + capacity.writeUnits },
            },
          },
        }
      : {}),
  };
}

const oneCase = (caseId: string, extraTransitions = 0): CaseUsage => ({
  caseId,
  invocations: [
    report('SubmitClaim', 100, { readUnits: 1, writeUnits: 10, operation: 'TransactWriteItems' }),
    report('CreateTask', 50, { readUnits: 0.5, writeUnits: 0, operation: 'GetItem' }, 300),
  ],
  apiRequests: 1,
  executions: 1,
  stateTransitions: { Task: 2 + extraTransitions, Choice: 1 },
  notifications: 2,
});

describe('summariseCases and perCase', () => {
  it('add up invocations, capacity and states over the cases, and average them per case', () => {
    // Prepare
    const cases = [oneCase('C-1'), oneCase('C-2', 2)];

    // Act
    const total = summariseCases(cases);
    const average = perCase(total);

    // Assess
    expect(total.lambda).toMatchObject({ invocations: 4, billedMs: 300, coldStarts: 2 });
    expect(total.lambda.gbSeconds).toBeCloseTo(0.15);
    expect(total.lambda.byFunction.SubmitClaim).toMatchObject({
      invocations: 2,
      billedMs: 200,
      writeUnits: 20,
    });
    expect(total.dynamoDb).toMatchObject({ readUnits: 3, writeUnits: 20, calls: 4 });
    expect(total.stateTransitions).toBe(8);
    expect(total.stateTransitionsByType).toEqual({ Task: 6, Choice: 2 });
    expect(average).toMatchObject({
      cases: 1,
      apiRequests: 1,
      notifications: 2,
      stateTransitions: 4,
      stateTransitionsByType: { Task: 3, Choice: 1 },
      dynamoDb: {
        readUnits: 1.5,
        writeUnits: 10,
        byOperation: { GetItem: { calls: 1, units: 0.5 } },
      },
    });
    expect(average.lambda.byFunction.CreateTask).toMatchObject({ invocations: 1, billedMs: 50 });
  });
});

describe('costOf', () => {
  it('prices each service line at the list prices, and the shares add up to 1', () => {
    // Prepare
    const usage = perCase(summariseCases([oneCase('C-1')]));

    // Act
    const cost = costOf(usage, prices);
    const shares = sharesOf(cost);

    // Assess
    expect(cost.byService.stepFunctions).toBeCloseTo(3 * 0.000025);
    expect(cost.byService.lambdaRequests).toBeCloseTo(2 * 0.0000002);
    expect(cost.byService.lambdaCompute).toBeCloseTo(0.075 * 0.0000133334);
    expect(cost.byService.dynamoDbWrites).toBeCloseTo(10 * 0.000000625);
    expect(cost.byService.dynamoDbReads).toBeCloseTo(1.5 * 0.000000125);
    expect(cost.byService.apiGateway).toBeCloseTo(0.000001);
    expect(cost.total).toBeCloseTo(
      Object.values(cost.byService).reduce((sum, usd) => sum + usd, 0),
    );
    expect(Object.values(shares).reduce((sum, share) => sum + share, 0)).toBeCloseTo(1);
    expect(shares.stepFunctions).toBeGreaterThan(shares.apiGateway);
  });

  it('gives shares of nothing for a usage that costs nothing', () => {
    // Prepare
    const usage = perCase(summariseCases([]));

    // Act
    const shares = sharesOf(costOf(usage, prices));

    // Assess
    expect(Object.values(shares).every((share) => share === 0)).toBe(true);
  });
});
