import {
  createHmac,
  createPublicKey,
  type JsonWebKey,
  randomBytes,
  randomInt,
  randomUUID,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CryptoKey,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  SIGNING_KEY_FILE,
} from '../../infra/local/auth/index.ts';
import type { Role } from '../../shared/auth/roles.ts';
import { paymentKeys } from '../../shared/payments/payment-keys.ts';
import {
  ApiClient,
  type ApiResponse,
  type ErrorShape,
  type TokenInput,
} from '../support/api-client.ts';
import { bornMonthsAgo, idNumberFor, monthAgo } from '../support/ids.ts';
import { eventually, localClients } from '../support/local-aws-clients.ts';
import { readyFiling } from '../support/registration-fixtures.ts';
import { compliantStaff } from '../support/registration-form.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';
import {
  cellsOf,
  isAllowed,
  type MatrixCell,
  type MatrixRow,
  matrix,
  type Persona,
  rowName,
  taskTargets,
} from './support/authorization-matrix.ts';
import { recordReliability } from './support/summary.ts';

/*
 * Every cell of the authorization matrix (support/authorization-matrix.ts) against the running
 * local API, then tokens the API must not accept. Each row gets a target of its own, built through
 * the API as a family, a provider and staff would; refusals run first and must leave the target as
 * it was; allowed writes that cannot be repeated get a fresh target each.
 */

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const { documents } = localClients(cloud.parts);

/** District A, where the targets are; district B, the other one. */
const districtA = 'wuxing';
const districtB = 'anji';
/** A month nobody is paid for: listing and disbursing it changes nothing that matters. */
const quietMonth = '2020-01';
/** Fixtures wait on workflows that share 2 cores with everything else. */
const workflowWaitMs = 240_000;

/** What the personas stand in relation to. */
interface Scene {
  readonly district: string;
  readonly otherDistrict: string;
  /** The provider the target names (`provider/own`). */
  readonly providerId: string;
  readonly otherProviderId: string;
  /** The family that filed the target (`citizen/own`). */
  readonly familySub: string;
}

interface Target {
  readonly scene: Scene;
  readonly caseId?: string;
  readonly taskId?: string;
  readonly ref?: string;
  /** A body prepared once for the row's requests. */
  readonly body?: unknown;
}

interface PlannedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** What an allowed request of a row creates, checked at the end for refused creators. */
type Creation = 'subsidy-claim' | 'tuition-waiver' | 'provider-registration' | 'document' | 'batch';

/** How a row of the matrix is run. */
interface Plan {
  /** Builds what the row's requests are about. */
  readonly setUp: () => Promise<Target>;
  /** The request a persona sends (with its token, for bodies its own account must prepare). */
  readonly request: (
    persona: Persona,
    target: Target,
    token: string | undefined,
  ) => PlannedRequest | Promise<PlannedRequest>;
  /** Allowed cells get a target each: their write cannot be repeated. */
  readonly freshForAllowed?: boolean;
  /** Puts the target in the state the row is about; runs first and before each allowed cell. */
  readonly prepare?: (target: Target) => Promise<void>;
  /** What the target looks like; refusals must not change it. */
  readonly fingerprint?: (target: Target) => Promise<string>;
  /** Lists: whether the answer shows the target. */
  readonly shows?: (body: unknown, target: Target) => boolean;
  readonly creates?: Creation;
}

const figures = { cases: new Set<string>(), requests: 0, faults: 0, serverErrors: 0, dataLost: 0 };
/** Who was refused and who allowed each kind of creation: refused ones must have made nothing. */
const creators = { refused: new Set<string>(), allowed: new Set<string>() };

let providerOne = '';
let providerTwo = '';
let familySub = '';
const mainScene = (): Scene => ({
  district: districtA,
  otherDistrict: districtB,
  providerId: providerOne,
  otherProviderId: providerTwo,
  familySub,
});

// --- tokens -------------------------------------------------------------------------------

const tokens = new Map<string, Promise<string>>();

function tokenOf(input: TokenInput): Promise<string> {
  const key = JSON.stringify(input);
  let token = tokens.get(key);
  if (!token) {
    token = api.token(input);
    tokens.set(key, token);
  }
  return token;
}

