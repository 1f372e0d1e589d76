import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { indexNames, keys } from '../shared/db/keys.ts';
import { queueOf } from '../shared/tasks/queues.ts';
import { ApiClient } from '../test/support/api-client.ts';
import { bornMonthsAgo, idNumberFor } from '../test/support/ids.ts';
import { localClients } from '../test/support/local-aws-clients.ts';
import { eligibleClaim, registerProvider } from '../test/support/registry-fixtures.ts';
import { startBenchCloud } from './bench-cloud.ts';
import type { BenchPart, BenchPartRunner } from './bench-part.ts';
import { runPool } from './pool.ts';
import { type TreeCpu, treeCpuSeconds } from './process-cpu.ts';
import { percentile, round } from './stats.ts';

/** The target: an API submission's p50 at most 3× a raw PutItem's. */
const targetRatio = 3;
const clients = 50;
const pollIntervalMs = 250;

type Documents = ReturnType<typeof localClients>['documents'];

interface Child {
  readonly idNumber: string;
  readonly name: string;
}

function claimCount(): number {
  const claims = Number(process.env.BENCH_CLAIMS ?? 1000);
  return Number.isInteger(claims) && claims > 0 ? claims : 1000;
}

/** Children with distinct 身份证 numbers: a repeated one would be refused as a duplicate claim. */
function distinctChildren(count: number): Child[] {
  const numbers = new Set<string>();
  while (numbers.size < count) numbers.add(idNumberFor(bornMonthsAgo(6 + (numbers.size % 24))));
  return [...numbers].map((idNumber) => ({ idNumber, name: '沈小禾' }));
}

/** Registers the children in the household registry (the local dev endpoint), 10 at a time. */
async function seedChildren(api: ApiClient, children: readonly Child[]): Promise<void> {
  await runPool(children, 10, async (child) => {
    const response = await api.request('POST', '/dev/registry/residents', {
      body: { ...child, hukouDistrict: 'wuxing' },
    });
    if (response.status !== 201) throw new Error(`resident not registered: ${response.status}`);
  });
}

/** How many confirmation tasks wait in the provider's inbox: one count query, no items read. */
async function openConfirmations(
  documents: Documents,
  tableName: string,
  providerId: string,
): Promise<number> {
  const partition = keys.inboxPartition(queueOf({ role: 'provider', providerId }), 'open');
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexNames.gsi2,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        Select: 'COUNT',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export class ClaimsNotWaitingError extends Error {
  constructor(open: number, expected: number, seconds: number) {
    super(`only ${open} of ${expected} confirmation tasks open after ${seconds} s`);
    this.name = 'ClaimsNotWaitingError';
  }
}

/** Polls until `expected` confirmation tasks are open; returns when it saw them (performance.now()). */
async function allWaiting(
  count: () => Promise<number>,
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const open = await count();
    const now = performance.now();
    if (open >= expected) return now;
    if (now > deadline)
      throw new ClaimsNotWaitingError(open, expected, Math.round(timeoutMs / 1000));
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

interface Submission {
  readonly status: number;
  readonly ms: number;
  /** The error code of a refused submission (never its body: it may quote the form). */
  readonly code?: string;
}

/** Each client submits its share of the claims, one after another, as its own citizen. */
async function submitAll(
  api: ApiClient,
  tokens: readonly string[],
  children: readonly Child[],
  providerId: string,
): Promise<Submission[]> {
  return runPool(children, tokens.length, async (child, client) => {
    const started = performance.now();
    const response = await api.request<{ error?: { code?: string } }>(
      'POST',
      '/v1/subsidy-claims',
      {
        token: tokens[client] ?? '',
        body: eligibleClaim(child, providerId),
        headers: { 'idempotency-key': randomUUID() },
      },
    );
    const ms = performance.now() - started;
    const code = response.body?.error?.code;
    return { status: response.status, ms, ...(code ? { code } : {}) };
  });
}

/**
 * The baseline: raw PutItem calls against the same DynamoDB Local, from 50 concurrent clients,
 * into a scratch table of its own (nothing the application reads is touched).
 */
async function putItemLatencies(client: DynamoDBClient, table: string, count: number) {
  const payload = 'x'.repeat(600);
  return runPool(
    Array.from({ length: count }, () => randomUUID()),
    clients,
    async (id) => {
      const started = performance.now();
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `PUT#${id}` }, sk: { S: 'ITEM' }, payload: { S: payload } },
        }),
      );
      return performance.now() - started;
    },
  );
}

/** CPU milliseconds the cloud's processes used between two readings, per unit of work. */
function cpuPer(units: number, ...spans: [TreeCpu | undefined, TreeCpu | undefined][]) {
  if (units <= 0) return undefined;
  let java = 0;
  let node = 0;
  for (const [from, to] of spans) {
    if (!from || !to) return undefined;
    java += to.java - from.java;
    node += to.node - from.node;
  }
  return {
    java: (java * 1000) / units,
    node: (node * 1000) / units,
    total: ((java + node) * 1000) / units,
  };
}

