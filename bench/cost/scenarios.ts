import { randomInt, randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiClient } from '../../test/support/api-client.ts';
import { bornMonthsAgo, idNumberFor, monthAgo } from '../../test/support/ids.ts';
import { eventually, openTaskOfType } from '../../test/support/local-aws-clients.ts';
import { readyFiling } from '../../test/support/registration-fixtures.ts';
import {
  eligibleClaim,
  registerChild,
  registerProvider,
} from '../../test/support/registry-fixtures.ts';

/*
 * The cases the cost benchmark drives, one per workflow and outcome: each workflow's happy path
 * and its most common rejection, the way the integration tests drive them. `prepare` does what
 * is not the case's cost (registry entries that exist anyway, signing in); the function it
 * returns does what people and the system do for one case, until its workflow has ended. Waiting
 * for a task reads the table directly, so the waiting itself costs the case nothing.
 */

export interface CostContext {
  readonly api: ApiClient;
  readonly documents: DynamoDBDocumentClient;
  readonly sfn: SFNClient;
  readonly tableName: string;
  /** State machine ARNs by name without CDK's hash (`SubsidyClaim` …). */
  readonly stateMachines: Readonly<Record<string, string>>;
}

export type Workflow = 'subsidy-claim' | 'tuition-waiver' | 'provider-registration';

export interface Scenario {
  readonly key: string;
  readonly workflow: Workflow;
  /** The case's final status this path ends in. */
  readonly outcome: 'approved' | 'rejected';
  /** The path, in a few words, for the table. */
  readonly path: string;
  prepare(context: CostContext): Promise<() => Promise<string>>;
}

/** The drive ended somewhere else than the scenario says: its figures would be another path's. */
export class ScenarioOutcomeError extends Error {
  constructor(
    readonly scenario: string,
    readonly caseId: string,
    readonly status: string,
  ) {
    super(`${scenario}: case ${caseId} ended ${status}`);
    this.name = 'ScenarioOutcomeError';
  }
}

const machineOf: Record<Workflow, string> = {
  'subsidy-claim': 'SubsidyClaim',
  'tuition-waiver': 'TuitionWaiver',
  'provider-registration': 'ProviderRegistration',
};

/** The provider's staff and the Wuxing caseworker who decide a case's human steps. */
async function deciders(api: ApiClient, providerId: string) {
  return {
    provider: await api.token({ sub: `${providerId}-staff`, roles: ['provider'], providerId }),
    caseworker: await api.token({ sub: 'wx-cw-bench', roles: ['caseworker'], district: 'wuxing' }),
  };
}

async function submit(api: ApiClient, token: string, path: string, body: unknown) {
  const response = await api.request<{ caseId: string }>('POST', path, {
    token,
    body,
    headers: { 'idempotency-key': randomUUID() },
  });
  if (response.status !== 202) throw new Error(`POST ${path}: ${response.status}`);
  return response.body.caseId;
}

async function decide(api: ApiClient, token: string, taskId: string, body: unknown) {
  const response = await api.request('POST', `/v1/tasks/${taskId}/decision`, { token, body });
  if (response.status !== 200) throw new Error(`decision on ${taskId}: ${response.status}`);
}

const openTask = (context: CostContext, caseId: string, taskType: string) =>
  openTaskOfType(context.documents, context.tableName, caseId, taskType);