/** The claims a persona's token carries, relative to the scene. */
function claimsOf(persona: Persona, scene: Scene): TokenInput | undefined {
  const { actor, scope } = persona;
  if (actor === 'anonymous') return undefined;
  if (actor === 'admin') return { sub: 'authz-admin', roles: ['admin'] };
  if (actor === 'citizen') {
    return { sub: scope === 'own' ? scene.familySub : 'authz-family-stranger', roles: ['citizen'] };
  }
  if (actor === 'provider') {
    const providerId = scope === 'own' ? scene.providerId : scene.otherProviderId;
    return { sub: `${providerId}-staff`, roles: ['provider'], providerId };
  }
  const district =
    scope === 'same-district'
      ? scene.district
      : scope === 'other-district'
        ? scene.otherDistrict
        : 'city';
  return { sub: `authz-${actor}-${district}`, roles: [actor], district };
}

const tokenFor = (persona: Persona, scene: Scene) => {
  const claims = claimsOf(persona, scene);
  return claims ? tokenOf(claims) : Promise.resolve(undefined);
};

/** Accounts that set targets up: never one of the personas. */
const setUpStaff = (role: Role, district = districtA) =>
  tokenOf({ sub: `authz-setup-${role}-${district}`, roles: [role], district });
const setUpProvider = (providerId: string) =>
  tokenOf({ sub: `${providerId}-setup`, roles: ['provider'], providerId });
const family = () => tokenOf({ sub: familySub, roles: ['citizen'] });

// --- fixtures -----------------------------------------------------------------------------

async function expectStatus<T>(response: Promise<ApiResponse<T>>, status: number, what: string) {
  const answered = await response;
  if (answered.status !== status) {
    throw new Error(`${what}: ${answered.status} ${JSON.stringify(answered.body).slice(0, 300)}`);
  }
  return answered.body;
}

interface StoredTask {
  taskId: string;
  taskType: string;
  status: string;
  claimedBy?: string;
  decision?: { decidedBy?: string };
}

async function caseItems(caseId: string) {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
      ConsistentRead: true,
    }),
  );
  return page.Items ?? [];
}

/** The case's open task of a type, once its workflow has opened it. */
async function openTask(caseId: string, taskType: string): Promise<StoredTask> {
  return eventually(
    async () =>
      (await caseItems(caseId)).find(
        (item) => item.taskType === taskType && item.status === 'open',
      ) as StoredTask | undefined,
    { timeoutMs: workflowWaitMs, intervalMs: 250 },
  );
}

/** The case's version, status and tasks: what any write to it would change. */
async function caseFingerprint(target: Target): Promise<string> {
  const items = await caseItems(target.caseId ?? '');
  return JSON.stringify(
    items
      .filter((item) => item.sk === 'CASE' || String(item.sk).startsWith('TASK#'))
      .map((item) => [
        item.sk,
        item.version,
        item.status,
        item.claimedBy ?? null,
        item.decision?.decidedBy ?? null,
      ]),
  );
}

const decide = async (token: string, taskId: string, body: unknown) =>
  expectStatus(
    api.request('POST', `/v1/tasks/${taskId}/decision`, { token, body }),
    200,
    `decision on ${taskId}`,
  );

/** A family's claim at P1, waiting for P1 to confirm the enrolment. */
async function newClaim(): Promise<Target> {
  const child = await registerChild(api);
  const filed = await expectStatus(
    api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
      token: await family(),
      body: eligibleClaim(child, providerOne),
      headers: { 'idempotency-key': randomUUID() },
    }),
    202,
    'claim',
  );
  figures.cases.add(filed.caseId);
  const task = await openTask(filed.caseId, 'confirm-enrollment');
  return { scene: mainScene(), caseId: filed.caseId, taskId: task.taskId };
}

/** A claim P1 confirmed, waiting for district A's caseworkers. */
async function staffTask(): Promise<Target> {
  const claim = await newClaim();
  await decide(await setUpProvider(providerOne), claim.taskId ?? '', {
    outcome: 'approve',
    data: { monthlyFeeYuan: 1500 },
  });
  const review = await openTask(claim.caseId ?? '', 'district-review');
  return { ...claim, taskId: review.taskId };
}

/** A claim P1 asked the family about, waiting for the family's answer. */
async function familyTask(): Promise<Target> {
  const claim = await newClaim();
  await decide(await setUpProvider(providerOne), claim.taskId ?? '', {
    outcome: 'request-info',
    reason: '请补充户口簿照片',
  });
  const answer = await openTask(claim.caseId ?? '', 'supply-info');
  return { ...claim, taskId: answer.taskId };
}

/** Shared by the rows that only read it. */
let sharedClaim: Promise<Target> | undefined;
const readOnlyClaim = () => {
  sharedClaim ??= newClaim();
  return sharedClaim;
};

