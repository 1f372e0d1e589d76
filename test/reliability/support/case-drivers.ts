import { randomInt, randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { ApiClient } from '../../support/api-client.ts';
import { bornMonthsAgo, idNumberFor, monthAgo, recentMonths } from '../../support/ids.ts';
import { readyFiling } from '../../support/registration-fixtures.ts';
import { eligibleClaim, registerProvider } from '../../support/registry-fixtures.ts';

/*
 * Drives cases of the three workflows to their end through the API alone, one human step at a
 * time, the way the people involved would. Every step starts from what the API says now (the
 * case's open tasks and timeline), so a step cut short by a crash is simply taken again: nothing
 * here remembers more than the case itself does.
 */

export const caseKinds = ['subsidy-claim', 'tuition-waiver', 'provider-registration'] as const;
export type CaseKind = (typeof caseKinds)[number];

/** How a case goes: which decision each of its human steps gets. */
export const variants = {
  'subsidy-claim': ['approve', 'provider-rejects', 'info-then-approve', 'district-rejects'],
  'tuition-waiver': ['approve', 'verified-approve', 'verification-refused', 'provider-rejects'],
  'provider-registration': ['approve', 'fire-rejects', 'market-asks'],
} as const satisfies Record<CaseKind, readonly string[]>;
export type Variant<Kind extends CaseKind = CaseKind> = (typeof variants)[Kind][number];

export interface CasePlan {
  readonly kind: CaseKind;
  readonly variant: string;
  /** The case's final status, as its decisions imply. */
  readonly expectedStatus: 'approved' | 'rejected';
}

const rejects = new Set([
  'provider-rejects',
  'district-rejects',
  'verification-refused',
  'fire-rejects',
]);

/**
 * The fewest steps (`step()` answering `acted`) a variant takes: its filing and each human step
 * after it, the three parallel reviews counted once (one step may decide them all).
 */
const fewestSteps: Record<string, number> = {
  'subsidy-claim/approve': 3,
  'subsidy-claim/provider-rejects': 2,
  'subsidy-claim/info-then-approve': 5,
  'subsidy-claim/district-rejects': 3,
  'tuition-waiver/approve': 3,
  'tuition-waiver/verified-approve': 4,
  'tuition-waiver/verification-refused': 2,
  'tuition-waiver/provider-rejects': 2,
  'provider-registration/approve': 4,
  'provider-registration/fire-rejects': 2,
  'provider-registration/market-asks': 6,
};

/** A lower bound of the steps that drive `plans` to their end. */
export function fewestStepsOf(plans: readonly CasePlan[]): number {
  return plans.reduce((sum, plan) => sum + (fewestSteps[`${plan.kind}/${plan.variant}`] ?? 1), 0);
}

/** `count` plans, the three kinds in turn, each kind's variants drawn with `random` (0 ≤ x < 1). */
export function planCases(count: number, random: () => number): CasePlan[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = caseKinds[index % caseKinds.length] as CaseKind;
    const options: readonly string[] = variants[kind];
    const variant = options[Math.floor(random() * options.length)] as string;
    return { kind, variant, expectedStatus: rejects.has(variant) ? 'rejected' : 'approved' };
  });
}

/** The people who act on the cases: all in 吴兴区, the city's supervisor for the confirmation. */
export interface Staff {
  readonly caseworker: string;
  readonly civilAffairs: string;
  readonly fire: string;
  readonly market: string;
  readonly supervisor: string;
  readonly finance: string;
  /** The provider subsidy claims name, and its staff's token. */
  readonly claimProvider: { readonly providerId: string; readonly token: string };
  /** The provider tuition waivers name, and its staff's token. */
  readonly waiverProvider: { readonly providerId: string; readonly token: string };
}

export const district = 'wuxing';

async function providerStaff(api: ApiClient, inclusive: boolean) {
  const providerId = await registerProvider(api, { district, inclusive });
  const token = await api.token({ sub: `${providerId}-staff`, roles: ['provider'], providerId });
  return { providerId, token };
}

