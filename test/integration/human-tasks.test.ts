import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import { ApiClient, type ErrorShape } from '../support/api-client.ts';
import { recentMonths } from '../support/ids.ts';
import {
  eventually,
  localClients,
  openTaskOf,
  openTaskOfType,
} from '../support/local-aws-clients.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const { sfn, documents } = localClients(cloud.parts);

interface InboxItem {
  taskId: string;
  caseId: string;
  taskType: string;
  status: string;
  dueAt: string;
  summary: string;
}

interface CaseBody {
  status: string;
  currentStep: string[];
  openTasks: { taskId: string }[];
  workflow?: unknown;
  timeline: {
    type: string;
    actor: { kind: string; sub?: string };
    note?: string;
    taskId?: string;
  }[];
}

/** A family files an eligible claim at a provider of its own; returns the case and its provider's task. */
async function claimAtNewProvider() {
  const providerId = await registerProvider(api);
  const child = await registerChild(api);
  const family = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });
  const submitted = await api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
    token: family,
    body: eligibleClaim(child, providerId),
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(submitted.status).toBe(202);
  const { caseId } = submitted.body;
  const task = await eventually(() => openTaskOf(documents, tableName, caseId));
  const staff = (n: number) =>
    api.token({ sub: `${providerId}-staff-${n}`, roles: ['provider'], providerId });
  return { caseId, providerId, family, taskId: task.taskId, staff };
}

const openTaskIn = (caseId: string, taskType: string) =>
  openTaskOfType(documents, tableName, caseId, taskType);

async function executionOf(caseId: string) {
  const arn = `${(cloud.stateMachines.SubsidyClaim ?? '').replace(':stateMachine:', ':execution:')}:${caseId}`;
  return sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
}

async function settled(caseId: string) {
  return eventually(async () => {
    const execution = await executionOf(caseId);
    return execution.status === 'RUNNING' ? undefined : execution;
  });
}