/** The local cloud's today in Huzhou (its clock may have been moved by other files). */
async function cloudToday(): Promise<string> {
  const clock = await api.request<{ now: string }>('GET', '/dev/clock');
  return new Date(Date.parse(clock.body.now) + 8 * 3600_000).toISOString().slice(0, 10);
}

const freshProviderId = () => `P-Z${randomUUID().slice(0, 8).toUpperCase()}`;

/** A filing by `providerId`'s first account, its three department reviews open. */
async function registrationFiling(providerId: string): Promise<Target> {
  const filer = await tokenOf({ sub: `${providerId}-filer`, roles: ['provider'], providerId });
  const filed = await expectStatus(
    api.request<{ caseId: string }>('POST', '/v1/provider-registrations', {
      token: filer,
      body: await readyFiling(api, filer),
      headers: { 'idempotency-key': randomUUID() },
    }),
    202,
    'registration filing',
  );
  figures.cases.add(filed.caseId);
  for (const review of ['health-review', 'fire-review', 'market-review']) {
    await openTask(filed.caseId, review);
  }
  return { scene: { ...mainScene(), providerId }, caseId: filed.caseId };
}

/** A provider registered through the whole workflow: reviews, inspection, the city's yes. */
async function registeredProvider(): Promise<string> {
  const providerId = freshProviderId();
  const { caseId = '' } = await registrationFiling(providerId);
  const [health, fire, market] = await Promise.all([
    openTask(caseId, 'health-review'),
    openTask(caseId, 'fire-review'),
    openTask(caseId, 'market-review'),
  ]);
  const caseworker = await setUpStaff('caseworker');
  const reviewed = { outcome: 'approve', data: { findings: ['材料齐全'] } };
  await decide(caseworker, health.taskId, reviewed);
  await decide(await setUpStaff('fire'), fire.taskId, reviewed);
  await decide(await setUpStaff('market'), market.taskId, reviewed);
  const inspection = await openTask(caseId, 'on-site-inspection');
  const today = await cloudToday();
  await expectStatus(
    api.request('POST', `/v1/tasks/${inspection.taskId}/claim`, {
      token: caseworker,
      body: { scheduledFor: today },
    }),
    200,
    'inspection claim',
  );
  await decide(caseworker, inspection.taskId, {
    outcome: 'approve',
    data: { inspectedOn: today, findings: [{ item: '室内活动面积', passed: true }] },
  });
  const confirmation = await openTask(caseId, 'city-confirmation');
  await decide(await setUpStaff('supervisor', 'city'), confirmation.taskId, {
    outcome: 'approve',
    reason: '同意备案',
  });
  await eventually(
    async () => {
      const items = await caseItems(caseId);
      return items.find((item) => item.sk === 'CASE')?.status === 'approved' ? true : undefined;
    },
    { timeoutMs: workflowWaitMs, intervalMs: 250 },
  );
  return providerId;
}

/** A guardian civil affairs knows as 低保. */
async function hardshipGuardian() {
  const idNumber = idNumberFor(`1990${String(randomInt(1, 13)).padStart(2, '0')}15`);
  await expectStatus(
    api.request('POST', '/dev/registry/residents', {
      body: {
        idNumber,
        name: '沈秀英',
        hukouDistrict: districtA,
        hardship: { category: 'dibao', validUntil: `${monthAgo(-24)}-28` },
      },
    }),
    201,
    'guardian',
  );
  return { idNumber, name: '沈秀英', phone: '13857200001' };
}

async function waiverApplication() {
  const child = await registerChild(api, { birthDate: bornMonthsAgo(14) });
  return {
    child,
    guardian: await hardshipGuardian(),
    providerId: providerOne,
    hardship: { category: 'dibao', certificateNo: 'HZ-DB-2026-0012' },
    term: { from: monthAgo(0), to: monthAgo(-2) },
    monthlyTuitionYuan: 1600,
    milkSubsidy: true,
  };
}

const uploadRequest = {
  kind: 'business-license',
  fileName: 'license.pdf',
  contentType: 'application/pdf',
  sizeBytes: 1024,
};

async function uploadedBy(token: string): Promise<string> {
  const requested = await expectStatus(
    api.request<{ ref: string }>('POST', '/v1/documents', { token, body: uploadRequest }),
    201,
    'document',
  );
  return requested.ref;
}

const batchFingerprint = async () => {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: paymentKeys.batch(quietMonth, districtA),
      ConsistentRead: true,
    }),
  );
  return JSON.stringify(Item ?? null);
};

