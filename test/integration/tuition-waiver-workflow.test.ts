import { randomInt, randomUUID } from 'node:crypto';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient, type ErrorShape } from '../support/api-client.ts';
import { bornMonthsAgo, idNumberFor, monthAgo } from '../support/ids.ts';
import { eventually, localClients, openTaskOfType } from '../support/local-aws-clients.ts';
import { registerChild, registerProvider } from '../support/registry-fixtures.ts';

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const stateMachineArn = cloud.stateMachines.TuitionWaiver ?? '';
const { sfn, documents } = localClients(cloud.parts);

interface CaseBody {
  caseId: string;
  status: string;
  timeline: { type: string; note?: string; data?: Record<string, unknown> }[];
}

interface WaiverItem {
  caseId: string;
  month: string;
  childName: string;
  category: string;
  percent: number;
  tuitionYuan: number;
  waivedYuan: number;
  remainderYuan: number;
  status: string;
}

const executionArnOf = (caseId: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

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

const decide = (token: string, taskId: string, body: unknown) =>
  api.request<ErrorShape>('POST', `/v1/tasks/${taskId}/decision`, { token, body });

/** YYYY-MM-DD of the last day of `monthsAhead` months from now (negative: ago), Huzhou time. */
function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

/** A guardian known to civil affairs with `category`, valid until `validUntil`. */
async function registerGuardian(options: { category?: string; validUntil?: string } = {}) {
  const idNumber = idNumberFor(`1990${String(randomInt(1, 13)).padStart(2, '0')}15`);
  const response = await api.request('POST', '/dev/registry/residents', {
    body: {
      idNumber,
      name: '沈秀英',
      hukouDistrict: 'wuxing',
      ...(options.category
        ? {
            hardship: {
              category: options.category,
              validUntil: options.validUntil ?? lastDayOf(monthAgo(-24)),
            },
          }
        : {}),
    },
  });
  if (response.status !== 201) throw new Error(`guardian not registered: ${response.status}`);
  return { idNumber, name: '沈秀英', phone: '13857200001' };
}

interface Family {
  token: string;
  child: { idNumber: string; name: string };
  guardian: { idNumber: string; name: string; phone: string };
}

async function family(category?: string, validUntil?: string): Promise<Family> {
  const token = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });
  const child = await registerChild(api, { birthDate: bornMonthsAgo(14) });
  const guardian = await registerGuardian({
    ...(category ? { category } : {}),
    ...(validUntil ? { validUntil } : {}),
  });
  return { token, child, guardian };
}

function application(
  who: Family,
  providerId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    child: who.child,
    guardian: who.guardian,
    providerId,
    hardship: { category: 'dibao', certificateNo: 'HZ-DB-2026-0012' },
    term: { from: monthAgo(0), to: monthAgo(-2) },
    monthlyTuitionYuan: 1600,
    milkSubsidy: true,
    ...overrides,
  };
}

async function apply(who: Family, body: unknown) {
  return api.request<ErrorShape & { caseId: string; status: string }>(
    'POST',
    '/v1/tuition-waivers',
    { token: who.token, body, headers: { 'idempotency-key': randomUUID() } },
  );
}

async function caseView(caseId: string, token: string) {
  return (await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token })).body;
}

