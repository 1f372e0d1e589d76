import type { StoredItemKind } from './item-sizes.ts';
import { type PriceList, priceRegion, pricesCheckedOn } from './prices.ts';
import type { Scenario } from './scenarios.ts';
import type { ScheduleCost } from './schedules.ts';
import { type Cost, costOf, perCase, type Service, sharesOf, type UsageSummary } from './usage.ts';

/** One path's figures: an average case, and 10,000 of them at list prices. */
export interface PathResult {
  readonly scenario: Pick<Scenario, 'key' | 'workflow' | 'outcome' | 'path'>;
  /** All measured cases added up. */
  readonly measured: UsageSummary;
  readonly perCase: UsageSummary;
  readonly per10kCases: Cost;
  /** The items one of its cases left in its partition, by kind. */
  readonly storedItems?: readonly StoredItemKind[];
  /** That case's record, and the part of it that is the submitted form (0: in its own item). */
  readonly caseRecord?: {
    readonly recordBytes: number;
    readonly formBytes: number;
    readonly indexes: number;
  };
}

export const casesPriced = 10_000;

export function pathResult(
  scenario: PathResult['scenario'],
  measured: UsageSummary,
  prices: PriceList,
  stored: Pick<PathResult, 'storedItems' | 'caseRecord'> = {},
): PathResult {
  const average = perCase(measured);
  const one = costOf(average, prices);
  const scale = (usd: number) => usd * casesPriced;
  return {
    ...stored,
    scenario,
    measured,
    perCase: average,
    per10kCases: {
      byService: {
        stepFunctions: scale(one.byService.stepFunctions),
        lambdaCompute: scale(one.byService.lambdaCompute),
        lambdaRequests: scale(one.byService.lambdaRequests),
        dynamoDbWrites: scale(one.byService.dynamoDbWrites),
        dynamoDbReads: scale(one.byService.dynamoDbReads),
        apiGateway: scale(one.byService.apiGateway),
      },
      total: scale(one.total),
    },
  };
}

const serviceNames: Record<Service, string> = {
  stepFunctions: 'Step Functions',
  lambdaCompute: 'Lambda compute',
  lambdaRequests: 'Lambda requests',
  dynamoDbWrites: 'DynamoDB writes',
  dynamoDbReads: 'DynamoDB reads',
  apiGateway: 'API Gateway',
};

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const percent = (share: number) => `${Math.round(share * 100)} %`;
const usd = (value: number) => `$${value.toFixed(2)}`;

export const costColumns = [
  'Workflow',
  'Outcome',
  'Path',
  'State transitions',
  'Lambda invocations',
  'Lambda billed ms',
  'DynamoDB RRU',
  'DynamoDB WRU',
  'API requests',
  `USD per ${casesPriced.toLocaleString('en')} cases`,
  'Step Functions',
  'Lambda',
  'DynamoDB',
  'API Gateway',
];

/** A row per path: an average case's usage, then the price of 10,000 and its split. */
export function costRow(result: PathResult): (string | number)[] {
  const { perCase: usage, per10kCases: cost } = result;
  const shares = sharesOf(cost);
  return [
    result.scenario.workflow,
    result.scenario.outcome,
    result.scenario.path,
    round(usage.stateTransitions),
    round(usage.lambda.invocations),
    Math.round(usage.lambda.billedMs),
    round(usage.dynamoDb.readUnits),
    round(usage.dynamoDb.writeUnits),
    round(usage.apiRequests),
    usd(cost.total),
    percent(shares.stepFunctions),
    percent(shares.lambdaCompute + shares.lambdaRequests),
    percent(shares.dynamoDbReads + shares.dynamoDbWrites),
    percent(shares.apiGateway),
  ];
}

function largest<T>(entries: [string, T][], by: (value: T) => number, n: number): [string, T][] {
  return [...entries].sort((a, b) => by(b[1]) - by(a[1])).slice(0, n);
}

/**
 * Findings computed from the figures: what dominates each path, where the DynamoDB units and the
 * Lambda time go; candidates for removal (states that do no work, bytes rewritten on every
 * change) with their measured share; what the schedules cost before any case. `notes` has them
 * all, in that order.
 */
