import { loadavg } from 'node:os';
import { loadCloudModel } from '../infra/local/cloud-assembly.ts';
import { ApiClient } from '../test/support/api-client.ts';
import { localClients } from '../test/support/local-aws-clients.ts';
import { benchAssembly } from './bench-assembly.ts';
import { startBenchCloud } from './bench-cloud.ts';
import type { BenchPartRunner } from './bench-part.ts';
import { casesPriced, costColumns, costNotes, costRow, pathResult } from './cost/cost-table.ts';
import { InvocationMeter } from './cost/invocation-meter.ts';
import { caseItemKinds, caseRecordForm } from './cost/item-sizes.ts';
import { type MeteredCloud, measureCase } from './cost/measure-case.ts';
import { priceRegion, prices, pricesCheckedOn } from './cost/prices.ts';
import { scenarios } from './cost/scenarios.ts';
import { measureScheduleCosts } from './cost/schedules.ts';
import { type CaseUsage, summariseCases } from './cost/usage.ts';

/*
 * Benchmark part 2: cost per case. A local cloud of its own, its schedules run only on request
 * and every function tracing its DynamoDB capacity (CAPACITY_TRACE=1); each path is driven N
 * times (BENCH_COST_CASES, default 5) after one unmeasured warm-up case, one case at a time.
 */

function casesPerPath(): number {
  const n = Number(process.env.BENCH_COST_CASES ?? 5);
  return Number.isInteger(n) && n > 0 ? n : 5;
}

export const run: BenchPartRunner = async () => {
  const n = casesPerPath();
  const cdkOut = await benchAssembly();
  const loadAtStart = loadavg()[0] ?? 0;
  const bench = await startBenchCloud('cost', { CAPACITY_TRACE: '1' });
  const { cloud } = bench;
  try {
    if (!cloud.child.stdout) throw new Error('the local cloud’s output is not readable');
    const meter = new InvocationMeter(cloud.child.stdout);
    const model = await loadCloudModel(cdkOut);
    const { sfn, documents } = localClients(cloud.health.parts);
    const metered: MeteredCloud = {
      api: new ApiClient(cloud.url),
      sfn,
      documents,
      tableName: cloud.health.tables[0] ?? '',
      stateMachines: cloud.health.stateMachines,
      meter,
      routeFunctions: new Set(model.routes.map((route) => route.functionName)),
    };

    const results = [];
    for (const scenario of scenarios) {
      // Loads every function the path meets, so that the figures are of warm sandboxes.
      await measureCase(metered, scenario);
      const cases: CaseUsage[] = [];
      for (let i = 0; i < n; i++) cases.push(await measureCase(metered, scenario));
      const { key, workflow, outcome, path } = scenario;
      const sample = cases.at(-1)?.caseId ?? '';
      const caseRecord = await caseRecordForm(documents, metered.tableName, sample);
      const stored = {
        storedItems: await caseItemKinds(documents, metered.tableName, sample),
        ...(caseRecord ? { caseRecord } : {}),
      };
      results.push(
        pathResult({ key, workflow, outcome, path }, summariseCases(cases), prices, stored),
      );
    }
    const schedules = await measureScheduleCosts(metered, model.schedules, prices);
    const { notes, candidates } = costNotes(results, schedules, prices);

    return {
      key: 'costPerCase',
      title: 'Cost per case',
      method:
        `Each workflow's happy path and most common rejection, driven ${n} times (after one unmeasured warm-up case) ` +
        'through the API of a local cloud of its own, one case at a time. Per case: states entered, from ' +
        "GetExecutionHistory of every execution it started; every Lambda invocation it caused (API routes, workflow tasks, the SendNotifications run that sends its notifications), from the local runtime's REPORT lines, billed in 1 ms steps at the function's memory; " +
        'DynamoDB read and write units, the sum of ReturnConsumedCapacity over every call, added by an SDK middleware (SHANYU_CAPACITY_TRACE=1). ' +
        `Priced at ${priceRegion} list prices checked on ${pricesCheckedOn}.`,
      target: {
        description:
          'Show where the cost goes and remove what is not needed: met when every path is measured and no ' +
          'candidate for removal is left (see the notes).',
        met: candidates.length === 0,
      },
      table: { columns: costColumns, rows: results.map(costRow) },
      figures: {
        casesPerPath: n,
        casesPriced,
        region: priceRegion,
        pricesCheckedOn,
        prices,
        loadAverageAtStart: Number(loadAtStart.toFixed(2)),
        paths: Object.fromEntries(
          results.map((result) => [
            result.scenario.key,
            {
              path: result.scenario.path,
              perCase: result.perCase,
              usdPer10kCases: result.per10kCases,
              storedItems: result.storedItems,
              caseRecord: result.caseRecord,
            },
          ]),
        ),
        schedules,
      },
      notes,
    };
  } finally {
    await bench.stop();
  }
};
