import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/local/free-port.ts';
import { ApiClient } from '../support/api-client.ts';
import { type CloudProcess, startCloudProcess } from '../support/cloud-process.ts';
import { eventually, localClients, openTaskOfType } from '../support/local-aws-clients.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';

/*
 * Deadlines on a local cloud of their own: these tests move its clock forward by days, which the
 * shared cloud's other tests must not see.
 */

const { cdkOut } = inject('cloud');

interface TaskBody {
  taskId: string;
  status: string;
  dueAt: string;
  followUpAt: string;
  overdue: boolean;
  escalated: boolean;
}

interface CaseBody {
  caseId: string;
  status: string;
  timeline: { type: string; taskId?: string; actor: { kind: string; component?: string } }[];
}

interface OutboxBody {
  notifications: {
    template: string;
    taskId?: string;
    caseId: string;
    createdAt: string;
    recipient: { kind: string; role?: string; scope?: string; holder?: string; sub?: string };
  }[];
}

interface SweepBody {
  job: string;
  result: { due: number; reminded: number; escalated: number; expired: number };
}

describe('deadlines: reminders, escalation and expiry on the local clock', () => {
  let cloud: CloudProcess;
  let dataDir = '';
  let api: ApiClient;
  let clients: ReturnType<typeof localClients>;
  let tableName = '';
  const outboxDays = new Set<string>();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shanyu-deadlines-'));
    cloud = await startCloudProcess({
      dataDir,
      port: await freePort(),
      cdkOut,
      synth: false,
      // The sweeper runs when a test says so: a run of its own on every clock move would take
      // the reminders two overlapping runs are meant to race for.
      env: { SCHEDULES: 'manual' },
      logFile: process.env.SHANYU_TEST_LOG
        ? `${process.env.SHANYU_TEST_LOG}.deadlines`
        : join(dataDir, 'local-cloud.log'),
    });
    api = new ApiClient(cloud.url);
    clients = localClients(cloud.health.parts);
    tableName = cloud.health.tables[0] ?? '';
  }, 180_000);

  afterAll(async () => {
    await cloud?.kill('SIGTERM');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Moves the local cloud's clock to `at`. */
  async function setClock(at: string) {
    const moved = await api.request<{ now: string }>('POST', '/dev/clock', { body: { now: at } });
    expect(moved.status).toBe(200);
    outboxDays.add(at.slice(0, 10));
  }

  async function taskOf(taskId: string, token: string) {
    const read = await api.request<{ task: TaskBody }>('GET', `/v1/tasks/${taskId}`, { token });
    expect(read.status).toBe(200);
    return read.body.task;
  }

  const plusMinutes = (iso: string, minutes: number) =>
    new Date(Date.parse(iso) + minutes * 60_000).toISOString();

  async function sweep() {
    const run = await api.request<SweepBody>('POST', '/dev/scheduler/run', {
      body: { job: 'DeadlineSweeper' },
    });
    expect(run.status).toBe(200);
    return run.body.result;
  }

  /** Every notification filed on the days the clock was moved to, about one task. */
  async function notificationsOf(taskId: string) {
    const all = [];
    for (const day of outboxDays) {
      const page = await api.request<OutboxBody>('GET', `/dev/outbox?date=${day}`);
      all.push(...page.body.notifications);
    }
    return all.filter((notification) => notification.taskId === taskId);
  }

  /** A subsidy claim the provider confirmed: its district review waits on a caseworker. */
  async function claimAtDistrictReview(district: string) {
    const familySub = `family-${randomUUID()}`;
    const family = await api.token({ sub: familySub, roles: ['citizen'] });
    const providerId = await registerProvider(api, { district });
    const child = await registerChild(api);
    const provider = await api.token({
      sub: `${providerId}-staff`,
      roles: ['provider'],
      providerId,
    });
    const submitted = await api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
      token: family,
      body: eligibleClaim(child, providerId),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(submitted.status).toBe(202);
    const { caseId } = submitted.body;
    const confirm = await openTaskOfType(
      clients.documents,
      tableName,
      caseId,
      'confirm-enrollment',
    );
    const confirmed = await api.request('POST', `/v1/tasks/${confirm.taskId}/decision`, {
      token: provider,
      body: { outcome: 'approve' },
    });
    expect(confirmed.status).toBe(200);
    const review = await openTaskOfType(clients.documents, tableName, caseId, 'district-review');
    return { caseId, family, taskId: review.taskId };
  }

  it('reminds a caseworker once at follow-up and escalates once at due, however often the sweeper runs', async () => {
    // Prepare
    const { caseId, taskId } = await claimAtDistrictReview('anji');
    const caseworker = await api.token({
      sub: 'anji-cw-7',
      roles: ['caseworker'],
      district: 'anji',
    });
    const supervisor = await api.token({
      sub: 'anji-sup',
      roles: ['supervisor'],
      district: 'anji',
    });
    const citySupervisor = await api.token({
      sub: 'city-sup',
      roles: ['supervisor'],
      district: 'city',
    });
    const otherSupervisor = await api.token({
      sub: 'wx-sup',
      roles: ['supervisor'],
      district: 'wuxing',
    });
    const claimed = await api.request('POST', `/v1/tasks/${taskId}/claim`, { token: caseworker });
    expect(claimed.status).toBe(200);
    const task = await taskOf(taskId, caseworker);

    // Act
    await setClock(plusMinutes(task.followUpAt, 1));
    for (let run = 0; run < 3; run++) await sweep();
    const afterFollowUp = await notificationsOf(taskId);
    await setClock(plusMinutes(task.dueAt, 1));
    for (let run = 0; run < 3; run++) await sweep();
    const afterDue = await notificationsOf(taskId);
    const view = await taskOf(taskId, caseworker);
    const listOf = async (token: string) =>
      (
        await api.request<{ items: { taskId: string; escalated: boolean }[] }>(
          'GET',
          '/v1/tasks?status=escalated',
          { token },
        )
      ).body.items;
    const districtList = await listOf(supervisor);
    const cityList = await listOf(citySupervisor);
    const otherList = await listOf(otherSupervisor);
    const refused = await api.request('GET', '/v1/tasks?status=escalated', { token: caseworker });
    const history = (
      await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: supervisor })
    ).body;

    // Assess
    const reminders = afterFollowUp.filter((n) => n.template === 'task-reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.recipient).toMatchObject({
      kind: 'queue',
      role: 'caseworker',
      scope: 'D:anji',
      holder: 'anji-cw-7',
    });
    const templates = afterDue.map((n) => n.template).sort();
    expect(templates).toEqual([
      'task-escalated',
      'task-escalated',
      'task-overdue',
      'task-reminder',
    ]);
    const escalatedTo = afterDue
      .filter((n) => n.template === 'task-escalated')
      .map((n) => n.recipient.scope)
      .sort();
    expect(escalatedTo).toEqual(['D:anji', 'D:city']);
    expect(view).toMatchObject({ status: 'claimed', overdue: true, escalated: true });
    expect(districtList.map((t) => t.taskId)).toContain(taskId);
    expect(districtList.find((t) => t.taskId === taskId)?.escalated).toBe(true);
    expect(cityList.map((t) => t.taskId)).toContain(taskId);
    expect(otherList.map((t) => t.taskId)).not.toContain(taskId);
    expect(refused.status).toBe(403);
    const sweeperEvents = history.timeline
      .filter((event) => event.taskId === taskId && event.actor.component === 'deadline-sweeper')
      .map((event) => event.type);
    expect(sweeperEvents).toEqual(['task.reminded', 'task.escalated']);
  });

  it('takes an escalated task off the supervisors’ list once it is decided', async () => {
    // Prepare
    const { taskId } = await claimAtDistrictReview('nanxun');
    const caseworker = await api.token({ sub: 'nx-cw', roles: ['caseworker'], district: 'nanxun' });
    const supervisor = await api.token({
      sub: 'nx-sup',
      roles: ['supervisor'],
      district: 'nanxun',
    });
    const task = await taskOf(taskId, caseworker);
    await setClock(plusMinutes(task.dueAt, 1));
    await sweep();
    const listed = await api.request<{ items: { taskId: string }[] }>(
      'GET',
      '/v1/tasks?status=escalated',
      { token: supervisor },
    );

    // Act
    const decided = await api.request('POST', `/v1/tasks/${taskId}/decision`, {
      token: caseworker,
      body: { outcome: 'approve', reason: '逾期后办结' },
    });
    const after = await api.request<{ items: { taskId: string }[] }>(
      'GET',
      '/v1/tasks?status=escalated',
      { token: supervisor },
    );

    // Assess
    expect(listed.body.items.map((t) => t.taskId)).toContain(taskId);
    expect(decided.status).toBe(200);
    expect(after.body.items.map((t) => t.taskId)).not.toContain(taskId);
  });

  it('sends each reminder once when two sweeper runs overlap', async () => {
    // Prepare
    const claims = await Promise.all([
      claimAtDistrictReview('deqing'),
      claimAtDistrictReview('deqing'),
      claimAtDistrictReview('changxing'),
    ]);
    const admin = await api.token({ sub: 'admin-1', roles: ['admin'] });
    const tasks = await Promise.all(claims.map(async ({ taskId }) => await taskOf(taskId, admin)));
    const latestFollowUp =
      tasks
        .map((t) => t.followUpAt)
        .sort()
        .at(-1) ?? '';
    const earliestDue = tasks.map((t) => t.dueAt).sort()[0] ?? '';
    expect(latestFollowUp < earliestDue).toBe(true);
    // Two warm sandboxes, so that neither run waits for a cold start while the other finishes.
    await Promise.all([sweep(), sweep()]);
    await setClock(plusMinutes(latestFollowUp, 1));

    // Act
    const [first, second] = await Promise.all([sweep(), sweep()]);
    const notifications = await Promise.all(claims.map(({ taskId }) => notificationsOf(taskId)));

    // Assess
    for (const sent of notifications) {
      expect(sent.filter((n) => n.template === 'task-reminder')).toHaveLength(1);
    }
    // Between them the two runs reminded each task once; whichever lost a race skipped it.
    expect((first?.reminded ?? 0) + (second?.reminded ?? 0)).toBe(claims.length);
  });

  it('reminds once when two runs read the same due entries before either writes', async () => {
    // Prepare: the sweeper in this process, on this cloud's table, so that both runs are known to
    // have read every entry before either wrote (their queries go out together, first thing).
    process.env.TABLE_NAME = tableName;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = cloud.health.parts.dynamodb;
    process.env.AWS_ENDPOINT_URL_SFN = cloud.health.parts.stepfunctions;
    const { sweepDeadlines } = await import('../../shared/tasks/deadline-sweep.ts');
    const claims = await Promise.all([
      claimAtDistrictReview('wuxing'),
      claimAtDistrictReview('deqing'),
      claimAtDistrictReview('anji'),
    ]);
    const admin = await api.token({ sub: 'admin-1', roles: ['admin'] });
    const tasks = await Promise.all(claims.map(({ taskId }) => taskOf(taskId, admin)));
    const followUp = tasks.map((t) => t.followUpAt).sort();
    const at = new Date(Date.parse(followUp.at(-1) ?? '') + 60_000);
    outboxDays.add(at.toISOString().slice(0, 10));

    // Act
    const [first, second] = await Promise.all([
      sweepDeadlines({ now: at }),
      sweepDeadlines({ now: at }),
    ]);
    const notifications = await Promise.all(claims.map(({ taskId }) => notificationsOf(taskId)));

    // Assess
    expect(first.due).toBeGreaterThanOrEqual(claims.length);
    expect(second.due).toBeGreaterThanOrEqual(claims.length);
    expect(first.reminded + second.reminded).toBe(claims.length);
    expect(first.skipped + second.skipped).toBeGreaterThanOrEqual(claims.length);
    for (const sent of notifications) {
      expect(sent.filter((n) => n.template === 'task-reminder')).toHaveLength(1);
    }
  });

  it('gives a district supervisor SLA figures: one review decided on time, one late', async () => {
    // Prepare
    const onTime = await claimAtDistrictReview('nantaihu');
    const late = await claimAtDistrictReview('nantaihu');
    const caseworker = await api.token({
      sub: 'nth-cw',
      roles: ['caseworker'],
      district: 'nantaihu',
    });
    const supervisor = await api.token({
      sub: 'nth-sup',
      roles: ['supervisor'],
      district: 'nantaihu',
    });
    const decide = (taskId: string) =>
      api.request('POST', `/v1/tasks/${taskId}/decision`, {
        token: caseworker,
        body: { outcome: 'approve', reason: '符合条件' },
      });
    const lateTask = await taskOf(late.taskId, caseworker);
    const onTimeTask = await taskOf(onTime.taskId, caseworker);
    expect((await decide(onTime.taskId)).status).toBe(200);
    await setClock(plusMinutes(lateTask.dueAt, 60));
    expect((await decide(late.taskId)).status).toBe(200);
    // The period: the Huzhou days the two reviews fall due (the same day, unless opened around
    // midnight).
    const [from, to] = [onTimeTask.dueAt, lateTask.dueAt]
      .map((dueAt) => new Date(Date.parse(dueAt) + 8 * 3_600_000).toISOString().slice(0, 10))
      .sort();

    // Act
    const stats = await api.request<{
      scope: string;
      byTaskType: { taskType: string; due: number; decidedOnTime: number; overdue: number }[];
      consumedReadUnits: number;
    }>('GET', `/v1/stats/sla?district=nantaihu&from=${from}&to=${to}`, { token: supervisor });
    const otherDistrict = await api.request(
      'GET',
      `/v1/stats/sla?district=anji&from=${from}&to=${to}`,
      {
        token: supervisor,
      },
    );

    // Assess
    expect(stats.status).toBe(200);
    expect(stats.body.byTaskType).toEqual([
      expect.objectContaining({
        taskType: 'district-review',
        due: 2,
        decidedOnTime: 1,
        overdue: 1,
      }),
    ]);
    expect(stats.body.consumedReadUnits).toBeGreaterThan(0);
    expect(otherDistrict.status).toBe(403);
  });

  it("expires the case when the family lets an information request's due time pass, ending its execution", async () => {
    // Prepare
    const { caseId, family } = await claimAtDistrictReview('wuxing');
    const caseworker = await api.token({
      sub: 'wx-cw-9',
      roles: ['caseworker'],
      district: 'wuxing',
    });
    const review = await openTaskOfType(clients.documents, tableName, caseId, 'district-review');
    await api.request('POST', `/v1/tasks/${review.taskId}/decision`, {
      token: caseworker,
      body: { outcome: 'request-info', reason: '请上传入托缴费凭证' },
    });
    const ask = await openTaskOfType(clients.documents, tableName, caseId, 'supply-info');
    const asked = await taskOf(ask.taskId, family);

    // Act
    await setClock(plusMinutes(asked.followUpAt, 1));
    await sweep();
    await setClock(plusMinutes(asked.dueAt, 1));
    await sweep();
    const expired = await eventually(async () => {
      const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });
      return view.body.status === 'expired' ? view.body : undefined;
    });
    const execution = await eventually(async () => {
      const described = await clients.sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${cloud.health.stateMachines.SubsidyClaim?.replace(':stateMachine:', ':execution:')}:${caseId}`,
        }),
      );
      return described.status === 'RUNNING' ? undefined : described;
    });
    const task = await taskOf(ask.taskId, family);
    const notifications = await notificationsOf(ask.taskId);

    // Assess
    expect(expired.status).toBe('expired');
    expect(execution.status).not.toBe('RUNNING');
    expect(task.status).toBe('expired');
    expect(notifications.filter((n) => n.template === 'task-reminder')).toEqual([
      expect.objectContaining({ recipient: expect.objectContaining({ kind: 'applicant' }) }),
    ]);
    expect(expired.timeline.map((event) => event.type)).toContain('case.expired');
  });
});