// --- how each row is run ------------------------------------------------------------------

const get = (path: string): PlannedRequest => ({ method: 'GET', path });
const post = (path: string, body?: unknown, headers?: Record<string, string>): PlannedRequest => ({
  method: 'POST',
  path,
  ...(body === undefined ? {} : { body }),
  ...(headers ? { headers } : {}),
});
const creating = () => ({ 'idempotency-key': randomUUID() });
const itemsOf = (body: unknown) =>
  ((body as { items?: unknown[] }).items ?? []) as Record<string, unknown>[];

const sceneOnly = async (): Promise<Target> => ({ scene: mainScene() });

/** A queue's tasks: how one is set up, who holds it, what deciding it says. */
interface TaskKind {
  readonly target: string;
  readonly build: () => Promise<Target>;
  readonly holder: Persona;
  /** Who puts a claimed task back in its queue for the next claim. */
  readonly releaser: Persona | 'supervisor';
  readonly decision: Record<string, unknown>;
}

const taskKinds: readonly TaskKind[] = [
  {
    target: taskTargets.provider,
    build: newClaim,
    holder: { actor: 'provider', scope: 'own' },
    releaser: { actor: 'provider', scope: 'own' },
    decision: { outcome: 'approve', data: { monthlyFeeYuan: 1500 } },
  },
  {
    target: taskTargets.staff,
    build: staffTask,
    holder: { actor: 'caseworker', scope: 'same-district' },
    // Two caseworkers claim it in turn: only a supervisor may release the other's claim.
    releaser: 'supervisor',
    decision: { outcome: 'approve', reason: '材料齐全，符合条件' },
  },
  {
    target: taskTargets.family,
    build: familyTask,
    holder: { actor: 'citizen', scope: 'own' },
    releaser: { actor: 'citizen', scope: 'own' },
    decision: { outcome: 'approve', data: { message: '已上传户口簿照片' } },
  },
];

/** A plan for the five task routes, for tasks of one queue. */
function taskPlan(row: MatrixRow, kind: TaskKind, build: () => Promise<Target>): Plan {
  const path = (target: Target, action: string) => `/v1/tasks/${target.taskId}${action}`;
  /** Puts the task back in its queue (a no-op while it is open). */
  const release = async (target: Target) => {
    const releaser =
      kind.releaser === 'supervisor'
        ? setUpStaff('supervisor')
        : tokenFor(kind.releaser, target.scene);
    await expectStatus(
      api.request('POST', path(target, '/unclaim'), { token: await releaser }),
      200,
      'release',
    );
  };
  /** The holder takes the task (a no-op while it holds it). */
  const hold = async (target: Target) => {
    await expectStatus(
      api.request('POST', path(target, '/claim'), {
        token: await tokenFor(kind.holder, target.scene),
      }),
      200,
      'hold',
    );
  };
  const writes = { setUp: build, fingerprint: caseFingerprint };
  switch (row.route) {
    case 'GetTask':
      return { setUp: build, request: (_, target) => get(path(target, '')) };
    case 'ClaimTask':
      return { ...writes, prepare: release, request: (_, target) => post(path(target, '/claim')) };
    case 'UnclaimTask':
      return { ...writes, prepare: hold, request: (_, target) => post(path(target, '/unclaim')) };
    case 'AssignTask':
      return {
        ...writes,
        request: (_, target) =>
          post(path(target, '/assign'), { assignee: `authz-setup-caseworker-${districtA}` }),
      };
    case 'DecideTask':
      return {
        ...writes,
        freshForAllowed: true,
        request: (_, target) => post(path(target, '/decision'), kind.decision),
      };
    default:
      throw new Error(`no task plan for ${rowName(row)}`);
  }
}

