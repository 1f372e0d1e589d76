import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient, type ErrorShape } from '../support/api-client.ts';
import { bornMonthsAgo, monthAgo } from '../support/ids.ts';
import { eventually, localClients, openTaskOfType } from '../support/local-aws-clients.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const stateMachineArn = cloud.stateMachines.SubsidyClaim ?? '';
const { sfn, documents } = localClients(cloud.parts);

interface CaseBody {
  caseId: string;
  status: string;
  timeline: {
    type: string;
    actor: { kind: string; sub?: string; component?: string };
    data?: Record<string, unknown>;
  }[];
}

function executionArnOf(caseId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
}

async function finished(caseId: string) {
  return eventually(async () => {
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(caseId) }),
    );
    return execution.status === 'RUNNING' ? undefined : execution;
  });
}

const openTask = (caseId: string, taskType: string) =>
  openTaskOfType(documents, tableName, caseId, taskType);

/** The case once it stops being `submitted` (the automatic checks ran). */
function checked(caseId: string, token: string) {
  return eventually(async () => {
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token });
    return view.body.status === 'submitted' ? undefined : view.body;
  });
}

async function submit(token: string, body: unknown) {
  return api.request<ErrorShape & { caseId: string }>('POST', '/v1/subsidy-claims', {
    token,
    body,
    headers: { 'idempotency-key': randomUUID() },
  });
}