describe('困难家庭学费减免 and 爱心牛奶, end to end on the local cloud', () => {
  let providerId: string;
  let providerToken: string;
  let caseworker: string;
  let civilAffairs: string;
  let finance: string;

  beforeAll(async () => {
    providerId = await registerProvider(api, { district: 'wuxing', inclusive: false });
    providerToken = await api.token({
      sub: `${providerId}-staff`,
      roles: ['provider'],
      providerId,
    });
    caseworker = await api.token({ sub: 'wx-cw-w', roles: ['caseworker'], district: 'wuxing' });
    civilAffairs = await api.token({
      sub: 'wx-ca-1',
      roles: ['civil-affairs'],
      district: 'wuxing',
    });
    finance = await api.token({ sub: 'wx-fin-w', roles: ['finance'], district: 'wuxing' });
  });

  /** The provider confirms the tuition; the district approves. */
  async function confirmAndApprove(caseId: string, tuitionYuan: number) {
    const confirm = await openTask(caseId, 'confirm-tuition');
    const confirmed = await decide(providerToken, confirm.taskId, {
      outcome: 'approve',
      data: { monthlyTuitionYuan: tuitionYuan },
    });
    const review = await openTask(caseId, 'district-review');
    const approved = await decide(caseworker, review.taskId, {
      outcome: 'approve',
      reason: '符合减免条件',
    });
    return { confirmed, approved };
  }

  const waiversOf = async (caseId: string, month: string, token = providerToken) => {
    const response = await api.request<{ items: WaiverItem[] }>(
      'GET',
      `/v1/waivers?providerId=${providerId}&month=${month}&limit=100`,
      { token },
    );
    return response.body.items.filter((item) => item.caseId === caseId);
  };

  it('approves a 低保 family at 100 % of the provider-confirmed tuition, with milk subsidy payments', async () => {
    // Prepare
    const who = await family('dibao');

    // Act
    const filed = await apply(who, application(who, providerId));
    const steps = await confirmAndApprove(filed.body.caseId, 1500);
    const execution = await finished(filed.body.caseId);
    const view = await caseView(filed.body.caseId, who.token);
    const waivers = await waiversOf(filed.body.caseId, monthAgo(0));
    const later = await waiversOf(filed.body.caseId, monthAgo(-2));
    const payments = await api.request<{
      items: { caseId: string; benefit: string; amountYuan: number }[];
    }>('GET', `/v1/payments?month=${monthAgo(0)}&district=wuxing&limit=100`, { token: finance });

    // Assess
    expect(filed.status).toBe(202);
    expect(steps.confirmed.status).toBe(200);
    expect(steps.approved.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.status).toBe('approved');
    expect(waivers).toEqual([
      expect.objectContaining({
        month: monthAgo(0),
        category: 'dibao',
        percent: 100,
        tuitionYuan: 1500,
        waivedYuan: 1500,
        remainderYuan: 0,
        status: 'active',
      }),
    ]);
    expect(later).toHaveLength(1);
    expect(JSON.stringify(waivers)).not.toContain(who.child.idNumber);
    const milk = payments.body.items.filter((item) => item.caseId === filed.body.caseId);
    expect(milk.map((item) => item.benefit)).toEqual(['milk-subsidy']);
  });

  it('waives half for a 低边 family', async () => {
    // Prepare
    const who = await family('dibian');

    // Act
    const filed = await apply(
      who,
      application(who, providerId, {
        hardship: { category: 'dibian', certificateNo: 'HZ-DBJ-7' },
        milkSubsidy: false,
      }),
    );
    await confirmAndApprove(filed.body.caseId, 1234.5);
    await finished(filed.body.caseId);
    const waivers = await waiversOf(filed.body.caseId, monthAgo(-1));

    // Assess
    expect(waivers).toEqual([
      expect.objectContaining({ percent: 50, waivedYuan: 617.25, remainderYuan: 617.25 }),
    ]);
  });

  it('sends a family civil affairs has no record of to a civil-affairs verification, which may approve', async () => {
    // Prepare
    const who = await family();

    // Act
    const filed = await apply(who, application(who, providerId));
    const verification = await openTask(filed.body.caseId, 'verify-hardship');
    const verified = await decide(civilAffairs, verification.taskId, {
      outcome: 'approve',
      data: { category: 'tekun', validUntil: lastDayOf(monthAgo(-6)) },
    });
    await confirmAndApprove(filed.body.caseId, 1600);
    await finished(filed.body.caseId);
    const waivers = await waiversOf(filed.body.caseId, monthAgo(0));
    const detail = await api.request<{ case: { form: { hardship: { certificateNo: string } } } }>(
      'GET',
      `/v1/tasks/${verification.taskId}`,
      { token: civilAffairs },
    );

    // Assess
    expect(verification.role).toBe('civil-affairs');
    // The certificate number is read from the application, never carried by the workflow.
    expect(verification.note).not.toContain('HZ-DB-2026-0012');
    expect(detail.body.case.form.hardship.certificateNo).toBe('HZ-DB-2026-0012');
    expect(verified.status).toBe(200);
    expect(waivers).toEqual([expect.objectContaining({ category: 'tekun', percent: 100 })]);
  });

  it('ends the application when civil affairs cannot verify the hardship', async () => {
    // Prepare
    const who = await family();
    const filed = await apply(who, application(who, providerId));
    const verification = await openTask(filed.body.caseId, 'verify-hardship');

    // Act
    const refused = await decide(civilAffairs, verification.taskId, {
      outcome: 'reject',
      reason: '证书编号不存在',
    });
    const execution = await finished(filed.body.caseId);
    const view = await caseView(filed.body.caseId, who.token);

    // Assess
    expect(refused.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.status).toBe('rejected');
    expect(view.timeline.at(-1)?.note).toBe('证书编号不存在');
  });

  it('cuts the months after the hardship status expires, and says so', async () => {
    // Prepare: valid until the end of next month, term of three months
    const who = await family('dibao', lastDayOf(monthAgo(-1)));

    // Act
    const filed = await apply(who, application(who, providerId));
    await confirmAndApprove(filed.body.caseId, 1600);
    await finished(filed.body.caseId);
    const view = await caseView(filed.body.caseId, who.token);
    const lastMonth = await waiversOf(filed.body.caseId, monthAgo(-2));
    const firstMonth = await waiversOf(filed.body.caseId, monthAgo(0));

    // Assess
    const passed = view.timeline.find((event) => event.type === 'checks.passed');
    expect(passed?.data?.months).toEqual([monthAgo(0), monthAgo(-1)]);
    expect(
      ((passed?.data?.cuts ?? []) as { code: string; months: string[] }[]).map((cut) => cut.code),
    ).toEqual(['MONTHS_AFTER_HARDSHIP_EXPIRY']);
    expect(passed?.note).toBeTruthy();
    expect(firstMonth).toHaveLength(1);
    expect(lastMonth).toHaveLength(0);
  });

  it('refuses a second waiver for the same child and month', async () => {
    // Prepare
    const who = await family('dibao');
    const first = await apply(who, application(who, providerId));

    // Act
    const second = await apply(
      who,
      application(who, providerId, { term: { from: monthAgo(-1), to: monthAgo(-1) } }),
    );

    // Assess
    expect(first.status).toBe(202);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('DUPLICATE_WAIVER');
  });

  it('stops a waiver from the next month when civil affairs revokes the status, and tells the family', async () => {
    // Prepare
    const who = await family('dibao');
    const filed = await apply(who, application(who, providerId));
    await confirmAndApprove(filed.body.caseId, 1600);
    await finished(filed.body.caseId);
    // Civil affairs revokes: the guardian is on file without a hardship status
    await api.request('POST', '/dev/registry/residents', {
      body: { idNumber: who.guardian.idNumber, name: who.guardian.name, hukouDistrict: 'wuxing' },
    });

    // Act
    const run = await api.request<{ stopped: number }>('POST', '/dev/jobs/RecheckHardship', {
      body: { month: monthAgo(-1) },
    });
    const current = await waiversOf(filed.body.caseId, monthAgo(0));
    const next = await waiversOf(filed.body.caseId, monthAgo(-1));
    const view = await caseView(filed.body.caseId, who.token);
    const again = await api.request<{ stopped: number }>('POST', '/dev/jobs/RecheckHardship', {
      body: { month: monthAgo(-1) },
    });
    const view2 = await caseView(filed.body.caseId, who.token);

    // Assess
    expect(run.status).toBe(200);
    expect(current[0]?.status).toBe('active');
    expect(next[0]?.status).toBe('stopped');
    expect(view.timeline.filter((event) => event.type === 'waiver.stopped')).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(view2.timeline.filter((event) => event.type === 'waiver.stopped')).toHaveLength(1);
  });

  it('shows a provider only its own waivers', async () => {
    // Prepare
    const other = await registerProvider(api, { district: 'wuxing' });
    const otherToken = await api.token({
      sub: `${other}-staff`,
      roles: ['provider'],
      providerId: other,
    });

    // Act
    const foreign = await api.request<ErrorShape>(
      'GET',
      `/v1/waivers?providerId=${providerId}&month=${monthAgo(0)}`,
      { token: otherToken },
    );
    const own = await api.request('GET', `/v1/waivers?providerId=${other}&month=${monthAgo(0)}`, {
      token: otherToken,
    });

    // Assess
    expect(foreign.status).toBe(403);
    expect(own.status).toBe(200);
  });
});
