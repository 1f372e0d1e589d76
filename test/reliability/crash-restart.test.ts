import { randomInt } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/local/free-port.ts';
import { eachLimited } from '../../shared/concurrency/each-limited.ts';
import { ApiClient, type ApiResponse } from '../support/api-client.ts';
import { type CloudProcess, startCloudProcess } from '../support/cloud-process.ts';
import { localClients } from '../support/local-aws-clients.ts';
import { partitionItems, queryAll } from '../support/query-all.ts';
import {
  type DrivenCase,
  drivenCase,
  expectationsOf,
  fewestStepsOf,
  planCases,
  prepareCase,
  prepareStaff,
  type Staff,
  step,
} from './support/case-drivers.ts';
import { sized } from './support/scale.ts';
import { recordReliability } from './support/summary.ts';

const shared = inject('cloud');

/**
 * This file's clouds start again and again for many minutes, from the assembly the shared cloud
 * was started with: a copy of its manifest and templates, and links to its asset directories
 * (named by their content hash, never rewritten), so that a synthesis into the shared directory
 * meanwhile cannot hand a restart a half-written assembly.
 */
async function pinAssembly(into: string): Promise<string> {
  const pinned = join(into, 'cdk.out');
  await mkdir(pinned, { recursive: true });
  for (const entry of await readdir(shared.cdkOut, { withFileTypes: true })) {
    const from = join(shared.cdkOut, entry.name);
    if (entry.isDirectory()) await symlink(from, join(pinned, entry.name), 'dir');
    else if (entry.isFile()) await copyFile(from, join(pinned, entry.name));
  }
  return pinned;
}

const caseCount = sized(12, 100);
const requiredKills = sized(2, 5);
/** Cases advanced at the same time, as a handful of people working at once. */
const workers = 4;

/** mulberry32: a small seeded generator, so that a failing run can be repeated by its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type KillMethod = 'crash' | 'group';

/**
 * The local cloud under test, killed and started again on the same data. Requests ask it for the
 * running cloud and wait while there is none.
 */
class CloudKeeper {
  readonly started: CloudProcess[] = [];
  #cloud: CloudProcess | undefined;
  #generation = 0;
  #up: Promise<void> = Promise.resolve();
  #markUp: () => void = () => {};

  constructor(
    private readonly dataDir: string,
    private readonly cdkOut: string,
  ) {}

  get cloud(): CloudProcess {
    if (!this.#cloud) throw new Error('no cloud is running');
    return this.#cloud;
  }

  get generation(): number {
    return this.#generation;
  }

  get isUp(): boolean {
    return this.#cloud !== undefined;
  }

  async boot(): Promise<number> {
    const startedAt = Date.now();
    const cloud = await startCloudProcess({
      dataDir: this.dataDir,
      port: await freePort(),
      cdkOut: this.cdkOut,
      synth: false,
      logFile: join(this.dataDir, 'local-cloud.log'),
      // Nothing runs unasked, and no demo data: only what this file writes is in the table.
      env: { SCHEDULES: 'manual', SEED: 'none' },
      timeoutMs: 240_000,
    });
    this.started.push(cloud);
    this.#cloud = cloud;
    this.#generation += 1;
    this.#markUp();
    return Date.now() - startedAt;
  }

  /** SIGKILL: the local cloud's own process only (`crash`), or its whole process group. */
  async kill(method: KillMethod): Promise<void> {
    const cloud = this.cloud;
    this.#cloud = undefined;
    this.#up = new Promise((resolve) => {
      this.#markUp = resolve;
    });
    if (method === 'crash') await cloud.crash();
    else await cloud.kill('SIGKILL');
  }

  /** The running cloud's API, once there is one. */
  async current(): Promise<{ url: string; generation: number }> {
    for (;;) {
      await this.#up;
      if (this.#cloud) return { url: this.#cloud.url, generation: this.#generation };
    }
  }

  /** Kills every cloud this file started, and the DynamoDB Local a `crash` left orphaned. */
  async stopAll(): Promise<void> {
    for (const cloud of this.started) await cloud.kill('SIGKILL');
    const pidFile = join(this.dataDir, 'dynamodb', 'dynamodb-local.pid');
    const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(pid) || pid <= 0) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('DynamoDBLocal') && cmdline.includes(this.dataDir))
      process.kill(pid, 'SIGKILL');
  }
}

/** Counts kept while the run goes, for the summary. */
const figures = {
  requests: 0,
  /** Requests cut off by a kill (no answer), retried once the cloud was back. */
  interrupted: 0,
  /** 5xx answers while no kill was under way: a product error. */
  serverErrors: [] as string[],
  /** 5xx answers from a cloud being killed (a part died before the rest). */
  serverErrorsDuringKill: 0,
  inFlight: 0,
};