describe('入托补助, end to end on the local cloud', () => {
  let family: string;
  let familySub: string;

  beforeAll(async () => {
    familySub = `family-${randomUUID()}`;
    family = await api.token({ sub: familySub, roles: ['citizen'] });
  });

  it('goes submitted → provider confirms → district approves → approved, with a payment per month', async () => {
    // Prepare
    const providerId = await registerProvider(api, { district: 'anji' });
    const child = await registerChild(api);
    const provider = await api.token({
      sub: `${providerId}-staff`,
      roles: ['provider'],
      providerId,
    });
    const caseworker = await api.token({
      sub: 'anji-cw-1',
      roles: ['caseworker'],
      district: 'anji',
    });
    const finance = await api.token({ sub: 'anji-fin', roles: ['finance'], district: 'anji' });
    const form = eligibleClaim(child, providerId);

    // Act
    const submitted = await submit(family, form);
    const { caseId } = submitted.body;
    const confirm = await openTask(caseId, 'confirm-enrollment');
    const confirmed = await api.request('POST', `/v1/tasks/${confirm.taskId}/decision`, {
      token: provider,
      // The child attended only the first of the two months claimed.
      body: { outcome: 'approve', data: { monthlyFeeYuan: 1500, months: [form.months[0]] } },
    });
    const review = await openTask(caseId, 'district-review');
    const approved = await api.request('POST', `/v1/tasks/${review.taskId}/decision`, {
      token: caseworker,
      body: { outcome: 'approve', reason: '材料齐全，符合条件' },
    });
    const execution = await finished(caseId);
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });
    const payments = await api.request<{
      items: { caseId: string; month: string; status: string }[];
    }>('GET', `/v1/payments?month=${form.months[0]}&district=anji`, { token: finance });
    const secondMonth = await api.request<{ items: { caseId: string }[] }>(
      'GET',
      `/v1/payments?month=${form.months[1]}&district=anji`,
      { token: finance },
    );
    const claimAgain = await submit(
      family,
      eligibleClaim(child, providerId, [form.months[1] ?? '']),
    );
    // Bytes, not text(): a fetch decoder would swallow the byte-order mark Excel needs.
    const csv = await fetch(
      `${cloud.url}/v1/payments?month=${form.months[0]}&district=anji&format=csv`,
      {
        headers: { authorization: `Bearer ${finance}` },
      },
    );
    const csvBytes = Buffer.from(await csv.arrayBuffer());
    const batch = { month: form.months[0], district: 'anji' };
    const disbursed = await api.request<{ alreadyDisbursed: boolean; count: number }>(
      'POST',
      '/v1/payments/disburse',
      { token: finance, body: batch },
    );
    const again = await api.request<{ alreadyDisbursed: boolean; count: number }>(
      'POST',
      '/v1/payments/disburse',
      { token: finance, body: batch },
    );
    const afterwards = await api.request<{ items: { caseId: string; status: string }[] }>(
      'GET',
      `/v1/payments?month=${form.months[0]}&district=anji`,
      { token: finance },
    );

    // Assess
    expect(submitted.status).toBe(202);
    expect(confirm.role).toBe('provider');
    expect(confirmed.status).toBe(200);
    expect(review.role).toBe('caseworker');
    expect(approved.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('approved');
    expect(view.body.timeline.map((e) => e.type)).toEqual([
      'case.submitted',
      'checks.passed',
      'task.created',
      'task.decided',
      'task.created',
      'task.decided',
      'case.approved',
    ]);
    expect(view.body.timeline[3]?.actor).toMatchObject({
      kind: 'person',
      sub: `${providerId}-staff`,
    });
    expect(view.body.timeline[5]?.actor).toMatchObject({ kind: 'person', sub: 'anji-cw-1' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvBytes.subarray(3).toString('utf8')).toContain('案件编号');
    expect(csvBytes.toString('utf8')).toContain(caseId);
    expect(secondMonth.body.items.filter((p) => p.caseId === caseId)).toEqual([]);
    expect(claimAgain.status).toBe(202);
    expect(disbursed.status).toBe(200);
    expect(disbursed.body).toMatchObject({ alreadyDisbursed: false });
    expect(disbursed.body.count).toBeGreaterThanOrEqual(1);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyDisbursed: true, count: disbursed.body.count });
    expect(afterwards.body.items.find((p) => p.caseId === caseId)?.status).toBe('disbursed');
    expect(payments.body.items.filter((p) => p.caseId === caseId)).toEqual([
      expect.objectContaining({ month: form.months[0], status: 'pending-disbursement' }),
    ]);
  });

  it.each([
    ['a child of 3 or more', { birthDate: bornMonthsAgo(40) }, {}, 422, 'CHILD_TOO_OLD'],
    [
      'a child whose 户籍 is not in Huzhou',
      { hukouDistrict: 'other' },
      {},
      'rejected',
      'NOT_HUZHOU_HUKOU',
    ],
    ['an unregistered provider', {}, { unregistered: true }, 'rejected', 'PROVIDER_NOT_REGISTERED'],
    [
      'a provider that is not inclusive',
      {},
      { inclusive: false },
      'rejected',
      'PROVIDER_NOT_INCLUSIVE',
    ],
    ['a month in the future', {}, { months: [monthAgo(-1)] }, 422, 'MONTH_IN_FUTURE'],
  ] as const)(
    'refuses or rejects %s, never reaching a person',
    async (_, childOptions, claim, expected, code) => {
      // Prepare
      const child = await registerChild(api, childOptions);
      const providerId =
        'unregistered' in claim
          ? 'P-NOBODY-0000'
          : await registerProvider(api, 'inclusive' in claim ? { inclusive: claim.inclusive } : {});
      const form = eligibleClaim(
        child,
        providerId,
        'months' in claim ? [...claim.months] : undefined,
      );

      // Act
      const submitted = await submit(family, form);

      // Assess
      if (expected === 422) {
        expect(submitted.status).toBe(422);
        expect(submitted.body.error.code).toBe('CLAIM_NOT_ELIGIBLE');
        expect(submitted.body.error.details?.map((d) => (d as { code?: string }).code)).toContain(
          code,
        );
        return;
      }
      const view = await checked(submitted.body.caseId, family);
      const failed = view.timeline.find((e) => e.type === 'checks.failed');
      const execution = await finished(submitted.body.caseId);
      expect(view.status).toBe('rejected');
      const reasons = (failed?.data?.reasons ?? []) as { code: string }[];
      expect(reasons.map((r) => r.code)).toContain(code);
      expect(view.timeline.some((e) => e.type === 'task.created')).toBe(false);
      expect(execution.status).toBe('SUCCEEDED');
    },
  );

  it('refuses an invalid 身份证 check digit at the door', async () => {
    // Prepare
    const child = await registerChild(api);
    const wrong = `${child.idNumber.slice(0, 17)}${child.idNumber.endsWith('0') ? '1' : '0'}`;

    // Act
    const submitted = await submit(
      family,
      eligibleClaim({ ...child, idNumber: wrong }, 'P-WX-0001'),
    );

    // Assess
    expect(submitted.status).toBe(400);
    expect(submitted.body.error.details?.map((d) => d.path)).toEqual(['child.idNumber']);
  });

  it('creates one case for 10 concurrent submissions of the same child-month', async () => {
    // Prepare
    const providerId = await registerProvider(api);
    const child = await registerChild(api);
    const form = eligibleClaim(child, providerId);

    // Act
    const responses = await Promise.all(Array.from({ length: 10 }, () => submit(family, form)));

    // Assess
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(1);
    for (const refused of responses.filter((r) => r.status !== 202)) {
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('DUPLICATE_CLAIM');
    }
  });

  it('lets the district ask the family for information, takes the amendment, then approves', async () => {
    // Prepare
    const providerId = await registerProvider(api);
    const child = await registerChild(api);
    const provider = await api.token({
      sub: `${providerId}-staff`,
      roles: ['provider'],
      providerId,
    });
    const caseworker = await api.token({
      sub: 'wx-cw-1',
      roles: ['caseworker'],
      district: 'wuxing',
    });
    const { caseId } = (await submit(family, eligibleClaim(child, providerId))).body;
    const confirm = await openTask(caseId, 'confirm-enrollment');
    await api.request('POST', `/v1/tasks/${confirm.taskId}/decision`, {
      token: provider,
      body: { outcome: 'approve' },
    });
    const review = await openTask(caseId, 'district-review');

    // Act
    await api.request('POST', `/v1/tasks/${review.taskId}/decision`, {
      token: caseworker,
      body: { outcome: 'request-info', reason: '请上传入托缴费凭证' },
    });
    const ask = await openTask(caseId, 'supply-info');
    const waiting = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });
    await api.request('POST', `/v1/tasks/${ask.taskId}/decision`, {
      token: family,
      body: { outcome: 'approve', data: { message: '已上传缴费凭证', documents: ['receipt-1'] } },
    });
    const secondReview = await openTask(caseId, 'district-review');
    await api.request('POST', `/v1/tasks/${secondReview.taskId}/decision`, {
      token: caseworker,
      body: { outcome: 'approve' },
    });
    const execution = await finished(caseId);
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });

    // Assess
    expect(waiting.body.status).toBe('info-requested');
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('approved');
  });

  it('expires a claim nobody answers, closing its task and freeing its months', async () => {
    // Prepare
    const providerId = await registerProvider(api);
    const child = await registerChild(api);
    const form = eligibleClaim(child, providerId);
    const { caseId } = (await submit(family, form)).body;
    const task = await openTask(caseId, 'confirm-enrollment');

    // Act: 181 days later, the 180-day backstop of the provider's waiting step has passed (late,
    // the task is escalated to the supervisors; only an abandoned case ends this way). This fires
    // every due deadline of the shared local cloud; integration files run one at a time, so none
    // of another test's executions is waiting meanwhile.
    const fired = await api.request<{ fired: number }>('POST', '/dev/stepfunctions/fire-timeouts', {
      body: { days: 181 },
    });
    const execution = await finished(caseId);
    const view = await api.request<CaseBody & { openTasks: unknown[] }>(
      'GET',
      `/v1/cases/${caseId}`,
      {
        token: family,
      },
    );
    const resubmitted = await submit(family, form);

    // Assess
    expect(task.role).toBe('provider');
    expect(fired.body.fired).toBeGreaterThanOrEqual(1);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('expired');
    expect(view.body.openTasks).toEqual([]);
    expect(resubmitted.status).toBe(202);
  });

  it('pauses at a human step, resumes on SendTaskSuccess, and records the history', async () => {
    // Prepare
    const providerId = await registerProvider(api);
    const child = await registerChild(api);
    const { caseId } = (await submit(family, eligibleClaim(child, providerId))).body;
    const task = await openTask(caseId, 'confirm-enrollment');
    const paused = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(caseId) }),
    );

    // Act
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: task.taskToken,
        output: JSON.stringify({
          outcome: 'reject',
          reason: '未在本园入托',
          decidedBy: 'x',
          taskId: task.taskId,
        }),
      }),
    );
    const execution = await finished(caseId);
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executionArnOf(caseId) }),
    );
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: family });

    // Assess
    expect(paused.status).toBe('RUNNING');
    expect(JSON.parse(paused.input ?? '{}')).toEqual({ caseId });
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('rejected');
    const types = (history.events ?? []).map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');
    expect(types).toContain('TaskSucceeded');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('routes SendTaskFailure Rejected to rejection, and fails on an uncaught error', async () => {
    // Prepare
    const providerId = await registerProvider(api);
    const [first, second] = await Promise.all([registerChild(api), registerChild(api)]);
    const rejectedCase = (await submit(family, eligibleClaim(first, providerId))).body.caseId;
    const failedCase = (await submit(family, eligibleClaim(second, providerId))).body.caseId;
    const [rejectTask, failTask] = await Promise.all([
      openTask(rejectedCase, 'confirm-enrollment'),
      openTask(failedCase, 'confirm-enrollment'),
    ]);

    // Act
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: rejectTask.taskToken,
        error: 'Rejected',
        cause: '未入托',
      }),
    );
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: failTask.taskToken, error: 'ProviderSystemDown' }),
    );
    const [rejected, failed] = await Promise.all([finished(rejectedCase), finished(failedCase)]);
    const view = await api.request<CaseBody>('GET', `/v1/cases/${rejectedCase}`, { token: family });
    // Settled here, so its refusal is not an unhandled rejection while other awaits run.
    const again = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: failTask.taskToken, output: '{}' }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    // Assess
    expect(rejected.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('rejected');
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('ProviderSystemDown');
    expect(again).toBeInstanceOf(TaskTimedOut);
  });
});