export async function prepareStaff(api: ApiClient): Promise<Staff> {
  const person = (sub: string, role: 'caseworker' | 'civil-affairs' | 'fire' | 'market') =>
    api.token({ sub, roles: [role], district });
  return {
    caseworker: await person('crash-wx-cw', 'caseworker'),
    civilAffairs: await person('crash-wx-ca', 'civil-affairs'),
    fire: await person('crash-wx-fire', 'fire'),
    market: await person('crash-wx-market', 'market'),
    supervisor: await api.token({
      sub: 'crash-city-lead',
      roles: ['supervisor'],
      district: 'city',
    }),
    finance: await api.token({ sub: 'crash-wx-fin', roles: ['finance'], district }),
    claimProvider: await providerStaff(api, true),
    waiverProvider: await providerStaff(api, false),
  };
}

/** A case ready to be filed: who files it, what, and under which Idempotency-Key. */
export interface PreparedCase {
  readonly plan: CasePlan;
  /** The applicant: a family, or the provider account that files a registration. */
  readonly applicant: { readonly sub: string; readonly token: string };
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** One key for every attempt of this submission, as a client that retries keeps it. */
  readonly idempotencyKey: string;
  /** The provider the case is about (a registration's own, new provider). */
  readonly providerId: string;
  /** The child-months a payment or waiver may be made for. */
  readonly months: readonly string[];
}

/** YYYY-MM-DD of the last day of `month` (YYYY-MM). */
export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

// idNumberFor draws one of a thousand sequence numbers: a hundred children born the same month
// would share numbers, and with them their child-month locks. Each number is used once here.
const usedIdNumbers = new Set<string>();
function uniqueIdNumber(birthDate: () => string): string {
  for (;;) {
    const idNumber = idNumberFor(birthDate());
    if (usedIdNumbers.has(idNumber)) continue;
    usedIdNumbers.add(idNumber);
    return idNumber;
  }
}

/** A child in the household registry, 户籍 in Huzhou, with an ID number no other case uses. */
async function registerUniqueChild(api: ApiClient, birthDate: () => string) {
  const child = { idNumber: uniqueIdNumber(birthDate), name: '沈小禾' };
  const response = await api.request('POST', '/dev/registry/residents', {
    body: { ...child, hukouDistrict: district },
  });
  if (response.status !== 201) throw new Error(`resident not registered: ${response.status}`);
  return child;
}

/** A guardian known to civil affairs, with a hardship status unless `category` is undefined. */
async function registerGuardian(api: ApiClient, category: string | undefined) {
  const idNumber = uniqueIdNumber(() => `1990${String(randomInt(1, 13)).padStart(2, '0')}15`);
  const response = await api.request('POST', '/dev/registry/residents', {
    body: {
      idNumber,
      name: '沈秀英',
      hukouDistrict: district,
      ...(category ? { hardship: { category, validUntil: lastDayOf(monthAgo(-24)) } } : {}),
    },
  });
  if (response.status !== 201) throw new Error(`guardian not registered: ${response.status}`);
  return { idNumber, name: '沈秀英', phone: '13857200001' };
}

async function family(api: ApiClient) {
  const sub = `family-${randomUUID()}`;
  return { sub, token: await api.token({ sub, roles: ['citizen'] }) };
}