/**
 * An API client that behaves as a patient real one: a request that gets no answer because the
 * cloud died is sent again, unchanged (same Idempotency-Key), once the cloud is back; so is one
 * answered 409 REQUEST_IN_PROGRESS (the dead attempt still holds its key until it lapses).
 */
class RestartTolerantApi extends ApiClient {
  constructor(private readonly keeper: CloudKeeper) {
    super('http://unused.invalid');
  }

  override async request<T = unknown>(
    method: string,
    path: string,
    options: Parameters<ApiClient['request']>[2] = {},
  ): Promise<ApiResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 200) throw new Error(`${method} ${path}: gave up after ${attempt} attempts`);
      const { url, generation } = await this.keeper.current();
      figures.requests += 1;
      figures.inFlight += 1;
      let response: ApiResponse<T>;
      try {
        response = await new ApiClient(url).request<T>(method, path, options);
      } catch {
        figures.interrupted += 1;
        // Killed under it: wait for the next cloud. Otherwise (a refused connection while it was
        // still up) try again shortly.
        if (this.keeper.generation === generation && this.keeper.isUp) await sleep(250);
        continue;
      } finally {
        figures.inFlight -= 1;
      }
      const killedMeanwhile = this.keeper.generation !== generation || !this.keeper.isUp;
      if (response.status >= 500) {
        if (killedMeanwhile) figures.serverErrorsDuringKill += 1;
        else
          figures.serverErrors.push(
            `${method} ${path} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
          );
        await sleep(500);
        continue;
      }
      const code = (response.body as { error?: { code?: string } } | undefined)?.error?.code;
      if (response.status === 409 && code === 'REQUEST_IN_PROGRESS') {
        await sleep(1000);
        continue;
      }
      return response;
    }
  }
}

interface Tracked {
  readonly driven: DrivenCase;
  busy: boolean;
  final: boolean;
  /** When the case was last seen waiting with nothing to do, in cloud uptime (ms). */
  waitingSinceUptime: number | undefined;
  notBefore: number;
}

describe('crash and restart', () => {
  let dataDir = '';
  let keeper: CloudKeeper | undefined;

  afterAll(async () => {
    await keeper?.stopAll();
    // KEEP_TEST_DATA=1 keeps the data directory and the clouds' log for a post-mortem.
    if (dataDir && process.env.KEEP_TEST_DATA !== '1')
      await rm(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`crash-restart data kept in ${dataDir}`);
  });

  it(
    `drives ${caseCount} cases of all three kinds to their end through ${requiredKills}+ SIGKILLs, losing and duplicating nothing`,
    async () => {
      // Prepare
      const seed = Number(process.env.CRASH_SEED ?? randomInt(0, 2 ** 31));
      console.log(`crash-restart: seed ${seed} (CRASH_SEED=${seed} repeats the plan and kills)`);
      const random = seededRandom(seed);
      const wallStart = Date.now();
      dataDir = await mkdtemp(join(tmpdir(), 'shanyu-crash-'));
      const cloudKeeper = new CloudKeeper(dataDir, await pinAssembly(dataDir));
      keeper = cloudKeeper;
      const restartTimes: number[] = [await cloudKeeper.boot()];
      const api = new RestartTolerantApi(cloudKeeper);
      const staff: Staff = await prepareStaff(api);
      const plans = planCases(caseCount, random);
      const tracked: Tracked[] = (
        await eachLimited(plans, workers, (plan) => prepareCase(api, plan, staff))
      ).map((prepared) => ({
        driven: drivenCase(prepared),
        busy: false,
        final: false,
        waitingSinceUptime: undefined,
        notBefore: 0,
      }));
      const preparedAt = Date.now();

      // Act: workers advance the cases, a janitor runs the jobs the schedule would, and a killer
      // SIGKILLs the cloud at random moments while requests are in flight.
      let failure: unknown;
      let uptimeBase = Date.now();
      let uptimeBefore = 0;
      const uptime = () =>
        cloudKeeper.isUp ? uptimeBefore + Date.now() - uptimeBase : uptimeBefore;
      const allFinal = () => tracked.every((entry) => entry.final);
      const stuckAfterMs = 180_000;
      const stuck = () =>
        tracked.filter(
          (entry) =>
            !entry.final &&
            entry.waitingSinceUptime !== undefined &&
            uptime() - entry.waitingSinceUptime > stuckAfterMs,
        );
      const done = () => failure !== undefined || allFinal() || stuck().length > 0;
      let cursor = 0;
      /** Steps that moved a case (a filing, a task's decisions). */
      let acts = 0;
      const pick = (): Tracked | undefined => {
        for (let i = 0; i < tracked.length; i++) {
          const entry = tracked[(cursor + i) % tracked.length] as Tracked;
          if (!entry.final && !entry.busy && entry.notBefore <= Date.now()) {
            cursor = (cursor + i + 1) % tracked.length;
            return entry;
          }
        }
        return undefined;
      };
      const worker = async () => {
        while (!done()) {
          const entry = pick();
          if (!entry) {
            await sleep(100);
            continue;
          }
          entry.busy = true;
          try {
            const result = await step(api, entry.driven, staff);
            if (result === 'final') entry.final = true;
            if (result === 'acted') acts += 1;
            if (result === 'waiting') {
              entry.waitingSinceUptime ??= uptime();
              entry.notBefore = Date.now() + 300;
            } else entry.waitingSinceUptime = undefined;
          } catch (error) {
            failure ??= error;
          } finally {
            entry.busy = false;
          }
        }
      };
      const runJob = (job: string, input: Record<string, unknown> = {}) =>
        api.request<{ result?: Record<string, number> }>('POST', '/dev/scheduler/run', {
          body: { job, ...input },
        });
      const janitor = async () => {
        while (!done()) {
          await sleep(4000);
          if (done()) return;
          // What the schedule does every few minutes: hand over decisions a crash left pending,
          // and send what waits in the outbox.
          await runJob('DeliverDecisions', { graceSeconds: 3 });
          await runJob('SendNotifications');
        }
      };
      const kills: { method: KillMethod; inFlight: number; acts: number; afterMs: number }[] = [];
      // Kills are spread over the run by progress (steps taken), not by time: a slow machine
      // would otherwise spend them all on cold starts before the first case moved. The k-th
      // falls at a random point of the k-th slice of the fewest steps the plans take (up to 85 %
      // of them), so that every kill finds cases still to drive.
      const fewest = fewestStepsOf(plans);
      const killer = async () => {
        while (kills.length < requiredKills && !done()) {
          const dueAt = (0.85 * fewest * (kills.length + random())) / requiredKills;
          while (acts < dueAt && !done()) await sleep(100);
          if (done()) return;
          await sleep(random() * 2000);
          // A kill that hits nothing proves nothing: wait (briefly) for requests in flight.
          for (let i = 0; i < 40 && figures.inFlight === 0; i++) await sleep(50);
          const method: KillMethod = kills.length % 2 === 0 ? 'crash' : 'group';
          kills.push({
            method,
            inFlight: figures.inFlight,
            acts,
            afterMs: Date.now() - preparedAt,
          });
          uptimeBefore = uptime();
          await cloudKeeper.kill(method);
          restartTimes.push(await cloudKeeper.boot());
          uptimeBase = Date.now();
        }
      };
      await Promise.all([killer(), janitor(), ...Array.from({ length: workers }, worker)]);
      if (failure) throw failure;
      const drivenAt = Date.now();

      // Deliver what the jobs would deliver eventually: pending decisions, then the outbox. A
      // notification whose claim a kill cut short waits for the claim to lapse (5 minutes).
      for (let round = 0; round < 5; round++) {
        const run = await runJob('DeliverDecisions', { graceSeconds: 0 });
        if ((run.body.result?.stillPending ?? 0) === 0) break;
      }
      const sendAll = async () => {
        for (let round = 0; round < 200; round++) {
          const run = await runJob('SendNotifications');
          const result = run.body.result ?? {};
          if ((result.sent ?? 0) + (result.failed ?? 0) + (result.givenUp ?? 0) === 0) return;
        }
      };
      await sendAll();
      const firstDay = new Date(wallStart).toISOString().slice(0, 10);
      const outboxOf = async () => {
        const clock = await api.request<{ now: string }>('GET', '/dev/clock');
        const days = new Set([firstDay, clock.body.now.slice(0, 10)]);
        const notifications: OutboxEntry[] = [];
        for (const day of days) {
          const page = await api.request<{ notifications: OutboxEntry[] }>(
            'GET',
            `/dev/outbox?date=${day}`,
          );
          notifications.push(...page.body.notifications);
        }
        return notifications;
      };
      if ((await outboxOf()).some((n) => n.status === 'sending' || n.status === 'pending')) {
        await api.request('POST', '/dev/clock', { body: { advance: 'PT6M' } });
        await sendAll();
      }
      const outbox = await outboxOf();

      // Assess
      const { documents, sfn } = localClients(cloudKeeper.cloud.health.parts);
      const tableName = cloudKeeper.cloud.health.tables[0] ?? '';
      const partition = (pk: string, prefix = '') =>
        partitionItems(documents, tableName, pk, prefix);
      const gsi3 = (gsi3pk: string) =>
        queryAll(documents, {
          TableName: tableName,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': gsi3pk },
        });

      /** Missing or duplicated records: data lost. Other departures from the plan: wrong. */
      const lost: string[] = [];
      const wrong: string[] = [];
      const countBy = <T>(items: readonly T[], keyOf: (item: T) => string) => {
        const counts = new Map<string, number>();
        for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
        return counts;
      };
      /** Compares expected and found keys one by one: each missing or extra one is a record lost. */
      const compare = (label: string, expected: readonly string[], found: readonly string[]) => {
        const want = countBy(expected, (key) => key);
        const have = countBy(found, (key) => key);
        for (const key of new Set([...want.keys(), ...have.keys()])) {
          const difference = (have.get(key) ?? 0) - (want.get(key) ?? 0);
          for (let i = 0; i < Math.abs(difference); i++)
            lost.push(`${label}: ${key} ${difference > 0 ? 'duplicated' : 'missing'}`);
        }
      };

      const decisionTemplates = new Set([
        'case-approved',
        'case-rejected',
        'case-expired',
        'waiver-granted',
      ]);
      for (const { driven } of tracked) {
        const { prepared } = driven;
        const caseId = driven.caseId;
        const label = `${prepared.plan.kind}/${prepared.plan.variant} ${caseId ?? '(never filed)'}`;
        if (!caseId) {
          lost.push(`${label}: never filed`);
          continue;
        }
        const expected = expectationsOf(prepared);
        const [caseItem] = await partition(`CASE#${caseId}`, 'CASE');
        if (!caseItem) {
          lost.push(`${label}: case missing`);
          continue;
        }
        if (caseItem.status !== expected.status)
          wrong.push(`${label}: status ${String(caseItem.status)}, expected ${expected.status}`);

        // No case lost, no extra case: the applicant's own list holds exactly this one.
        const mine = await api.request<{ items: { caseId: string }[] }>(
          'GET',
          '/v1/cases?mine=true&limit=100',
          { token: prepared.applicant.token },
        );
        compare(
          `${label} applicant's cases`,
          [caseId],
          mine.body.items.map((item) => item.caseId),
        );

        // The execution finished.
        const executionArn = (caseItem.workflow as { executionArn: string }).executionArn;
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status !== 'SUCCEEDED')
          wrong.push(`${label}: execution ${execution.status} ${execution.error ?? ''}`);
        const history = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
        );
        const taskOutputs = (history.events ?? []).flatMap((event) =>
          event.taskSucceededEventDetails?.output ? [event.taskSucceededEventDetails.output] : [],
        );

        // Every decision on the audit trail exactly once, and handed to the workflow exactly once.
        const events = await partition(`CASE#${caseId}`, 'EVENT#');
        const tasks = await partition(`CASE#${caseId}`, 'TASK#');
        const typesOf = (type: string) => events.filter((event) => event.type === type);
        compare(
          `${label} case.submitted`,
          ['once'],
          typesOf('case.submitted').map(() => 'once'),
        );
        compare(
          `${label} outcome`,
          [`case.${expected.status}`],
          events
            .map((event) => String(event.type))
            .filter((type) => ['case.approved', 'case.rejected', 'case.expired'].includes(type)),
        );
        compare(
          `${label} task.created`,
          tasks.map((task) => String(task.taskId)),
          typesOf('task.created').map((event) => String(event.taskId)),
        );
        const decidedTasks = tasks.filter((task) => task.status === 'done');
        compare(
          `${label} task.decided`,
          decidedTasks.map((task) => String(task.taskId)),
          typesOf('task.decided').map((event) => String(event.taskId)),
        );
        for (const taskId of driven.decided) {
          if (!decidedTasks.some((task) => task.taskId === taskId))
            lost.push(`${label}: decision on ${taskId} not recorded`);
        }
        for (const task of tasks) {
          if (task.status === 'open' || task.status === 'claimed')
            wrong.push(`${label}: ${String(task.taskType)} left ${String(task.status)}`);
          if (task.status !== 'done') continue;
          const handedOver = taskOutputs.filter((output) =>
            output.includes(`"taskId":"${String(task.taskId)}"`),
          ).length;
          // A review decided beside the rejecting one may arrive after the workflow ended.
          const late =
            task.delivery === 'undeliverable' &&
            prepared.plan.variant === 'fire-rejects' &&
            String(task.taskType).endsWith('-review');
          if (late) continue;
          if (task.delivery !== 'delivered')
            wrong.push(`${label}: ${String(task.taskType)} decision ${String(task.delivery)}`);
          compare(
            `${label} ${String(task.taskType)} delivered`,
            ['once'],
            Array(handedOver).fill('once'),
          );
        }

        // Payments and waivers: by the case's own keys, and across every case of the month.
        const payments = await partition(`PAYMENT#${caseId}`);
        compare(
          `${label} payments`,
          Object.entries(expected.payments).flatMap(([benefit, months]) =>
            months.map((month) => `${benefit}:${month}`),
          ),
          payments.map((payment) => `${String(payment.benefit)}:${String(payment.month)}`),
        );
        const waivers = await partition(`WAIVER#${caseId}`);
        compare(
          `${label} waivers`,
          expected.waiverMonths,
          waivers.map((waiver) => String(waiver.month)),
        );

        // The registry: the provider entered once, with one audit event of it.
        const providerItems = await partition(`PROVIDER#${prepared.providerId}`);
        if (prepared.plan.kind === 'provider-registration') {
          compare(
            `${label} registry entry`,
            expected.registered ? ['PROFILE'] : [],
            providerItems.filter((item) => item.sk === 'PROFILE').map(() => 'PROFILE'),
          );
          compare(
            `${label} provider.registered`,
            expected.registered ? ['once'] : [],
            providerItems.filter((item) => item.type === 'provider.registered').map(() => 'once'),
          );
        }

        // The decision's notifications: filed once each, and sent.
        const notices = outbox.filter(
          (n) => n.caseId === caseId && decisionTemplates.has(n.template),
        );
        compare(
          `${label} notifications`,
          expected.notifications,
          notices.map((n) => `${n.template}@${n.recipient.kind}`),
        );
        for (const notice of notices) {
          if (notice.status !== 'sent')
            wrong.push(`${label}: ${notice.template} notification ${notice.status}`);
        }
      }

      // Across cases: one payment per child, month and benefit; one waiver per case and month.
      const months = [...new Set(tracked.flatMap(({ driven }) => driven.prepared.months))];
      for (const month of months) {
        const monthPayments = await gsi3(`PAYMENTS#${month}#wuxing`);
        for (const [key, count] of countBy(
          monthPayments,
          (p) => `${String(p.childKey)}:${String(p.benefit)}`,
        )) {
          if (count > 1)
            lost.push(`payments of ${month}: ${count} for one child (${key.slice(-20)})`);
        }
        const monthWaivers = await gsi3(`WAIVERS#${staff.waiverProvider.providerId}#${month}`);
        for (const [caseId, count] of countBy(monthWaivers, (w) => String(w.caseId))) {
          if (count > 1) lost.push(`waivers of ${month}: ${count} for ${caseId}`);
        }
      }

      const wallMs = Date.now() - wallStart;
      const summary = {
        seed,
        cases: tracked.length,
        kills: kills.map(
          (k) =>
            `${k.method} at ${(k.afterMs / 1000).toFixed(1)} s, step ${k.acts}, ${k.inFlight} requests in flight`,
        ),
        restartSeconds: restartTimes.map((ms) => (ms / 1000).toFixed(1)),
        requests: figures.requests,
        interrupted: figures.interrupted,
        serverErrorsDuringKill: figures.serverErrorsDuringKill,
        serverErrors: figures.serverErrors,
        prepareSeconds: ((preparedAt - wallStart) / 1000).toFixed(1),
        driveSeconds: ((drivenAt - preparedAt) / 1000).toFixed(1),
        wallSeconds: (wallMs / 1000).toFixed(1),
        stuck: stuck().map((entry) => `${entry.driven.caseId} ${entry.driven.status}`),
        lost,
        wrong,
      };
      console.log(`crash-restart: ${JSON.stringify(summary, null, 2)}`);
      recordReliability({
        suite: 'crash and restart',
        cases: tracked.length,
        requests: figures.requests,
        faults: kills.length,
        dataLost: lost.length,
        serverErrors: figures.serverErrors.length,
        note: `SIGKILL ×${kills.length} (seed ${seed}); status, execution, case list, audit, delivery, payments, waivers, registry, notifications`,
      });
      expect(kills.length).toBeGreaterThanOrEqual(requiredKills);
      expect(lost).toEqual([]);
      expect(wrong).toEqual([]);
      expect(figures.serverErrors).toEqual([]);
    },
    sized(20, 90) * 60_000,
  );
});

interface OutboxEntry {
  caseId: string;
  template: string;
  status: string;
  recipient: { kind: string };
}