function planFor(row: MatrixRow): Plan {
  const kind = taskKinds.find((candidate) => row.target.startsWith(candidate.target));
  if (kind) {
    // Reads share the target GetCase uses; every write gets a task of its own.
    const build =
      row.route === 'GetTask' && kind.target === taskTargets.provider ? readOnlyClaim : kind.build;
    return taskPlan(row, kind, build);
  }
  const name = rowName(row);
  switch (name) {
    case 'GetMe · the caller':
      return { setUp: sceneOnly, request: () => get('/v1/me') };
    case 'ListProviders · the public registry of district A':
      return { setUp: sceneOnly, request: () => get(`/v1/providers?district=${districtA}`) };
    case 'GetProvider · provider P1 (district A)':
      return { setUp: sceneOnly, request: () => get(`/v1/providers/${providerOne}`) };
    case 'SetProviderStatus · provider P1 (district A), asked for the status it has':
      return {
        setUp: sceneOnly,
        request: () =>
          post(`/v1/providers/${providerOne}/status`, {
            status: 'registered',
            reason: '授权矩阵：维持现状',
          }),
        fingerprint: async () =>
          JSON.stringify((await api.request('GET', `/v1/providers/${providerOne}`)).body),
      };
    case 'SubmitSubsidyClaim · a new claim at P1 for a newly registered child':
      return {
        setUp: sceneOnly,
        creates: 'subsidy-claim',
        request: async () =>
          post(
            '/v1/subsidy-claims',
            eligibleClaim(await registerChild(api), providerOne),
            creating(),
          ),
      };
    case 'SubmitTuitionWaiver · a new waiver application at P1 for a newly registered child':
      return {
        setUp: sceneOnly,
        creates: 'tuition-waiver',
        request: async () => post('/v1/tuition-waivers', await waiverApplication(), creating()),
      };
    case "SubmitProviderRegistration · a new filing for the caller's own, not yet registered provider":
      return {
        // Both providers are new: each files for itself, with documents its own account uploaded.
        setUp: async () => {
          const scene = {
            ...mainScene(),
            providerId: freshProviderId(),
            otherProviderId: freshProviderId(),
          };
          const own = await tokenFor({ actor: 'provider', scope: 'own' }, scene);
          return { scene, body: await readyFiling(api, own ?? '') };
        },
        creates: 'provider-registration',
        request: async (persona, target, token) =>
          post(
            '/v1/provider-registrations',
            persona.actor === 'provider' && persona.scope === 'other-provider'
              ? await readyFiling(api, token ?? '')
              : target.body,
            creating(),
          ),
      };
    case 'SubmitRegistrationChange · a change to the filing of P1, registered through the workflow':
      return {
        setUp: async () => ({ scene: { ...mainScene(), providerId: await registeredProvider() } }),
        creates: 'provider-registration',
        request: (_, target) => {
          const classes = [{ type: 'toddler' as const, count: 2, placesPerClass: 15 }];
          return post(
            `/v1/provider-registrations/${target.scene.providerId}/changes`,
            { classes, staff: compliantStaff(classes) },
            creating(),
          );
        },
      };
    case "GetCase · a family's claim at P1 in district A":
      return { setUp: readOnlyClaim, request: (_, target) => get(`/v1/cases/${target.caseId}`) };
    case "ListCases · ?mine=true, looking for a family's claim at P1":
      return {
        setUp: readOnlyClaim,
        request: () => get('/v1/cases?mine=true&limit=100'),
        shows: (body, target) => itemsOf(body).some((item) => item.caseId === target.caseId),
      };
    case 'ListCases · ?district=A':
      return { setUp: sceneOnly, request: () => get(`/v1/cases?district=${districtA}`) };
    case "WithdrawCase · a family's undecided claim at P1":
      return {
        setUp: newClaim,
        fingerprint: caseFingerprint,
        request: (_, target) => post(`/v1/cases/${target.caseId}/withdraw`),
      };
    case "WithdrawCase · P1's undecided registration filing, sent by another account of P1":
      return {
        setUp: () => registrationFiling(freshProviderId()),
        fingerprint: caseFingerprint,
        request: (_, target) => post(`/v1/cases/${target.caseId}/withdraw`),
      };
    case "ListTasks · the caller's inbox, looking for P1's open confirm-enrollment task":
      return {
        setUp: readOnlyClaim,
        request: () => get('/v1/tasks?limit=100'),
        shows: (body, target) => itemsOf(body).some((item) => item.taskId === target.taskId),
      };
    case 'ListTasks · ?status=escalated':
      return { setUp: sceneOnly, request: () => get('/v1/tasks?status=escalated') };
    case 'ListPayments · district A, a month without payments':
      return {
        setUp: sceneOnly,
        request: () => get(`/v1/payments?month=${quietMonth}&district=${districtA}`),
      };
    case 'DisbursePayments · district A, a month without payments (a repeat changes nothing)':
      return {
        setUp: sceneOnly,
        creates: 'batch',
        fingerprint: batchFingerprint,
        request: () => post('/v1/payments/disburse', { month: quietMonth, district: districtA }),
      };
    case 'RequestDocumentUpload · a new document':
      return {
        setUp: sceneOnly,
        creates: 'document',
        request: () => post('/v1/documents', uploadRequest),
      };
    case 'GetDocument · a document the family uploaded':
      return {
        setUp: async () => ({ scene: mainScene(), ref: await uploadedBy(await family()) }),
        request: (_, target) => get(`/v1/documents/${target.ref}`),
      };
    case 'GetDocument · a document another account of P1 uploaded':
      return {
        setUp: async () => ({
          scene: mainScene(),
          ref: await uploadedBy(await setUpProvider(providerOne)),
        }),
        request: (_, target) => get(`/v1/documents/${target.ref}`),
      };
    case "ListWaivers · P1's waivers of this month":
      return {
        setUp: sceneOnly,
        request: () => get(`/v1/waivers?providerId=${providerOne}&month=${monthAgo(0)}`),
      };
    case 'GetSlaStats · district A, the last 30 days':
      return {
        setUp: async () => {
          const to = await cloudToday();
          const from = new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
          return { scene: mainScene(), body: { from, to } };
        },
        request: (_, target) => {
          const { from, to } = target.body as { from: string; to: string };
          return get(`/v1/stats/sla?district=${districtA}&from=${from}&to=${to}`);
        },
      };
    default:
      throw new Error(`no plan for the matrix row "${name}"`);
  }
}