/** Registers what the case needs (child, guardian, enterprise, uploaded documents). */
export async function prepareCase(
  api: ApiClient,
  plan: CasePlan,
  staff: Staff,
): Promise<PreparedCase> {
  const idempotencyKey = randomUUID();
  if (plan.kind === 'subsidy-claim') {
    const applicant = await family(api);
    const child = await registerUniqueChild(api, () => bornMonthsAgo(randomInt(6, 24)));
    const months = recentMonths();
    return {
      plan,
      applicant,
      path: '/v1/subsidy-claims',
      body: eligibleClaim(child, staff.claimProvider.providerId, months),
      idempotencyKey,
      providerId: staff.claimProvider.providerId,
      months,
    };
  }
  if (plan.kind === 'tuition-waiver') {
    const applicant = await family(api);
    const child = await registerUniqueChild(api, () => bornMonthsAgo(14));
    // Without a status on file, civil affairs must verify the certificate by hand.
    const verified = plan.variant === 'verified-approve' || plan.variant === 'verification-refused';
    const guardian = await registerGuardian(api, verified ? undefined : 'dibao');
    const months = [monthAgo(0), monthAgo(-1), monthAgo(-2)];
    return {
      plan,
      applicant,
      path: '/v1/tuition-waivers',
      body: {
        child,
        guardian,
        providerId: staff.waiverProvider.providerId,
        hardship: { category: 'dibao', certificateNo: 'HZ-DB-2026-0012' },
        term: { from: months[0], to: months[2] },
        monthlyTuitionYuan: 1600,
        milkSubsidy: plan.variant === 'approve',
      },
      idempotencyKey,
      providerId: staff.waiverProvider.providerId,
      months,
    };
  }
  const providerId = `P-R${randomUUID().slice(0, 8).toUpperCase()}`;
  const sub = `${providerId}-admin`;
  const token = await api.token({ sub, roles: ['provider'], providerId });
  return {
    plan,
    applicant: { sub, token },
    path: '/v1/provider-registrations',
    body: { ...(await readyFiling(api, token)) },
    idempotencyKey,
    providerId,
    months: [],
  };
}

/** Files the case; a retry with the same key lands on the same case. */
export async function submitCase(api: ApiClient, prepared: PreparedCase): Promise<string> {
  const response = await api.request<{ caseId?: string }>('POST', prepared.path, {
    token: prepared.applicant.token,
    body: prepared.body,
    headers: { 'idempotency-key': prepared.idempotencyKey },
  });
  if (response.status !== 202 || !response.body.caseId) {
    throw new UnexpectedResponseError('submit', response.status, response.body);
  }
  return response.body.caseId;
}

/** The API answered something no step of a case should get. */
export class UnexpectedResponseError extends Error {
  constructor(what: string, status: number, body: unknown) {
    super(`${what}: ${status} ${JSON.stringify(body).slice(0, 500)}`);
    this.name = 'UnexpectedResponseError';
  }
}

const openTaskSchema = z.object({
  taskId: z.string(),
  taskType: z.string(),
  role: z.string(),
  status: z.string(),
});