describe('human tasks: inbox, claim, decide', () => {
  it('shows the task in its queue only, claims it once, and resumes the workflow with the decision', async () => {
    // Prepare
    const { caseId, family, taskId, staff } = await claimAtNewProvider();
    const [alice, bob] = await Promise.all([staff(1), staff(2)]);
    const stranger = await api.token({
      sub: 'other-provider',
      roles: ['provider'],
      providerId: 'P-ELSEWHERE',
    });
    const caseworker = await api.token({ sub: 'cw', roles: ['caseworker'], district: 'wuxing' });

    // Act
    const inbox = await api.request<{ items: InboxItem[] }>('GET', '/v1/tasks', { token: alice });
    const strangerInbox = await api.request<{ items: InboxItem[] }>('GET', '/v1/tasks', {
      token: stranger,
    });
    const caseworkerInbox = await api.request<{ items: InboxItem[] }>('GET', '/v1/tasks', {
      token: caseworker,
    });
    const strangerRead = await api.request<ErrorShape>('GET', `/v1/tasks/${taskId}`, {
      token: stranger,
    });
    const claimed = await api.request<{ status: string; claimedBy: string }>(
      'POST',
      `/v1/tasks/${taskId}/claim`,
      { token: alice },
    );
    const claimedAgain = await api.request('POST', `/v1/tasks/${taskId}/claim`, { token: alice });
    const conflicting = await api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/claim`, {
      token: bob,
    });
    const bobDecides = await api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, {
      token: bob,
      body: { outcome: 'approve' },
    });
    const decided = await api.request<{ delivered: boolean; task: { status: string } }>(
      'POST',
      `/v1/tasks/${taskId}/decision`,
      {
        token: alice,
        body: { outcome: 'approve', data: { enrolledSince: '2026-09', monthlyFeeYuan: 1800 } },
      },
    );
    const review = await openTaskIn(caseId, 'district-review');
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });

    // Assess
    expect(inbox.body.items.map((i) => i.taskId)).toEqual([taskId]);
    expect(inbox.body.items[0]).toMatchObject({
      caseId,
      taskType: 'confirm-enrollment',
      status: 'open',
    });
    expect(inbox.body.items[0]?.summary).toBe(`沈*禾 · ${recentMonths().join('–')}`);
    expect(JSON.stringify(inbox.body)).not.toMatch(/\d{17}[\dX]/);
    expect(strangerInbox.body.items.map((i) => i.taskId)).not.toContain(taskId);
    expect(caseworkerInbox.body.items.map((i) => i.taskId)).not.toContain(taskId);
    expect(strangerRead.status).toBe(404);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: 'claimed',
      claimedBy: expect.stringContaining('staff-1'),
    });
    expect(claimedAgain.status).toBe(200);
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.code).toBe('TASK_ALREADY_CLAIMED');
    expect(bobDecides.status).toBe(409);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ delivered: true, task: { status: 'done' } });
    expect(review.taskId).not.toBe(taskId);
    expect(view.body.status).toBe('in-review');
    expect(view.body.timeline.map((e) => e.type)).toEqual([
      'case.submitted',
      'checks.passed',
      'task.created',
      'task.claimed',
      'task.decided',
      'task.created',
    ]);
    expect(view.body.timeline[3]?.actor).toMatchObject({
      kind: 'person',
      sub: expect.stringContaining('staff-1'),
    });
  });

  it('records exactly one of 20 concurrent decisions; the others get 409', async () => {
    // Prepare
    const { caseId, taskId, staff } = await claimAtNewProvider();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, n) => staff(n)));

    // Act
    const responses = await Promise.all(
      tokens.map((token, n) =>
        api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, {
          token,
          body:
            n % 2 === 0
              ? { outcome: 'approve' }
              : { outcome: 'reject', reason: `staff ${n} says no` },
        }),
      ),
    );
    const family = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, {
      token: await api.token({ sub: 'admin-1', roles: ['admin'] }),
    });

    // Assess
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(['TASK_ALREADY_DECIDED', 'TASK_ALREADY_CLAIMED']).toContain(response.body.error.code);
    }
    expect(family.body.timeline.filter((e) => e.type === 'task.decided')).toHaveLength(1);
  });

  it('requires a reason to reject, and validates the decision against the task type', async () => {
    // Prepare
    const { taskId, staff } = await claimAtNewProvider();
    const token = await staff(1);

    // Act
    const noReason = await api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, {
      token,
      body: { outcome: 'reject' },
    });
    const badData = await api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, {
      token,
      body: { outcome: 'approve', data: { monthlyFeeYuan: -5, colour: 'red' } },
    });
    const task = await api.request<{ task: { status: string } }>('GET', `/v1/tasks/${taskId}`, {
      token,
    });

    // Assess
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details?.map((d) => d.path)).toEqual(['reason']);
    expect(badData.status).toBe(400);
    expect(badData.body.error.details?.map((d) => d.path).sort()).toEqual([
      'data.colour',
      'data.monthlyFeeYuan',
    ]);
    expect(task.body.task.status).toBe('open');
  });

  it('re-delivers a decision whose delivery failed, through the DeliverDecisions job', async () => {
    // Prepare: a decision recorded by a process that could not reach Step Functions
    const { caseId, taskId, providerId } = await claimAtNewProvider();
    process.env.TABLE_NAME = tableName;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = cloud.parts.dynamodb;
    process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9'; // nothing listens there
    process.env.AWS_MAX_ATTEMPTS = '1';
    const actions = await import('../../shared/tasks/task-actions.ts');
    const principal = { sub: `${providerId}-staff`, roles: ['provider' as const], providerId };
    const stored = await actions.visibleTask(principal, taskId);
    const offline = await actions.decideTask(principal, stored, { outcome: 'approve' });
    const stillWaiting = await executionOf(caseId);

    // Act
    const run = await api.request<{ result: { delivered: number } }>(
      'POST',
      '/dev/jobs/DeliverDecisions',
      {
        body: { graceSeconds: 0 },
      },
    );
    const review = await openTaskIn(caseId, 'district-review');

    // Assess
    expect(offline.delivered).toBe(false);
    expect(stillWaiting.status).toBe('RUNNING');
    expect(run.status).toBe(200);
    expect(run.body.result.delivered).toBeGreaterThanOrEqual(1);
    expect(review.taskId).toMatch(/^T-/);
  });

  it('cancels the tasks of a withdrawn case and stops its workflow', async () => {
    // Prepare
    const { caseId, family, taskId, staff } = await claimAtNewProvider();
    const token = await staff(1);

    // Act
    const withdrawn = await api.request<{ status: string }>(
      'POST',
      `/v1/cases/${caseId}/withdraw`,
      { token: family },
    );
    const again = await api.request<{ status: string }>('POST', `/v1/cases/${caseId}/withdraw`, {
      token: family,
    });
    const late = await api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, {
      token,
      body: { outcome: 'approve' },
    });
    const execution = await settled(caseId);
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });

    // Assess
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(again.status).toBe(200);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('TASK_CLOSED');
    expect(execution.status).toBe('ABORTED');
    expect(view.body.openTasks).toEqual([]);
    expect(view.body.timeline.at(-1)?.type).toBe('case.withdrawn');
  });

  it('lists a family’s own cases and a provider’s cases', async () => {
    // Prepare
    const { caseId, family, staff } = await claimAtNewProvider();
    const provider = await staff(1);

    // Act
    const mine = await api.request<{ items: { caseId: string }[] }>('GET', '/v1/cases?mine=true', {
      token: family,
    });
    const providers = await api.request<{ items: { caseId: string }[] }>(
      'GET',
      '/v1/cases?mine=true',
      { token: provider },
    );

    // Assess
    expect(mine.body.items.map((c) => c.caseId)).toEqual([caseId]);
    expect(providers.body.items.map((c) => c.caseId)).toEqual([caseId]);
  });
});

describe('human tasks: the request-info loop, notifications and workflow versions', () => {
  it('asks the family for information, takes its answer, and goes back to the provider', async () => {
    // Prepare
    const { caseId, family, taskId, staff } = await claimAtNewProvider();
    const provider = await staff(1);

    // Act: the provider asks for information
    const asked = await api.request('POST', `/v1/tasks/${taskId}/decision`, {
      token: provider,
      body: { outcome: 'request-info', reason: '请补充户口簿照片' },
    });
    const familyTask = await eventually(async () => {
      const inbox = await api.request<{ items: InboxItem[] }>('GET', '/v1/tasks', {
        token: family,
      });
      return inbox.body.items.find((item) => item.taskType === 'supply-info');
    });
    const detail = await api.request<{ task: { note?: string } }>(
      'GET',
      `/v1/tasks/${familyTask.taskId}`,
      {
        token: family,
      },
    );
    const answered = await api.request('POST', `/v1/tasks/${familyTask.taskId}/decision`, {
      token: family,
      body: { outcome: 'approve', data: { message: '已上传户口簿照片', documents: ['doc-1'] } },
    });
    const again = await eventually(async () => {
      const inbox = await api.request<{ items: InboxItem[] }>('GET', '/v1/tasks', {
        token: provider,
      });
      return inbox.body.items.find((item) => item.caseId === caseId && item.taskId !== taskId);
    });
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });

    // Assess
    expect(asked.status).toBe(200);
    expect(detail.body.task.note).toBe('请补充户口簿照片');
    expect(answered.status).toBe(200);
    expect(again.taskType).toBe('confirm-enrollment');
    expect(view.body.status).toBe('in-review');
    expect(view.body.currentStep).toEqual(['confirm-enrollment']);
    // The family's answer is on the audit trail, where the provider who asked reads it.
    expect(view.body.timeline.filter((e) => e.type === 'task.decided').map((e) => e.note)).toEqual([
      '请补充户口簿照片',
      '已上传户口簿照片',
    ]);
  });

  it('files a notification per new task and sends it with the SendNotifications job', async () => {
    // Prepare
    const { caseId } = await claimAtNewProvider();
    const today = new Date().toISOString().slice(0, 10);

    const readOutbox = () =>
      api.request<{
        notifications: {
          caseId: string;
          template: string;
          status: string;
          rendered: { 'zh-CN': { text: string } };
        }[];
      }>('GET', `/dev/outbox?date=${today}`);

    // Act: a run sends the 50 oldest due; other tests of the shared cloud may have filed more
    const runs: number[] = [];
    let outbox = await readOutbox();
    for (let run = 0; run < 10; run++) {
      runs.push((await api.request('POST', '/dev/jobs/SendNotifications', { body: {} })).status);
      outbox = await readOutbox();
      const mine = outbox.body.notifications.find((n) => n.caseId === caseId);
      if (mine?.status === 'sent') break;
    }

    // Assess
    expect(runs.every((status) => status === 200)).toBe(true);
    const ours = outbox.body.notifications.filter((n) => n.caseId === caseId);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ template: 'task-assigned', status: 'sent' });
    expect(ours[0]?.rendered['zh-CN'].text).toContain('确认入托');
  });

  it('starts cases on the live alias and records the version they run on', async () => {
    // Prepare
    const { caseId } = await claimAtNewProvider();

    // Act
    const execution = await executionOf(caseId);

    // Assess
    expect(execution.stateMachineAliasArn).toMatch(/:live$/);
    expect(execution.stateMachineVersionArn).toMatch(/:\d+$/);
  });
});