// --- running the cells --------------------------------------------------------------------

// Keyed by name: vitest hands `each` callbacks copies of their rows and cells, not the objects.
const plans = new Map(matrix.map((row) => [rowName(row), planFor(row)] as const));
const targets = new Map<string, Target>();
const freshTargets = new Map<string, Target>();
const cellId = (cell: MatrixCell) => `${rowName(cell.row)} · ${cell.name}`;

function targetOf(row: MatrixRow): Target {
  const target = targets.get(rowName(row));
  if (!target) throw new Error(`no target for ${rowName(row)}: its set-up failed`);
  return target;
}

/** Runs `jobs` at most `width` at a time (the workflows share 2 cores with the rest). */
async function inParallel(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  const queue = [...jobs];
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await job().catch((error: unknown) => errors.push(error));
      }
    }),
  );
  if (errors.length > 0) throw errors[0];
}

const errorCodeOf = (body: unknown) => (body as Partial<ErrorShape> | undefined)?.error?.code;

async function runCell(cell: MatrixCell, plan: Plan, target: Target): Promise<void> {
  // Prepare
  const claims = claimsOf(cell.persona, target.scene);
  const token = claims ? await tokenOf(claims) : undefined;
  const planned = await plan.request(cell.persona, target, token);

  // Act
  const response = await api.request(planned.method, planned.path, {
    ...(token ? { token } : {}),
    ...(planned.body === undefined ? {} : { body: planned.body }),
    ...(planned.headers ? { headers: planned.headers } : {}),
  });
  const allowed = isAllowed(cell.expected);
  figures.requests += 1;
  if (!allowed) figures.faults += 1;
  if (response.status >= 500) figures.serverErrors += 1;
  if (plan.creates && claims) {
    (allowed ? creators.allowed : creators.refused).add(`${plan.creates}|${claims.sub}`);
  }
  const caseId = (response.body as { caseId?: unknown } | undefined)?.caseId;
  if (response.status === 202 && typeof caseId === 'string') figures.cases.add(caseId);

  // Assess
  const answered = { status: response.status, code: errorCodeOf(response.body) };
  const detail = `${planned.method} ${planned.path} → ${JSON.stringify(response.body).slice(0, 300)}`;
  expect(answered, detail).toEqual({ status: cell.expected.status, code: cell.expected.code });
  if (cell.expected.sees !== undefined) {
    expect(plan.shows?.(response.body, target), `${detail} (shows the target?)`).toBe(
      cell.expected.sees,
    );
  }
}

const started = Date.now();

beforeAll(async () => {
  providerOne = await registerProvider(api, { district: districtA });
  providerTwo = await registerProvider(api, { district: districtB });
  familySub = `authz-family-${randomUUID().slice(0, 8)}`;
  // The full registration first: it is the longest chain of steps.
  const jobs = [...matrix]
    .sort(
      (a, b) =>
        Number(b.route === 'SubmitRegistrationChange') -
        Number(a.route === 'SubmitRegistrationChange'),
    )
    .flatMap((row) => {
      const plan = plans.get(rowName(row)) as Plan;
      return [
        async () => {
          targets.set(rowName(row), await plan.setUp());
        },
        ...(plan.freshForAllowed
          ? cellsOf(row)
              .filter((cell) => isAllowed(cell.expected))
              .map((cell) => async () => {
                freshTargets.set(cellId(cell), await plan.setUp());
              })
          : []),
      ];
    });
  await inParallel(jobs, 4);
}, 1_500_000);