function statusCounts(submissions: readonly Submission[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, code } of submissions) {
    const key = code ? `${status} ${code}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export const run: BenchPartRunner = async (): Promise<BenchPart> => {
  const claims = claimCount();
  const puts = Math.max(clients, Math.round(claims * 2));
  const loadAtStart = loadavg()[0] ?? 0;
  const bench = await startBenchCloud('throughput');
  const { cloud } = bench;
  const dynamodb = new DynamoDBClient({
    endpoint: cloud.health.parts.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const scratchTable = `bench-putitem-${randomUUID().slice(0, 8)}`;
  try {
    const api = new ApiClient(cloud.url);
    const { documents } = localClients(cloud.health.parts);
    const tableName = cloud.health.tables[0] ?? '';

    // Prepare, untimed: providers, children, a token per client, the scratch table.
    console.log(`[bench] throughput: seeding ${claims + clients} children`);
    const providerId = await registerProvider(api);
    const warmUpProviderId = await registerProvider(api);
    const children = distinctChildren(claims + clients);
    await seedChildren(api, children);
    const tokens = await Promise.all(
      Array.from({ length: clients }, (_, c) =>
        api.token({ sub: `bench-family-${c}-${randomUUID()}`, roles: ['citizen'] }),
      ),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: scratchTable,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      }),
    );

    // Warm-up, unmeasured: one claim per client (at another provider) brings every function
    // involved to its full number of warm sandboxes, as a steady stream of claims would find them.
    console.log(`[bench] throughput: warming up with ${clients} claims`);
    const warmUp = await submitAll(api, tokens, children.slice(claims), warmUpProviderId);
    const warmAccepted = warmUp.filter((s) => s.status === 202).length;
    await allWaiting(
      () => openConfirmations(documents, tableName, warmUpProviderId),
      warmAccepted,
      120_000,
    );
    // DynamoDB Local's JVM compiles its hot paths for a while after start: let it, untimed.
    await putItemLatencies(dynamodb, scratchTable, 20 * clients);
    // The whole tree: npm, the local cloud (its sandboxes are threads) and DynamoDB Local's Java.
    const cloudCpu = () =>
      cloud.child.pid ? treeCpuSeconds(cloud.child.pid) : Promise.resolve(undefined);

    // Act: the raw baseline before and after the claims, so that it sees the machine as they did.
    const putsBeforeCpu = await cloudCpu();
    const putsBefore = await putItemLatencies(dynamodb, scratchTable, Math.ceil(puts / 2));
    const putsBeforeCpuEnd = await cloudCpu();
    console.log(`[bench] throughput: ${claims} claims from ${clients} clients`);
    const claimsCpu = await cloudCpu();
    const started = performance.now();
    const submissions = await submitAll(api, tokens, children.slice(0, claims), providerId);
    const submitted = performance.now();
    const accepted = submissions.filter((s) => s.status === 202).length;
    const waiting = await allWaiting(
      () => openConfirmations(documents, tableName, providerId),
      accepted,
      60_000 + claims * 1_000,
    );
    const claimsCpuEnd = await cloudCpu();
    const putsAfterCpu = await cloudCpu();
    const putsAfter = await putItemLatencies(dynamodb, scratchTable, Math.floor(puts / 2));
    const putsAfterCpuEnd = await cloudCpu();

    // Assess
    const api202 = submissions.filter((s) => s.status === 202).map((s) => s.ms);
    const allApi = submissions.map((s) => s.ms);
    const putMs = [...putsBefore, ...putsAfter];
    const apiP50 = percentile(api202.length > 0 ? api202 : allApi, 50);
    const apiP99 = percentile(api202.length > 0 ? api202 : allApi, 99);
    const putP50 = percentile(putMs, 50);
    const putP99 = percentile(putMs, 99);
    const ratio = apiP50 / putP50;
    const seconds = (waiting - started) / 1000;
    const claimsPerSecond = accepted / seconds;
    const refused = submissions.length - accepted;
    const perClaim = cpuPer(accepted, [claimsCpu, claimsCpuEnd]);
    const perPut = cpuPer(
      putMs.length,
      [putsBeforeCpu, putsBeforeCpuEnd],
      [putsAfterCpu, putsAfterCpuEnd],
    );
    const cpuRatio = perClaim && perPut ? perClaim.total / perPut.total : undefined;
    const busyShare =
      perClaim === undefined
        ? undefined
        : (perClaim.total * accepted) / 1000 / (seconds * cpus().length);

    const notes = [
      'Every submission is a real request through the local API gateway (JWT check, the ' +
        'submit function in its sandbox, its DynamoDB transaction and Step Functions start); ' +
        'after it, the workflow runs the eligibility checks and opens the provider’s ' +
        'confirmation task on its own.',
      'The local cloud runs at most 10 sandboxes per function (infra/local/lambda/lambda-runtime.ts), so 50 ' +
        'concurrent clients queue for the submit function: the API latency includes that wait, ' +
        'which Lambda’s concurrency would absorb.',
      'With 50 clients, each sending its next request as soon as the last is answered, the ' +
        'machine stays busy and both p50s are mostly time spent waiting in queues: the latency ' +
        'ratio follows how much work a claim is against a PutItem (the CPU figures), more than ' +
        'how long either takes alone.',
      `The load average (1 min) was ${round(loadAtStart, 1)} when the part started and ` +
        `${round(loadavg()[0] ?? 0, 1)} at its end (${cpus().length} cores).`,
    ];
    if (refused > 0) {
      notes.push(
        `${refused} of ${claims} submissions were not accepted (${JSON.stringify(statusCounts(submissions))}); ` +
          'the latencies are those of the accepted ones.',
      );
    }

    return {
      key: 'throughput',
      title: 'Throughput and latency on the local cloud',
      method:
        `A local cloud of its own (\`npm start\`'s, jobs run only on request) with one registered ` +
        `inclusive provider and ${claims} registered children, seeded before timing. ${clients} ` +
        `clients, each with its own citizen token, submit ${claims} subsidy claims (each with its ` +
        `own Idempotency-Key), one after another per client, after an unmeasured warm-up claim ` +
        `each. Claims per second run from the first submission until the provider's inbox holds ` +
        `every claim's confirmation task (a count query every ${pollIntervalMs} ms). In the same ` +
        `run, ${clients} concurrent clients send ${puts} raw PutItem calls to the same DynamoDB ` +
        `Local (half before the claims, half after; a scratch table; after ${20 * clients} untimed ones ` +
        `that let its JVM compile), the baseline for the ratio. Where /proc exists, the CPU time of ` +
        `the cloud's processes (Node and Java) is read around the claims and around the puts.`,
      target: {
        description: `API p50 ÷ PutItem p50 ≤ ${targetRatio}×`,
        met: accepted === claims && ratio <= targetRatio,
      },
      table: {
        columns: ['figure', 'value'],
        rows: [
          ['claims accepted (202) / submitted', `${accepted} / ${claims}`],
          [`API latency p50, ms (POST /v1/subsidy-claims, ${clients} clients)`, round(apiP50)],
          ['API latency p99, ms', round(apiP99)],
          [
            `DynamoDB Local PutItem p50, ms (${clients} clients, ${putMs.length} puts)`,
            round(putP50, 2),
          ],
          ['DynamoDB Local PutItem p99, ms', round(putP99, 2)],
          ['**API p50 ÷ PutItem p50**', `${round(ratio, 2)}×`],
          ['claims per second, until every one waits for its provider', round(claimsPerSecond, 2)],
          ['seconds from the first submission until all waited', round(seconds, 1)],
          ...(perClaim && perPut && cpuRatio !== undefined && busyShare !== undefined
            ? [
                [
                  'CPU per claim, ms (the local cloud’s Node + DynamoDB Local’s Java)',
                  `${round(perClaim.total)} (${round(perClaim.node)} + ${round(perClaim.java)})`,
                ],
                ['CPU per PutItem, ms (both, as above)', round(perPut.total, 2)],
                ['**CPU per claim ÷ CPU per PutItem**', `${round(cpuRatio, 1)}×`],
                [
                  `CPU used while the claims ran, share of ${cpus().length} cores`,
                  `${round(busyShare * 100)} %`,
                ],
              ]
            : []),
        ],
      },
      figures: {
        claims,
        clients,
        accepted,
        statuses: statusCounts(submissions),
        apiP50Ms: round(apiP50, 2),
        apiP99Ms: round(apiP99, 2),
        apiMaxMs: round(Math.max(...allApi), 2),
        submitSeconds: round((submitted - started) / 1000, 2),
        untilAllWaitingSeconds: round(seconds, 2),
        claimsPerSecond: round(claimsPerSecond, 3),
        putItems: putMs.length,
        putItemP50Ms: round(putP50, 3),
        putItemP99Ms: round(putP99, 3),
        apiP50OverPutItemP50: round(ratio, 3),
        ...(perClaim && perPut && cpuRatio !== undefined && busyShare !== undefined
          ? {
              cpuPerClaimMs: round(perClaim.total, 2),
              cpuPerClaimNodeMs: round(perClaim.node, 2),
              cpuPerClaimJavaMs: round(perClaim.java, 2),
              cpuPerPutItemMs: round(perPut.total, 3),
              cpuPerClaimOverPutItem: round(cpuRatio, 2),
              cpuBusyShareDuringClaims: round(busyShare, 3),
            }
          : {}),
        loadAverage1mAtStart: round(loadAtStart, 2),
        loadAverage1mAtEnd: round(loadavg()[0] ?? 0, 2),
      },
      notes,
    };
  } finally {
    await dynamodb.send(new DeleteTableCommand({ TableName: scratchTable })).catch(() => undefined);
    dynamodb.destroy();
    await bench.stop();
  }
};