const timelineEventSchema = z.object({
  type: z.string(),
  taskId: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const caseViewSchema = z.object({
  caseId: z.string(),
  status: z.string(),
  openTasks: z.array(openTaskSchema),
  timeline: z.array(timelineEventSchema),
});
export type CaseView = z.infer<typeof caseViewSchema>;
type OpenTask = z.infer<typeof openTaskSchema>;

export const finalStatuses: readonly string[] = ['approved', 'rejected', 'expired', 'withdrawn'];

interface DecisionBody {
  outcome: 'approve' | 'reject' | 'request-info';
  reason?: string;
  data?: Record<string, unknown>;
}

const approve: DecisionBody = { outcome: 'approve' };

/** Huzhou's date today, as an inspection is scheduled. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The decision a plan takes on a task of `taskType`, the `occurrence`-th of its type on the case
 * (0 for the first): a step asked again (after a request for information) may be decided
 * differently the second time.
 */
export function decisionFor(plan: CasePlan, taskType: string, occurrence: number): DecisionBody {
  const v = plan.variant;
  switch (taskType) {
    case 'confirm-enrollment':
      return v === 'provider-rejects'
        ? { outcome: 'reject', reason: '未在本园入托' }
        : { outcome: 'approve', data: { monthlyFeeYuan: 1500 } };
    case 'confirm-tuition':
      return v === 'provider-rejects'
        ? { outcome: 'reject', reason: '该幼儿未在本园就读' }
        : { outcome: 'approve', data: { monthlyTuitionYuan: 1500 } };
    case 'verify-hardship':
      return v === 'verification-refused'
        ? { outcome: 'reject', reason: '证书编号不存在' }
        : {
            outcome: 'approve',
            data: { category: 'tekun', validUntil: lastDayOf(monthAgo(-6)) },
          };
    case 'district-review':
      if (v === 'district-rejects') return { outcome: 'reject', reason: '材料不符合条件' };
      if (v === 'info-then-approve' && occurrence === 0)
        return { outcome: 'request-info', reason: '请上传入托缴费凭证' };
      return { outcome: 'approve', reason: '符合条件' };
    case 'supply-info':
      return { outcome: 'approve', data: { message: '已补充材料' } };
    case 'fire-review':
      return v === 'fire-rejects'
        ? { outcome: 'reject', reason: '疏散通道宽度不足' }
        : { outcome: 'approve', data: { findings: ['消防材料齐全'] } };
    case 'market-review':
      return v === 'market-asks' && occurrence === 0
        ? { outcome: 'request-info', reason: '请补充法定代表人身份证明' }
        : { outcome: 'approve', data: { findings: ['材料齐全'] } };
    case 'health-review':
      return { outcome: 'approve', data: { findings: ['材料齐全'] } };
    case 'on-site-inspection':
      return {
        outcome: 'approve',
        data: { inspectedOn: today(), findings: [{ item: '室内活动面积', passed: true }] },
      };
    case 'city-confirmation':
      return { outcome: 'approve', reason: '同意备案' };
    default:
      // manual-check (a registry that could not be reached) and anything else: let it through.
      return approve;
  }
}

/** Which of the case's tasks of its type this one is, by the order the timeline opened them. */
function occurrenceOf(view: CaseView, task: OpenTask): number {
  const opened = view.timeline
    .filter((event) => event.type === 'task.created' && event.data?.taskType === task.taskType)
    .map((event) => event.taskId);
  const index = opened.indexOf(task.taskId);
  return index < 0 ? opened.length : index;
}

/** A case being driven: its preparation, its id once filed, and the decisions taken on it. */
export interface DrivenCase {
  readonly prepared: PreparedCase;
  caseId?: string;
  /** Tasks this driver decided (answered 200, or found decided by its own earlier attempt). */
  readonly decided: Set<string>;
  status: string;
}

export function drivenCase(prepared: PreparedCase): DrivenCase {
  return { prepared, decided: new Set(), status: 'unsubmitted' };
}

function tokenFor(role: string, driven: DrivenCase, staff: Staff): string {
  const { prepared } = driven;
  switch (role) {
    case 'citizen':
      return prepared.applicant.token;
    case 'provider':
      if (prepared.plan.kind === 'provider-registration') return prepared.applicant.token;
      return prepared.plan.kind === 'subsidy-claim'
        ? staff.claimProvider.token
        : staff.waiverProvider.token;
    case 'civil-affairs':
      return staff.civilAffairs;
    case 'fire':
      return staff.fire;
    case 'market':
      return staff.market;
    case 'supervisor':
      return staff.supervisor;
    default:
      return staff.caseworker;
  }
}

const errorCodeOf = (body: unknown) =>
  (body as { error?: { code?: string } } | undefined)?.error?.code;

export type StepResult = 'final' | 'acted' | 'waiting';

/** The case as its applicant sees it. */
export async function viewCase(api: ApiClient, driven: DrivenCase): Promise<CaseView> {
  const response = await api.request('GET', `/v1/cases/${driven.caseId}`, {
    token: driven.prepared.applicant.token,
  });
  if (response.status !== 200)
    throw new UnexpectedResponseError('view', response.status, response.body);
  return caseViewSchema.parse(response.body);
}

/**
 * Advances the case by one human step: files it if it is not filed yet, otherwise reads its open
 * tasks and decides each as the plan says (a rejecting decision first, so that the other
 * reviews beside it are the ones cancelled). `final` when the case has ended, `waiting` when no
 * task is open (the workflow is working). Safe to call again after any failure.
 */
export async function step(api: ApiClient, driven: DrivenCase, staff: Staff): Promise<StepResult> {
  if (!driven.caseId) {
    driven.caseId = await submitCase(api, driven.prepared);
    driven.status = 'submitted';
    return 'acted';
  }
  const view = await viewCase(api, driven);
  driven.status = view.status;
  if (finalStatuses.includes(view.status)) return 'final';
  if (view.openTasks.length === 0) return 'waiting';
  const plan = driven.prepared.plan;
  const ordered = view.openTasks
    .map((task) => ({ task, decision: decisionFor(plan, task.taskType, occurrenceOf(view, task)) }))
    .sort(
      (a, b) => Number(b.decision.outcome === 'reject') - Number(a.decision.outcome === 'reject'),
    );
  for (const { task, decision } of ordered) {
    const token = tokenFor(task.role, driven, staff);
    if (task.taskType === 'on-site-inspection' && task.status === 'open') {
      const claimed = await api.request('POST', `/v1/tasks/${task.taskId}/claim`, {
        token,
        body: { scheduledFor: today() },
      });
      // Claiming one's own claimed task again is a no-op; a cancelled one is the case ending.
      if (claimed.status === 409 && errorCodeOf(claimed.body) === 'TASK_CLOSED') continue;
      if (claimed.status !== 200) {
        throw new UnexpectedResponseError(`claim ${task.taskType}`, claimed.status, claimed.body);
      }
    }
    const response = await api.request('POST', `/v1/tasks/${task.taskId}/decision`, {
      token,
      body: decision,
    });
    const code = errorCodeOf(response.body);
    if (response.status === 200 || (response.status === 409 && code === 'TASK_ALREADY_DECIDED')) {
      // Already decided: by this driver's attempt that the crash cut off before its answer.
      driven.decided.add(task.taskId);
    } else if (!(response.status === 409 && code === 'TASK_CLOSED')) {
      throw new UnexpectedResponseError(`decide ${task.taskType}`, response.status, response.body);
    }
  }
  return 'acted';
}

/** What a case must have left behind once it ended, as its plan implies. */
export interface Expectations {
  readonly status: 'approved' | 'rejected';
  /** Payment records by benefit, one per month listed. */
  readonly payments: Readonly<Record<string, readonly string[]>>;
  /** Months with a waiver record. */
  readonly waiverMonths: readonly string[];
  /** Whether the provider is in the registry because of this case. */
  readonly registered: boolean;
  /** The decision notifications, as `<template>@<recipient kind>`, each exactly once. */
  readonly notifications: readonly string[];
}

export function expectationsOf(prepared: PreparedCase): Expectations {
  const { plan, months } = prepared;
  const approved = plan.expectedStatus === 'approved';
  const none = { payments: {}, waiverMonths: [], registered: false };
  if (!approved) return { status: 'rejected', ...none, notifications: ['case-rejected@applicant'] };
  switch (plan.kind) {
    case 'subsidy-claim':
      return {
        ...none,
        status: 'approved',
        payments: { 'enrollment-subsidy': months },
        notifications: ['case-approved@applicant', 'case-approved@queue'],
      };
    case 'tuition-waiver':
      return {
        ...none,
        status: 'approved',
        payments: prepared.body.milkSubsidy === true ? { 'milk-subsidy': months } : {},
        waiverMonths: months,
        notifications: ['case-approved@applicant', 'waiver-granted@queue'],
      };
    case 'provider-registration':
      return {
        ...none,
        status: 'approved',
        registered: true,
        notifications: ['case-approved@applicant'],
      };
  }
}