describe.each(matrix.map((row) => ({ row, name: rowName(row) })))('$name', ({ row }) => {
  const plan = plans.get(rowName(row)) as Plan;
  const cells = cellsOf(row);
  const refused = cells.filter((cell) => !isAllowed(cell.expected));
  const allowed = cells.filter((cell) => isAllowed(cell.expected));
  let before: string | undefined;

  beforeAll(async () => {
    const target = targetOf(row);
    await plan.prepare?.(target);
    before = await plan.fingerprint?.(target);
  });

  if (refused.length > 0) {
    it.each(refused)('$name', async (cell) => {
      await runCell(cell, plan, targetOf(row));
    });
  }

  if (plan.fingerprint) {
    it('refusals changed nothing', async () => {
      // Prepare / Act
      const after = await plan.fingerprint?.(targetOf(row));

      // Assess
      if (after !== before) figures.dataLost += 1;
      expect(after).toBe(before);
    });
  }

  it.each(allowed)('$name', async (cell) => {
    const target = plan.freshForAllowed ? freshTargets.get(cellId(cell)) : targetOf(row);
    if (!target) throw new Error(`no fresh target for ${cell.name}`);
    await plan.prepare?.(target);
    await runCell(cell, plan, target);
  });
});

// --- tokens the API must not accept ---------------------------------------------------------

interface TokenCase {
  readonly name: string;
  readonly authorization: () => Promise<string>;
}

describe('tokens the API must not accept', () => {
  let signingJwk: JWK;
  const now = () => Math.floor(Date.now() / 1000);
  const genuine = (): JWTPayload => ({
    sub: 'authz-forger',
    'cognito:groups': ['admin'],
    iss: DEFAULT_ISSUER,
    aud: DEFAULT_AUDIENCE,
    iat: now(),
    exp: now() + 600,
    token_use: 'id',
  });
  const without = (claim: string): JWTPayload => {
    const { [claim]: _dropped, ...rest } = genuine();
    return rest;
  };
  const sign = async (payload: JWTPayload, key?: CryptoKey) => {
    const privateKey = key ?? ((await importJWK(signingJwk, 'ES256')) as CryptoKey);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: signingJwk.kid ?? '', typ: 'JWT' })
      .sign(privateKey);
  };
  const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
  /** HS256 with the issuer's public key as the HMAC secret: the classic algorithm confusion. */
  const hmacWithPublicKey = (secret: string) => {
    const header = base64url(JSON.stringify({ alg: 'HS256', kid: signingJwk.kid, typ: 'JWT' }));
    const body = base64url(JSON.stringify(genuine()));
    const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    return `${header}.${body}.${signature}`;
  };
  const publicJwk = () => {
    const { d: _private, ...rest } = signingJwk;
    return rest;
  };
  const bearer = (token: Promise<string> | string) =>
    Promise.resolve(token).then((t) => `Bearer ${t}`);

  const control: TokenCase = {
    name: 'a token signed like the issuer signs (control: 200)',
    authorization: () => bearer(sign(genuine())),
  };
  const forged: TokenCase[] = [
    {
      name: 'expired an hour ago',
      authorization: () => bearer(sign({ ...genuine(), iat: now() - 7200, exp: now() - 3600 })),
    },
    {
      name: 'not valid before an hour from now',
      authorization: () => bearer(sign({ ...genuine(), nbf: now() + 3600 })),
    },
    {
      name: 'issued an hour from now',
      authorization: () => bearer(sign({ ...genuine(), iat: now() + 3600, exp: now() + 7200 })),
    },
    {
      name: 'signed with another key (same kid)',
      authorization: async () =>
        bearer(sign(genuine(), (await generateKeyPair('ES256')).privateKey)),
    },
    {
      name: 'from another issuer',
      authorization: () => bearer(sign({ ...genuine(), iss: 'https://issuer.example/shanyu' })),
    },
    {
      name: 'for another audience',
      authorization: () => bearer(sign({ ...genuine(), aud: 'another-app' })),
    },
    { name: 'alg: none', authorization: () => bearer(new UnsecuredJWT(genuine()).encode()) },
    {
      name: 'HS256 keyed with the public JWK',
      authorization: () => bearer(hmacWithPublicKey(JSON.stringify(publicJwk()))),
    },
    {
      name: 'HS256 keyed with the public key PEM',
      authorization: () =>
        bearer(
          hmacWithPublicKey(
            createPublicKey({ key: publicJwk() as JsonWebKey, format: 'jwk' })
              .export({ type: 'spki', format: 'pem' })
              .toString(),
          ),
        ),
    },
    { name: 'without sub', authorization: () => bearer(sign(without('sub'))) },
    { name: 'without a roles claim', authorization: () => bearer(sign(without('cognito:groups'))) },
    { name: 'without exp', authorization: () => bearer(sign(without('exp'))) },
    {
      name: 'three random segments',
      authorization: async () =>
        `Bearer ${[16, 64, 64].map((n) => randomBytes(n).toString('base64url')).join('.')}`,
    },
    { name: 'an empty bearer', authorization: async () => 'Bearer ' },
    {
      name: 'the Basic scheme',
      authorization: async () => `Basic ${Buffer.from('authz-admin:secret').toString('base64')}`,
    },
  ];
  /** Authenticated routes a forged admin token would open: a read and a district listing. */
  const probes = [
    { route: 'GetMe', path: () => '/v1/me' },
    { route: 'ListCases', path: () => `/v1/cases?district=${districtA}` },
  ];

  beforeAll(async () => {
    signingJwk = JSON.parse(
      await readFile(join(cloud.dataDir, 'auth', SIGNING_KEY_FILE), 'utf8'),
    ) as JWK;
  });

  const send = async (authorization: string, path: string) => {
    const response = await api.request<ErrorShape>('GET', path, { headers: { authorization } });
    figures.requests += 1;
    if (response.status >= 500) figures.serverErrors += 1;
    return response;
  };

  it.each(probes)('$route lets the control token in', async ({ path }) => {
    // Prepare
    const authorization = await control.authorization();

    // Act
    const response = await send(authorization, path());

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });

  it.each(
    forged.flatMap((token) => probes.map((probe) => ({ ...probe, token, name: token.name }))),
  )('$route refuses a token $name with 401', async ({ token, path }) => {
    // Prepare
    const authorization = await token.authorization();

    // Act
    const response = await send(authorization, path());
    figures.faults += 1;

    // Assess
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });
});