export function costNotes(
  results: readonly PathResult[],
  schedules: readonly ScheduleCost[],
  prices: PriceList,
): { notes: string[]; candidates: string[] } {
  const findings: string[] = [];
  const candidates: string[] = [];
  const context: string[] = [];
  for (const result of results) {
    const shares = sharesOf(result.per10kCases);
    const [top, second] = largest(Object.entries(shares), (share) => share, 2);
    const { perCase: usage } = result;
    const operations = largest(
      Object.entries(usage.dynamoDb.byOperation),
      (operation) => operation.units,
      2,
    )
      .map(([name, o]) => `${name} ${round(o.units)} units in ${round(o.calls)} calls`)
      .join(', ');
    const functions = largest(Object.entries(usage.lambda.byFunction), (f) => f.billedMs, 2)
      .map(([name, f]) => `${name.replace(/[0-9A-F]{8}$/, '')} ${Math.round(f.billedMs)} ms`)
      .join(', ');
    const byType = Object.entries(usage.stateTransitionsByType)
      .map(([type, count]) => `${round(count)} ${type}`)
      .join(', ');
    findings.push(
      `${result.scenario.workflow} ${result.scenario.outcome}: ${usd(result.per10kCases.total)} per ${casesPriced.toLocaleString('en')} cases; ` +
        `${serviceNames[top?.[0] as Service]} ${percent(top?.[1] ?? 0)}, then ${serviceNames[second?.[0] as Service]} ${percent(second?.[1] ?? 0)}. ` +
        `States entered per case: ${byType || 'none'}. DynamoDB: ${operations || 'nothing'}. ` +
        `Longest Lambda time: ${functions || 'none'}.`,
    );
  }
  if (results.length > 0) {
    const readShares = results.map((result) => sharesOf(result.per10kCases).dynamoDbReads);
    const transactShares = results.map((result) => {
      const { writeUnits, byOperation } = result.perCase.dynamoDb;
      return writeUnits > 0 ? (byOperation.TransactWriteItems?.units ?? 0) / writeUnits : 0;
    });
    findings.push(
      `DynamoDB reads are at most ${percent(Math.max(...readShares))} of any path's cost: no read is worth removing for the bill. ` +
        `Writes are the second cost everywhere, and transactions carry ${percent(Math.min(...transactShares))}–${percent(Math.max(...transactShares))} of the write units ` +
        '(a transactional write costs twice, into the table and each index the item is in).',
    );
  }
  // States that only reshape data are billed like any other: the cheapest transitions to remove.
  for (const result of results) {
    const passes = result.perCase.stateTransitionsByType.Pass ?? 0;
    if (passes === 0) continue;
    const usdPer10k = passes * prices.stepFunctionsStateTransition.usd * casesPriced;
    candidates.push(
      `Candidate (${result.scenario.workflow} ${result.scenario.outcome}): ${round(passes)} Pass state(s) per case, ` +
        `${usd(usdPer10k)} per ${casesPriced.toLocaleString('en')} cases (${percent(usdPer10k / result.per10kCases.total)} of the path): ` +
        'a Pass that only shapes data can often be folded into the next Task’s Parameters or the previous one’s ResultSelector.',
    );
  }
  // Every change of a case rewrites its record in a transaction, into each index: a record that
  // still holds the form (stored before the form had an item of its own) rewrites that too.
  for (const result of results) {
    const record = result.caseRecord;
    const changes = result.storedItems?.find((kind) => kind.kind === 'EVENT')?.count ?? 0;
    if (!record || changes === 0) continue;
    const perChange = (bytes: number) => Math.ceil(bytes / 1024) * (1 + record.indexes) * 2;
    const withForm = perChange(record.recordBytes);
    const withoutForm = perChange(record.recordBytes - record.formBytes);
    if (withForm <= withoutForm) continue;
    // An index copy is billed per started KB too: a smaller projection saves only above 1 KB.
    const projection =
      withoutForm > perChange(1)
        ? 'projecting only the listed attributes into the indexes would save more.'
        : 'the record without the form is 1 KB or less: projecting fewer attributes into the indexes would save nothing more.';
    const saved = (withForm - withoutForm) * changes;
    const savedShare =
      (saved * prices.dynamoDbWriteRequestUnit.usd * casesPriced) / result.per10kCases.total;
    candidates.push(
      `Candidate (${result.scenario.workflow} ${result.scenario.outcome}): the case record is ${round(record.recordBytes / 1024)} KB, ` +
        `${round(record.formBytes / 1024)} KB of it the submitted form, and sits in ${record.indexes} indexes that project ALL attributes; ` +
        `each of the case's ${changes} changes rewrites it in a transaction, about ${withForm} WRU a change. ` +
        `With the form in its item of its own (CASE#FORM), where createCase puts it, the record would cost about ${withoutForm} WRU a change: ` +
        `about ${saved} WRU (${percent(savedShare)} of the path's cost) less per case; ${projection}`,
    );
  }
  if (schedules.length > 0) {
    const total = schedules.reduce((sum, schedule) => sum + schedule.usdPerMonth, 0);
    context.push(
      `Schedules, before any case: ${usd(total)} a month (${schedules
        .map(
          (s) =>
            `${s.job} ${s.expression}: ${Math.round(s.runsPerMonth).toLocaleString('en')} runs × ${Math.round(s.billedMsPerRun)} ms, ${round(s.readUnitsPerRun)} RRU → ${usd(s.usdPerMonth)}`,
        )
        .join('; ')}).`,
    );
  }
  context.push(
    `Prices: ${priceRegion} list prices (on-demand, first tier, no free tier) checked on ${pricesCheckedOn}: ` +
      `Lambda arm64 $${prices.lambdaArmGbSecond.usd} per GB-s and $${prices.lambdaRequest.usd * 1e6} per million requests; ` +
      `Step Functions Standard $${prices.stepFunctionsStateTransition.usd * 1000} per 1,000 transitions; ` +
      `DynamoDB on-demand $${prices.dynamoDbReadRequestUnit.usd * 1e6} per million RRU and $${prices.dynamoDbWriteRequestUnit.usd * 1e6} per million WRU; ` +
      `HTTP API $${prices.httpApiRequest.usd * 1e6} per million requests. China regions price in CNY (amazonaws.cn) and differ.`,
  );
  context.push(
    'Not measured: Lambda init (cold-start) duration, which AWS bills since August 2025; S3 requests for ' +
      'documents; KMS requests; CloudWatch Logs ingestion; SMS and e-mail charges for the notifications ' +
      '(counted per case in results.json); DynamoDB capacity of writes that failed their condition ' +
      '(DynamoDB returns no figure with the error) and of retried Step Functions states.',
  );
  context.push(
    'Lambda durations are measured on the local cloud (worker threads on a shared 2-core machine, ' +
      'DynamoDB Local in Java): indicative, likely longer than in AWS. State transitions and capacity ' +
      'units do not depend on the machine.',
  );
  return {
    notes: [...findings, ...candidates, ...context],
    candidates,
  };
}