/** Waits for the case's execution to end, then returns the case's status from the table. */
async function ended(context: CostContext, workflow: Workflow, caseId: string): Promise<string> {
  const machine = context.stateMachines[machineOf[workflow]] ?? '';
  const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${caseId}`;
  await eventually(
    async () => {
      const execution = await context.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution.status;
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  );
  const { Item } = await context.documents.send(
    new GetCommand({ TableName: context.tableName, Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }),
  );
  return String(Item?.status ?? 'missing');
}

function scenario(
  key: string,
  workflow: Workflow,
  outcome: Scenario['outcome'],
  path: string,
  prepare: (context: CostContext) => Promise<() => Promise<string>>,
): Scenario {
  return {
    key,
    workflow,
    outcome,
    path,
    prepare: async (context) => {
      const drive = await prepare(context);
      return async () => {
        const caseId = await drive();
        const status = await ended(context, workflow, caseId);
        if (status !== outcome) throw new ScenarioOutcomeError(key, caseId, status);
        return caseId;
      };
    },
  };
}

const citizen = (api: ApiClient) =>
  api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });

const subsidyApproved = scenario(
  'subsidy-claim/approved',
  'subsidy-claim',
  'approved',
  'checks pass → provider confirms → district approves',
  async (context) => {
    const { api } = context;
    const providerId = await registerProvider(api, { district: 'wuxing' });
    const child = await registerChild(api);
    const family = await citizen(api);
    const { provider, caseworker } = await deciders(api, providerId);
    return async () => {
      const caseId = await submit(
        api,
        family,
        '/v1/subsidy-claims',
        eligibleClaim(child, providerId),
      );
      const confirm = await openTask(context, caseId, 'confirm-enrollment');
      await decide(api, provider, confirm.taskId, { outcome: 'approve' });
      const review = await openTask(context, caseId, 'district-review');
      await decide(api, caseworker, review.taskId, { outcome: 'approve', reason: '材料齐全' });
      return caseId;
    };
  },
);

const subsidyRejected = scenario(
  'subsidy-claim/rejected',
  'subsidy-claim',
  'rejected',
  'checks fail (户籍 not in Huzhou), no person involved',
  async (context) => {
    const { api } = context;
    const providerId = await registerProvider(api, { district: 'wuxing' });
    const child = await registerChild(api, { hukouDistrict: 'other' });
    const family = await citizen(api);
    return () => submit(api, family, '/v1/subsidy-claims', eligibleClaim(child, providerId));
  },
);

/** YYYY-MM-DD of a month's last day. */
function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

/** A family for a waiver: a child, and a guardian civil affairs knows with `category` (or not). */
async function waiverFamily(api: ApiClient, category?: string) {
  const child = await registerChild(api, { birthDate: bornMonthsAgo(14) });
  const idNumber = idNumberFor(`1990${String(randomInt(1, 13)).padStart(2, '0')}15`);
  const registered = await api.request('POST', '/dev/registry/residents', {
    body: {
      idNumber,
      name: '沈秀英',
      hukouDistrict: 'wuxing',
      ...(category ? { hardship: { category, validUntil: lastDayOf(monthAgo(-24)) } } : {}),
    },
  });
  if (registered.status !== 201) throw new Error(`guardian not registered: ${registered.status}`);
  return { child, guardian: { idNumber, name: '沈秀英', phone: '13857200001' } };
}

async function waiverParties(context: CostContext, category?: string) {
  const { api } = context;
  const providerId = await registerProvider(api, { district: 'wuxing', inclusive: false });
  const family = await citizen(api);
  const who = await waiverFamily(api, category);
  const application = {
    ...who,
    providerId,
    hardship: { category: category ?? 'dibao', certificateNo: 'HZ-DB-2026-0012' },
    term: { from: monthAgo(0), to: monthAgo(-2) },
    monthlyTuitionYuan: 1600,
    milkSubsidy: true,
  };
  return { api, providerId, family, application };
}

const waiverApproved = scenario(
  'tuition-waiver/approved',
  'tuition-waiver',
  'approved',
  'civil affairs confirms 低保 → provider confirms tuition → district approves',
  async (context) => {
    const { api, providerId, family, application } = await waiverParties(context, 'dibao');
    const { provider, caseworker } = await deciders(api, providerId);
    return async () => {
      const caseId = await submit(api, family, '/v1/tuition-waivers', application);
      const confirm = await openTask(context, caseId, 'confirm-tuition');
      await decide(api, provider, confirm.taskId, {
        outcome: 'approve',
        data: { monthlyTuitionYuan: 1500 },
      });
      const review = await openTask(context, caseId, 'district-review');
      await decide(api, caseworker, review.taskId, { outcome: 'approve', reason: '符合减免条件' });
      return caseId;
    };
  },
);

const waiverRejected = scenario(
  'tuition-waiver/rejected',
  'tuition-waiver',
  'rejected',
  'not in the civil-affairs registry → civil affairs cannot verify',
  async (context) => {
    const { api, family, application } = await waiverParties(context);
    const civilAffairs = await api.token({
      sub: 'wx-ca-bench',
      roles: ['civil-affairs'],
      district: 'wuxing',
    });
    return async () => {
      const caseId = await submit(api, family, '/v1/tuition-waivers', application);
      const verification = await openTask(context, caseId, 'verify-hardship');
      await decide(api, civilAffairs, verification.taskId, {
        outcome: 'reject',
        reason: '证书编号不存在',
      });
      return caseId;
    };
  },
);

/** Staff of every department a filing in 吴兴 meets, and the city. */
async function registrationParties(api: ApiClient) {
  const providerId = `P-B${randomUUID().slice(0, 8).toUpperCase()}`;
  const [provider, health, fire, market, city] = await Promise.all([
    api.token({ sub: `${providerId}-admin`, roles: ['provider'], providerId }),
    api.token({ sub: 'wx-health-bench', roles: ['caseworker'], district: 'wuxing' }),
    api.token({ sub: 'wx-fire-bench', roles: ['fire'], district: 'wuxing' }),
    api.token({ sub: 'wx-market-bench', roles: ['market'], district: 'wuxing' }),
    api.token({ sub: 'city-supervisor-bench', roles: ['supervisor'], district: 'city' }),
  ]);
  return { provider, health, fire, market, city };
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const registrationRegistered = scenario(
  'provider-registration/approved',
  'provider-registration',
  'approved',
  'documents uploaded, standards met → 3 parallel reviews → inspection → city confirms',
  async (context) => {
    const { api } = context;
    const staff = await registrationParties(api);
    return async () => {
      // Uploading the filing's documents is part of filing (POST /v1/documents per document).
      const form = await readyFiling(api, staff.provider);
      const caseId = await submit(api, staff.provider, '/v1/provider-registrations', form);
      const reviews = await Promise.all(
        ['health-review', 'fire-review', 'market-review'].map((type) =>
          openTask(context, caseId, type),
        ),
      );
      const tokens = [staff.health, staff.fire, staff.market];
      for (const [index, task] of reviews.entries()) {
        await decide(api, tokens[index] ?? '', task.taskId, {
          outcome: 'approve',
          data: { findings: ['材料齐全'] },
        });
      }
      const inspection = await openTask(context, caseId, 'on-site-inspection');
      const claimed = await api.request('POST', `/v1/tasks/${inspection.taskId}/claim`, {
        token: staff.health,
        body: { scheduledFor: today() },
      });
      if (claimed.status !== 200) throw new Error(`inspection not claimed: ${claimed.status}`);
      await decide(api, staff.health, inspection.taskId, {
        outcome: 'approve',
        data: { inspectedOn: today(), findings: [{ item: '消防通道', passed: true }] },
      });
      const confirmation = await openTask(context, caseId, 'city-confirmation');
      await decide(api, staff.city, confirmation.taskId, {
        outcome: 'approve',
        reason: '同意备案',
      });
      return caseId;
    };
  },
);

const registrationRejected = scenario(
  'provider-registration/rejected',
  'provider-registration',
  'rejected',
  'documents uploaded, standards met → fire review rejects, the other reviews cancelled',
  async (context) => {
    const { api } = context;
    const staff = await registrationParties(api);
    return async () => {
      const form = await readyFiling(api, staff.provider);
      const caseId = await submit(api, staff.provider, '/v1/provider-registrations', form);
      const fire = await openTask(context, caseId, 'fire-review');
      await decide(api, staff.fire, fire.taskId, {
        outcome: 'reject',
        reason: '疏散通道宽度不足，不符合消防要求',
      });
      return caseId;
    };
  },
);

export const scenarios: readonly Scenario[] = [
  subsidyApproved,
  subsidyRejected,
  waiverApproved,
  waiverRejected,
  registrationRegistered,
  registrationRejected,
];