// --- the end: quiet workflows, nothing made by refused callers, the figures ----------------

/** Waits until every case this file started is waiting on someone or finished. */
async function settled(): Promise<void> {
  const finals = new Set(['approved', 'rejected', 'withdrawn', 'expired']);
  const deadline = Date.now() + 180_000;
  for (const caseId of figures.cases) {
    let previous = '';
    while (Date.now() < deadline) {
      const items = await caseItems(caseId);
      const record = items.find((item) => item.sk === 'CASE');
      const waiting = items.some(
        (item) => String(item.sk).startsWith('TASK#') && ['open', 'claimed'].includes(item.status),
      );
      const state = `${record?.version}|${record?.status}`;
      if ((finals.has(String(record?.status)) || waiting) && state === previous) break;
      previous = state;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Cases, documents and batches made by a caller the matrix refused (and never allowed). */
async function madeByRefusedCallers(): Promise<string[]> {
  const stray: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#entity = :case OR begins_with(pk, :doc) OR begins_with(pk, :batch)',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':case': 'Case', ':doc': 'DOC#', ':batch': 'PAYBATCH#' },
        ProjectionExpression: 'pk, caseType, applicantSub, ownerSub, startedBy',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      const made = pk.startsWith('DOC#')
        ? `document|${item.ownerSub}`
        : pk.startsWith('PAYBATCH#')
          ? `batch|${item.startedBy}`
          : `${item.caseType}|${item.applicantSub}`;
      if (creators.refused.has(made) && !creators.allowed.has(made)) stray.push(`${pk} ${made}`);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return stray;
}

describe('afterwards', () => {
  it('has nothing written by a caller it refused', async () => {
    // Prepare: the workflows this file started are waiting on someone or done
    await settled();

    // Act
    const stray = await madeByRefusedCallers();

    // Assess
    figures.dataLost += stray.length;
    expect(stray).toEqual([]);
  }, 600_000);
});

afterAll(() => {
  const callers = cellsOf(matrix[0] as MatrixRow).length;
  const seconds = Math.round((Date.now() - started) / 1000);
  recordReliability({
    suite: 'authorization matrix',
    cases: figures.cases.size,
    requests: figures.requests,
    faults: figures.faults,
    dataLost: figures.dataLost,
    serverErrors: figures.serverErrors,
    note: `${matrix.length * callers} cells (${matrix.length} route targets × ${callers} callers), forged tokens; ${seconds} s`,
  });
});
