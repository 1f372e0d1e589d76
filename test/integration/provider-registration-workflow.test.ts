import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient, type ErrorShape } from '../support/api-client.ts';
import { monthAgo } from '../support/ids.ts';
import { eventually, localClients, openTaskOfType } from '../support/local-aws-clients.ts';
import { readyFiling, withUploadedDocuments } from '../support/registration-fixtures.ts';
import { compliantDocuments } from '../support/registration-form.ts';
import { eligibleClaim, registerChild } from '../support/registry-fixtures.ts';

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const stateMachineArn = cloud.stateMachines.ProviderRegistration ?? '';
const subsidyMachineArn = cloud.stateMachines.SubsidyClaim ?? '';
const { sfn, documents } = localClients(cloud.parts);

interface CaseBody {
  caseId: string;
  status: string;
  timeline: { type: string; note?: string; data?: Record<string, unknown> }[];
}

interface TaskBody {
  taskId: string;
  taskType: string;
  status: string;
  note?: string;
  scheduledFor?: string;
}

interface PublicProvider {
  providerId: string;
  name: string;
  district: string;
  inclusive: boolean;
  status: string;
  capacity: number;
  capacityByClass: Record<string, number>;
  monthlyFeeYuan?: number;
  registeredFrom: string;
}

const executionArnOf = (machineArn: string, caseId: string) =>
  `${machineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

async function finished(caseId: string, machineArn = stateMachineArn) {
  return eventually(async () => {
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(machineArn, caseId) }),
    );
    return execution.status === 'RUNNING' ? undefined : execution;
  });
}

const openTask = (caseId: string, taskType: string) =>
  openTaskOfType(documents, tableName, caseId, taskType);

/** Staff of every department a filing in `district` meets, and the city. */
async function staffOf(district: string) {
  const [health, fire, market, cityLead] = await Promise.all([
    api.token({ sub: `${district}-health-1`, roles: ['caseworker'], district }),
    api.token({ sub: `${district}-fire-1`, roles: ['fire'], district }),
    api.token({ sub: `${district}-market-1`, roles: ['market'], district }),
    api.token({ sub: 'city-supervisor-1', roles: ['supervisor'], district: 'city' }),
  ]);
  return { health, fire, market, cityLead };
}

async function providerAccount() {
  const providerId = `P-R${randomUUID().slice(0, 8).toUpperCase()}`;
  const sub = `${providerId}-admin`;
  const token = await api.token({ sub, roles: ['provider'], providerId });
  return { providerId, sub, token };
}

async function file(token: string, body: unknown) {
  return api.request<ErrorShape & { caseId: string; providerId: string; status: string }>(
    'POST',
    '/v1/provider-registrations',
    { token, body, headers: { 'idempotency-key': randomUUID() } },
  );
}

const decide = (token: string, taskId: string, body: unknown) =>
  api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, { token, body });

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function caseView(caseId: string, token: string) {
  return (await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token })).body;
}

/** Approves the three department reviews, the inspection and the city's confirmation. */
async function approveEverything(caseId: string, staff: Awaited<ReturnType<typeof staffOf>>) {
  const reviews = await Promise.all([
    openTask(caseId, 'health-review'),
    openTask(caseId, 'fire-review'),
    openTask(caseId, 'market-review'),
  ]);
  const tokens = [staff.health, staff.fire, staff.market];
  const decisions = await Promise.all(
    reviews.map((task, index) =>
      decide(tokens[index] ?? '', task.taskId, {
        outcome: 'approve',
        data: { findings: ['材料齐全'] },
      }),
    ),
  );
  const inspection = await openTask(caseId, 'on-site-inspection');
  const claimed = await api.request<TaskBody>('POST', `/v1/tasks/${inspection.taskId}/claim`, {
    token: staff.health,
    body: { scheduledFor: today() },
  });
  const inspected = await decide(staff.health, inspection.taskId, {
    outcome: 'approve',
    data: {
      inspectedOn: today(),
      findings: [
        { item: '室内活动面积', passed: true },
        { item: '消防通道', passed: true, note: '畅通' },
      ],
    },
  });
  const confirmation = await openTask(caseId, 'city-confirmation');
  const confirmed = await decide(staff.cityLead, confirmation.taskId, {
    outcome: 'approve',
    reason: '同意备案',
  });
  return { reviews, decisions, claimed, inspected, confirmed };
}

describe('托育机构备案, end to end on the local cloud', () => {
  let wuxing: Awaited<ReturnType<typeof staffOf>>;

  beforeAll(async () => {
    wuxing = await staffOf('wuxing');
  });

  it('registers a compliant filing after three parallel reviews, an inspection and the city; the provider is then in the public registry', async () => {
    // Prepare
    const provider = await providerAccount();
    const form = await readyFiling(api, provider.token, {
      classes: [
        { type: 'infant', count: 1, placesPerClass: 10 },
        { type: 'toddler', count: 2, placesPerClass: 15 },
        { type: 'preschool', count: 1, placesPerClass: 20 },
      ],
      monthlyFeeYuan: 2600,
    });

    // Act
    const filed = await file(provider.token, form);
    const { caseId } = filed.body;
    const steps = await approveEverything(caseId, wuxing);
    const execution = await finished(caseId);
    const view = await caseView(caseId, provider.token);
    const listed = await api.request<{ items: PublicProvider[] }>(
      'GET',
      '/v1/providers?district=wuxing&inclusive=true&limit=100',
    );
    const profile = await api.request<PublicProvider & Record<string, unknown>>(
      'GET',
      `/v1/providers/${provider.providerId}`,
    );
    const history = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: executionArnOf(stateMachineArn, caseId),
        maxResults: 1000,
      }),
    );

    // Assess
    expect(filed.status).toBe(202);
    expect(filed.body).toEqual({ caseId, providerId: provider.providerId, status: 'submitted' });
    expect(steps.decisions.map((decision) => decision.status)).toEqual([200, 200, 200]);
    expect(steps.claimed.status).toBe(200);
    expect(steps.claimed.body.scheduledFor).toBe(today());
    expect(steps.inspected.status).toBe(200);
    expect(steps.confirmed.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.status).toBe('approved');
    const types = view.timeline.map((event) => event.type);
    expect(types).toContain('checks.passed');
    expect(types).toContain('registration.receipt-issued');
    expect(types.indexOf('registration.receipt-issued')).toBeLessThan(
      types.indexOf('task.created'),
    );
    expect(types.at(-1)).toBe('case.approved');
    // The three reviews were open side by side, in a real Parallel state.
    const eventTypes = (history.events ?? []).map((event) => event.type);
    expect(eventTypes).toContain('ParallelStateEntered');
    expect(eventTypes).toContain('ParallelStateSucceeded');
    const entry = listed.body.items.find((item) => item.providerId === provider.providerId);
    expect(entry).toMatchObject({
      name: form.organisation.name,
      district: 'wuxing',
      inclusive: true,
      status: 'registered',
      capacity: 60,
      capacityByClass: { infant: 10, toddler: 30, preschool: 20, mixed: 0 },
      monthlyFeeYuan: 2600,
      registeredFrom: today(),
    });
    expect(profile.status).toBe(200);
    // Never staff personal data in the public registry.
    const publicText = JSON.stringify(profile.body);
    for (const member of form.staff) {
      expect(publicText).not.toContain(member.idNumber);
      expect(publicText).not.toContain(member.name);
    }
    expect(publicText).not.toContain(form.organisation.legalRepresentative.idNumber);
  });

  it('tells the provider every finding in one task — an oversized class and a missing fire document — and continues once amended', async () => {
    // Prepare
    const provider = await providerAccount();
    const withoutFire = compliantDocuments(true).filter(
      (document) => document.kind !== 'fire-safety',
    );
    const form = await readyFiling(api, provider.token, {
      classes: [{ type: 'infant', count: 1, placesPerClass: 12 }],
      documents: withoutFire,
    });
    const fireDocument = await withUploadedDocuments(api, provider.token, {
      ...form,
      documents: [{ kind: 'fire-safety', ref: 'to-upload' }],
    });

    // Act
    const filed = await file(provider.token, form);
    const { caseId } = filed.body;
    const amend = await openTask(caseId, 'amend-registration');
    const waiting = await caseView(caseId, provider.token);
    const otherProvider = await providerAccount();
    const foreignClaim = await api.request<ErrorShape>('POST', `/v1/tasks/${amend.taskId}/claim`, {
      token: otherProvider.token,
    });
    const amended = await decide(provider.token, amend.taskId, {
      outcome: 'approve',
      data: {
        message: '已调整班级规模并补充消防材料',
        changes: {
          classes: [{ type: 'infant', count: 2, placesPerClass: 6 }],
          // Staff carry ID numbers: they must stay in the table, out of the workflow's history.
          staff: form.staff,
          documents: [...form.documents, ...fireDocument.documents],
        },
      },
    });
    const reviews = await Promise.all([
      openTask(caseId, 'health-review'),
      openTask(caseId, 'fire-review'),
      openTask(caseId, 'market-review'),
    ]);
    const after = await caseView(caseId, provider.token);
    const history = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: executionArnOf(stateMachineArn, caseId),
        maxResults: 1000,
      }),
    );

    // Assess
    expect(filed.status).toBe(202);
    const historyText = JSON.stringify(history.events);
    for (const member of form.staff) expect(historyText).not.toContain(member.idNumber);
    expect(amend.role).toBe('provider');
    expect(amend.note).toContain('10');
    expect(amend.note).toContain('消防');
    const failed = waiting.timeline.find((event) => event.type === 'checks.failed');
    const codes = ((failed?.data?.findings ?? []) as { code: string }[]).map(
      (finding) => finding.code,
    );
    expect(codes).toEqual(['CLASS_TOO_LARGE', 'MISSING_DOCUMENT']);
    expect(waiting.status).toBe('info-requested');
    expect([403, 404]).toContain(foreignClaim.status);
    expect(amended.status).toBe(200);
    expect(reviews).toHaveLength(3);
    const types = after.timeline.map((event) => event.type);
    expect(types).toContain('case.amended');
    expect(types.filter((type) => type === 'checks.passed')).toHaveLength(1);
    expect(types).toContain('registration.receipt-issued');
    expect(after.status).toBe('in-review');
  });

  it('ends the filing rejected when fire rejects, cancelling the other open reviews', async () => {
    // Prepare
    const provider = await providerAccount();
    const form = await readyFiling(api, provider.token);
    const filed = await file(provider.token, form);
    const { caseId } = filed.body;
    const health = await openTask(caseId, 'health-review');
    const fire = await openTask(caseId, 'fire-review');
    const market = await openTask(caseId, 'market-review');
    await api.request('POST', `/v1/tasks/${health.taskId}/claim`, { token: wuxing.health });

    // Act
    const rejected = await decide(wuxing.fire, fire.taskId, {
      outcome: 'reject',
      reason: '疏散通道宽度不足，不符合消防要求',
    });
    const execution = await finished(caseId);
    const view = await caseView(caseId, provider.token);
    const healthAfter = await api.request<{ task: TaskBody }>('GET', `/v1/tasks/${health.taskId}`, {
      token: wuxing.health,
    });
    const marketAfter = await api.request<{ task: TaskBody }>('GET', `/v1/tasks/${market.taskId}`, {
      token: wuxing.market,
    });
    const lateApproval = await decide(wuxing.market, market.taskId, { outcome: 'approve' });
    // A rejected first filing gives its 统一社会信用代码 back: another account may use it.
    const otherAccount = await providerAccount();
    const refiled = await file(otherAccount.token, form);

    // Assess
    expect(rejected.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.status).toBe('rejected');
    const outcome = view.timeline.at(-1);
    expect(outcome?.type).toBe('case.rejected');
    expect(outcome?.note).toBe('疏散通道宽度不足，不符合消防要求');
    expect(healthAfter.body.task.status).toBe('cancelled');
    expect(marketAfter.body.task.status).toBe('cancelled');
    expect(lateApproval.status).toBe(409);
    expect(refiled.status).toBe(202);
  });

  it('sends a department question to the provider and back to the same department', async () => {
    // Prepare
    const provider = await providerAccount();
    const filed = await file(provider.token, await readyFiling(api, provider.token));
    const { caseId } = filed.body;
    const market = await openTask(caseId, 'market-review');

    // Act
    const asked = await decide(wuxing.market, market.taskId, {
      outcome: 'request-info',
      reason: '请补充法定代表人身份证明',
    });
    const question = await openTask(caseId, 'supply-info');
    const waiting = await caseView(caseId, provider.token);
    const answered = await decide(provider.token, question.taskId, {
      outcome: 'approve',
      data: { message: '已上传法定代表人身份证明' },
    });
    const marketAgain = await openTask(caseId, 'market-review');
    const back = await caseView(caseId, provider.token);

    // Assess
    expect(asked.status).toBe(200);
    expect(question.role).toBe('provider');
    expect(question.note).toBe('请补充法定代表人身份证明');
    expect(waiting.status).toBe('info-requested');
    expect(answered.status).toBe(200);
    expect(marketAgain.taskId).not.toBe(market.taskId);
    expect(marketAgain.role).toBe('market');
    expect(back.status).toBe('in-review');
  });

  it('lets the newly registered inclusive provider receive subsidy claims, and refuses them once a supervisor suspends it', async () => {
    // Prepare
    const provider = await providerAccount();
    const filed = await file(provider.token, await readyFiling(api, provider.token));
    await approveEverything(filed.body.caseId, wuxing);
    await finished(filed.body.caseId);
    const family = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });
    const supervisor = await api.token({
      sub: 'wuxing-supervisor',
      roles: ['supervisor'],
      district: 'wuxing',
    });
    const claimFor = async () => {
      const child = await registerChild(api);
      const response = await api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
        token: family,
        // Registered today: this month is the first it may be paid for.
        body: eligibleClaim(child, provider.providerId, [monthAgo(0)]),
        headers: { 'idempotency-key': randomUUID() },
      });
      return response.body.caseId;
    };

    // Act
    const accepted = await claimFor();
    const confirm = await openTask(accepted, 'confirm-enrollment');
    const suspended = await api.request<PublicProvider>(
      'POST',
      `/v1/providers/${provider.providerId}/status`,
      { token: supervisor, body: { status: 'suspended', reason: '消防检查不合格，责令整改' } },
    );
    const refused = await claimFor();
    const refusedExecution = await finished(refused, subsidyMachineArn);
    const refusedView = await caseView(refused, family);
    const listed = await api.request<{ items: PublicProvider[] }>(
      'GET',
      '/v1/providers?district=wuxing&limit=100',
    );

    // Assess
    expect(confirm.role).toBe('provider');
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect(refusedExecution.status).toBe('SUCCEEDED');
    expect(refusedView.status).toBe('rejected');
    const failed = refusedView.timeline.find((event) => event.type === 'checks.failed');
    const reasons = ((failed?.data?.reasons ?? []) as { code: string }[]).map(
      (reason) => reason.code,
    );
    expect(reasons).toEqual(['PROVIDER_SUSPENDED']);
    expect(listed.body.items.map((item) => item.providerId)).not.toContain(provider.providerId);
  });

  it('runs a change of places through only the health review and the inspection, then updates the registry', async () => {
    // Prepare
    const provider = await providerAccount();
    const filed = await file(provider.token, await readyFiling(api, provider.token));
    await approveEverything(filed.body.caseId, wuxing);
    await finished(filed.body.caseId);

    // Act
    const change = await api.request<{ caseId: string; status: string }>(
      'POST',
      `/v1/provider-registrations/${provider.providerId}/changes`,
      {
        token: provider.token,
        body: {
          classes: [{ type: 'toddler', count: 2, placesPerClass: 15 }],
          staff: (await import('../support/registration-form.ts')).compliantStaff([
            { type: 'toddler', count: 2, placesPerClass: 15 },
          ]),
        },
        headers: { 'idempotency-key': randomUUID() },
      },
    );
    const caseId = change.body.caseId;
    const health = await openTask(caseId, 'health-review');
    await decide(wuxing.health, health.taskId, { outcome: 'approve' });
    const inspection = await openTask(caseId, 'on-site-inspection');
    await api.request('POST', `/v1/tasks/${inspection.taskId}/claim`, {
      token: wuxing.health,
      body: { scheduledFor: today() },
    });
    await decide(wuxing.health, inspection.taskId, {
      outcome: 'approve',
      data: { inspectedOn: today(), findings: [{ item: '托小班活动室', passed: true }] },
    });
    const confirmation = await openTask(caseId, 'city-confirmation');
    await decide(wuxing.cityLead, confirmation.taskId, { outcome: 'approve' });
    await finished(caseId);
    const tasks = await api.request<{ items: { taskType: string }[] }>(
      'GET',
      `/v1/cases/${caseId}`,
      { token: provider.token },
    );
    const profile = await api.request<PublicProvider>(
      'GET',
      `/v1/providers/${provider.providerId}`,
    );
    const view = await caseView(caseId, provider.token);

    // Assess
    expect(change.status).toBe(202);
    expect(tasks.status).toBe(200);
    const created = view.timeline
      .filter((event) => event.type === 'task.created')
      .map((event) => event.data?.taskType);
    expect(created).toEqual(['health-review', 'on-site-inspection', 'city-confirmation']);
    expect(view.status).toBe('approved');
    expect(profile.body.capacity).toBe(30);
    expect(profile.body.capacityByClass).toMatchObject({ infant: 0, toddler: 30, preschool: 0 });
  });

  it('refuses a second filing while one is in progress, and an inspection claimed without a date', async () => {
    // Prepare
    const provider = await providerAccount();
    const form = await readyFiling(api, provider.token);
    const filed = await file(provider.token, form);
    await Promise.all(
      ['health-review', 'fire-review', 'market-review'].map(async (type) => {
        const task = await openTask(filed.body.caseId, type);
        const token =
          type === 'health-review'
            ? wuxing.health
            : type === 'fire-review'
              ? wuxing.fire
              : wuxing.market;
        await decide(token, task.taskId, { outcome: 'approve' });
      }),
    );
    const inspection = await openTask(filed.body.caseId, 'on-site-inspection');

    const accountless = await api.token({ sub: `someone-${randomUUID()}`, roles: ['provider'] });

    // Act
    const second = await file(provider.token, form);
    const withoutProvider = await file(accountless, form);
    const undated = await api.request<ErrorShape>('POST', `/v1/tasks/${inspection.taskId}/claim`, {
      token: wuxing.health,
    });
    const past = await api.request<ErrorShape>('POST', `/v1/tasks/${inspection.taskId}/claim`, {
      token: wuxing.health,
      body: { scheduledFor: '2020-01-01' },
    });

    // Assess
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('REGISTRATION_IN_PROGRESS');
    expect(withoutProvider.status).toBe(403);
    expect(withoutProvider.body.error.code).toBe('PROVIDER_ACCOUNT_REQUIRED');
    expect(undated.status).toBe(400);
    expect(undated.body.error.details?.[0]?.path).toBe('scheduledFor');
    expect(past.status).toBe(400);
  });

  it('lets the provider withdraw its filing: reviews cancelled, execution stopped, free to file again', async () => {
    // Prepare
    const provider = await providerAccount();
    const form = await readyFiling(api, provider.token);
    const filed = await file(provider.token, form);
    const fire = await openTask(filed.body.caseId, 'fire-review');

    // Act
    const withdrawn = await api.request<{ status: string }>(
      'POST',
      `/v1/cases/${filed.body.caseId}/withdraw`,
      { token: provider.token },
    );
    const execution = await finished(filed.body.caseId);
    const fireAfter = await api.request<{ task: TaskBody }>('GET', `/v1/tasks/${fire.taskId}`, {
      token: wuxing.fire,
    });
    const refiled = await file(provider.token, form);

    // Assess
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(execution.status).toBe('ABORTED');
    expect(fireAfter.body.task.status).toBe('cancelled');
    expect(refiled.status).toBe(202);
  });

  it('expires a filing whose findings were not answered within 15 working days', async () => {
    // Prepare
    const provider = await providerAccount();
    const form = await readyFiling(api, provider.token, {
      premises: { indoorAreaM2: 300, outdoorAreaM2: 100, leaseYears: 1 },
    });
    const filed = await file(provider.token, form);
    const amend = await openTask(filed.body.caseId, 'amend-registration');

    // Act
    const fired = await api.request('POST', '/dev/stepfunctions/fire-timeouts', {
      body: { days: 23 },
    });
    const execution = await finished(filed.body.caseId);
    const view = await caseView(filed.body.caseId, provider.token);
    const task = await api.request<{ task: TaskBody }>('GET', `/v1/tasks/${amend.taskId}`, {
      token: provider.token,
    });

    // Assess
    expect(fired.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.status).toBe('expired');
    expect(task.body.task.status).toBe('expired');
  });
});
