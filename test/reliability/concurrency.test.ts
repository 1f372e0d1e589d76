import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
} from '@aws-sdk/client-sfn';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../../shared/auth/roles.ts';
import { caseIdFor } from '../../shared/cases/case-id.ts';
import { keys } from '../../shared/db/keys.ts';
import { paymentItems } from '../../shared/payments/payment-items.ts';
import { batchIdFor, paymentKeys } from '../../shared/payments/payment-keys.ts';
import { claimLockKey } from '../../shared/subsidy/claim-locks.ts';
import { ApiClient, type ApiResponse, type ErrorShape } from '../support/api-client.ts';
import { putAll } from '../support/batch-put.ts';
import { bornMonthsAgo, idNumberFor, monthAgo } from '../support/ids.ts';
import { eventually, localClients, openTaskOfType } from '../support/local-aws-clients.ts';
import { partitionItems } from '../support/query-all.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';
import { recordReliability } from './support/summary.ts';

const cloud = inject('cloud');
const tableName = cloud.tables[0] ?? '';
const stateMachineArn = cloud.stateMachines.SubsidyClaim ?? '';
const { sfn, documents } = localClients(cloud.parts);

/** What the summary reports for this file, added up as the races run. */
const figures = { cases: 0, requests: 0, faults: 0, dataLost: 0, serverErrors: 0 };
/** How the withdrawal races ended, for the summary's note. */
const withdrawalEndings: string[] = [];

/** The API client, counting what it sends to the product's routes and the 5xx those answer. */
class CountingApiClient extends ApiClient {
  override async request<T = unknown>(
    ...args: Parameters<ApiClient['request']>
  ): Promise<ApiResponse<T>> {
    const response = await super.request<T>(...args);
    if (args[1].startsWith('/v1/')) {
      figures.requests++;
      if (response.status >= 500) figures.serverErrors++;
    }
    return response;
  }
}

const api = new CountingApiClient(cloud.url);

// Generous: on 2 cores the races share the CPU with DynamoDB Local and the workflows they start.
const raceTimeoutMs = 600_000;

afterAll(() => {
  recordReliability({
    suite: 'concurrency',
    ...figures,
    note: `one winner per race: 50 claim submissions (same key, fresh keys), 20 decisions, claims of a task, withdraw vs approve (${withdrawalEndings.join(', ') || 'not run'}), 10 disbursements; losers a clean 409`,
  });
});

type Reply = ApiResponse<Partial<ErrorShape>>;

/**
 * Every answer of a race is the winner's status or a refusal in the API's error shape with one
 * of the codes the product promises for that race; never a 5xx. Returns what did not fit.
 */
function unexpectedReplies(
  replies: readonly Reply[],
  winnerStatus: number,
  refusalCodes: readonly string[],
): { status: number; code?: string }[] {
  return replies.flatMap((reply) => {
    if (reply.status === winnerStatus) return [];
    const code = reply.body?.error?.code;
    const clean =
      reply.status === 409 &&
      typeof code === 'string' &&
      refusalCodes.includes(code) &&
      typeof reply.body.error?.message === 'string';
    return clean ? [] : [{ status: reply.status, ...(code ? { code } : {}) }];
  });
}

/** Counts a race's losers as faults and adds what was lost or duplicated. */
function tally(race: { requests: number; winners: number; lost: number }) {
  figures.faults += race.requests - race.winners;
  figures.dataLost += race.lost;
}

const token = (
  sub: string,
  roles: Role[],
  extra: { district?: string; providerId?: string } = {},
) => api.token({ sub, roles, ...extra });

async function newFamily() {
  const sub = `family-${randomUUID()}`;
  return { sub, token: await token(sub, ['citizen']) };
}

function submitClaim(familyToken: string, form: unknown, idempotencyKey: string) {
  return api.request<ErrorShape & { caseId: string; status: string }>(
    'POST',
    '/v1/subsidy-claims',
    { token: familyToken, body: form, headers: { 'idempotency-key': idempotencyKey } },
  );
}

function decide(taskId: string, as: string, body: Record<string, unknown>) {
  return api.request<ErrorShape & Record<string, unknown>>('POST', `/v1/tasks/${taskId}/decision`, {
    token: as,
    body,
  });
}

const executionArnOf = (caseId: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

function settled(caseId: string): Promise<DescribeExecutionCommandOutput> {
  return eventually(
    async () => {
      const execution = await sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(caseId) }),
      );
      return execution.status === 'RUNNING' ? undefined : execution;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}

/** Items of a partition whose sort key begins with the prefix, read consistently. */
const itemsOf = (pk: string, skPrefix: string) =>
  partitionItems(documents, tableName, pk, skPrefix);

async function getItem(key: { pk: string; sk: string }) {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}

const caseEvents = (caseId: string) => itemsOf(keys.case(caseId).pk, keys.caseEventPrefix);
const caseTasks = (caseId: string) => itemsOf(keys.case(caseId).pk, keys.caseTaskPrefix);
const casePayments = (caseId: string) =>
  itemsOf(paymentKeys.casePaymentsPartition(caseId), 'MONTH#');

/** How many of these case ids have a case item. */
async function storedCases(caseIds: readonly string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < caseIds.length; i += 100) {
    const result = await documents.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            Keys: caseIds.slice(i, i + 100).map((caseId) => keys.case(caseId)),
            ConsistentRead: true,
          },
        },
      }),
    );
    found += result.Responses?.[tableName]?.length ?? 0;
  }
  return found;
}

/** How many of these case ids have an execution of the subsidy-claim workflow. */
async function executionsNamed(caseIds: readonly string[]): Promise<number> {
  const names = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
    );
    for (const execution of page.executions ?? []) names.add(execution.name ?? '');
    nextToken = page.nextToken;
  } while (nextToken);
  return caseIds.filter((caseId) => names.has(caseId)).length;
}

async function historyOf(caseId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: executionArnOf(caseId),
        maxResults: 1000,
        nextToken,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Which of the child's months are locked by a case other than `caseId` (or by none). */
async function monthsNotHeldBy(
  caseId: string,
  childIdNumber: string,
  months: readonly string[],
): Promise<string[]> {
  const held = await Promise.all(
    months.map(async (month) => (await getItem(claimLockKey(childIdNumber, month)))?.caseId),
  );
  return months.filter((_, index) => held[index] !== caseId);
}

/** Which of the child's months are still locked (by anyone). */
async function monthsLocked(childIdNumber: string, months: readonly string[]): Promise<string[]> {
  const held = await Promise.all(
    months.map((month) => getItem(claimLockKey(childIdNumber, month))),
  );
  return months.filter((_, index) => held[index] !== undefined);
}

interface FiledClaim {
  caseId: string;
  family: { sub: string; token: string };
  providerId: string;
  district: string;
  child: { idNumber: string; name: string };
  months: string[];
}

/** A family files an eligible claim at a provider of its own in the district. */
async function fileClaim(district: string, months?: string[]): Promise<FiledClaim> {
  const providerId = await registerProvider(api, { district });
  const child = await registerChild(api, { birthDate: bornMonthsAgo(14) });
  const family = await newFamily();
  const form = eligibleClaim(child, providerId, months);
  const submitted = await submitClaim(family.token, form, randomUUID());
  if (submitted.status !== 202) throw new Error(`claim not filed: ${submitted.status}`);
  figures.cases++;
  return {
    caseId: submitted.body.caseId,
    family,
    providerId,
    district,
    child,
    months: form.months,
  };
}

const providerStaff = (claim: FiledClaim, n: number) =>
  token(`${claim.providerId}-staff-${n}`, ['provider'], { providerId: claim.providerId });

const caseworker = (district: string, name: string) =>
  token(`${district}-cw-${name}`, ['caseworker'], { district });

/** The provider confirms the enrolment; returns the district's review task. */
async function toDistrictReview(claim: FiledClaim) {
  const confirm = await openTaskOfType(documents, tableName, claim.caseId, 'confirm-enrollment');
  const confirmed = await decide(confirm.taskId, await providerStaff(claim, 0), {
    outcome: 'approve',
  });
  if (confirmed.status !== 200) throw new Error(`enrolment not confirmed: ${confirmed.status}`);
  return openTaskOfType(documents, tableName, claim.caseId, 'district-review');
}

describe('concurrency: one winner per race, the rest a clean 409', () => {
  beforeAll(async () => {
    // Ten sandboxes of each raced function, started before the races: locally a cold start runs
    // on the same cores as the invocations already running (in Lambda it has its own), and ten of
    // them at once on 2 busy cores pushed a running submission past its 10 s timeout (a 500 from
    // the gateway) although nothing went wrong in the product. Every request here is refused
    // before anything is written.
    const family = await token(`family-${randomUUID()}`, ['citizen']);
    const staff = await token('warm-up-cw', ['caseworker'], { district: 'wuxing' });
    const finance = await token('warm-up-fin', ['finance'], { district: 'city' });
    const refusals = [
      () =>
        api.request('POST', '/v1/subsidy-claims', {
          token: family,
          body: {},
          headers: { 'idempotency-key': randomUUID() },
        }),
      () => api.request('POST', '/v1/tasks/T-none/claim', { token: staff }),
      () => api.request('POST', '/v1/tasks/T-none/unclaim', { token: staff }),
      () =>
        api.request('POST', '/v1/tasks/T-none/decision', {
          token: staff,
          body: { outcome: 'approve' },
        }),
      () => api.request('POST', '/v1/payments/disburse', { token: finance, body: {} }),
    ];
    // One function at a time: fifty cold starts at once would starve each other.
    const replies: ApiResponse[] = [];
    for (const refusal of refusals) {
      replies.push(...(await Promise.all(Array.from({ length: 10 }, refusal))));
    }
    const unexpected = replies.filter((reply) => reply.status < 400 || reply.status >= 500);
    if (unexpected.length > 0) {
      throw new Error(`warm-up not refused: ${unexpected.map((r) => r.status).join(', ')}`);
    }
  }, raceTimeoutMs);

  it(
    '50 concurrent submissions of one claim with the same Idempotency-Key file one case',
    async () => {
      // Prepare
      const providerId = await registerProvider(api);
      const child = await registerChild(api, { birthDate: bornMonthsAgo(14) });
      const family = await newFamily();
      const form = eligibleClaim(child, providerId);
      const key = randomUUID();
      const caseId = caseIdFor('subsidy-claim', family.sub, key);

      // Act
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => submitClaim(family.token, form, key)),
      );
      const retried = await submitClaim(family.token, form, key);
      await openTaskOfType(documents, tableName, caseId, 'confirm-enrollment');
      const familyCases = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.applicantCasesPartition(family.sub) },
        }),
      );
      const submittedEvents = (await caseEvents(caseId)).filter((e) => e.type === 'case.submitted');
      const executions = await executionsNamed([caseId]);
      const unlocked = await monthsNotHeldBy(caseId, child.idNumber, form.months);
      const tasks = await caseTasks(caseId);

      // Assess
      const accepted = replies.filter((r) => r.status === 202);
      const lost =
        Math.abs((familyCases.Items?.length ?? 0) - 1) +
        Math.abs(submittedEvents.length - 1) +
        Math.abs(executions - 1) +
        unlocked.length +
        Math.abs(tasks.length - 1);
      figures.cases++;
      tally({ requests: replies.length, winners: 1, lost });
      expect(unexpectedReplies(replies, 202, ['REQUEST_IN_PROGRESS'])).toEqual([]);
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(new Set(accepted.map((r) => r.body.caseId))).toEqual(new Set([caseId]));
      expect(retried.status).toBe(202);
      expect(retried.body.caseId).toBe(caseId);
      expect(familyCases.Items?.map((item) => item.caseId)).toEqual([caseId]);
      expect(submittedEvents).toHaveLength(1);
      expect(executions).toBe(1);
      expect(unlocked).toEqual([]);
      expect(tasks).toHaveLength(1);
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );

  it(
    '50 concurrent submissions of one child-month with fresh Idempotency-Keys file one case; the rest hear DUPLICATE_CLAIM',
    async () => {
      // Prepare: a family double-clicking, each click with a key of its own
      const providerId = await registerProvider(api);
      const child = await registerChild(api, { birthDate: bornMonthsAgo(14) });
      const family = await newFamily();
      const form = eligibleClaim(child, providerId);
      const attempts = Array.from({ length: 50 }, () => randomUUID());
      const caseIds = attempts.map((key) => caseIdFor('subsidy-claim', family.sub, key));

      // Act
      const replies = await Promise.all(
        attempts.map((key) => submitClaim(family.token, form, key)),
      );
      const winner = replies.find((r) => r.status === 202)?.body.caseId ?? '';
      if (winner) await openTaskOfType(documents, tableName, winner, 'confirm-enrollment');
      const cases = await storedCases(caseIds);
      const executions = await executionsNamed(caseIds);
      const unlocked = await monthsNotHeldBy(winner, child.idNumber, form.months);
      const tasks = winner ? await caseTasks(winner) : [];

      // Assess
      const accepted = replies.filter((r) => r.status === 202);
      const lost =
        Math.abs(cases - 1) +
        Math.abs(executions - 1) +
        unlocked.length +
        Math.abs(tasks.length - 1);
      figures.cases++;
      tally({ requests: replies.length, winners: accepted.length, lost });
      expect(unexpectedReplies(replies, 202, ['DUPLICATE_CLAIM'])).toEqual([]);
      expect(accepted).toHaveLength(1);
      expect(caseIds).toContain(winner);
      expect(cases).toBe(1);
      expect(executions).toBe(1);
      expect(unlocked).toEqual([]);
      expect(tasks).toHaveLength(1);
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );

  it(
    '20 concurrent approve and reject decisions on one review task record one, and the workflow moves on once',
    async () => {
      // Prepare: eight clicks by one caseworker, twelve by others; half approve, half reject
      const claim = await fileClaim('wuxing');
      const review = await toDistrictReview(claim);
      const deciders = await Promise.all(
        Array.from({ length: 20 }, async (_, n) => {
          const name = n < 8 ? 'same' : `other-${n}`;
          const body =
            n % 2 === 0
              ? { outcome: 'approve', reason: `${name} approves` }
              : { outcome: 'reject', reason: `${name} rejects` };
          return { sub: `wuxing-cw-${name}`, body, token: await caseworker('wuxing', name) };
        }),
      );

      // Act
      const replies = await Promise.all(
        deciders.map((decider) => decide(review.taskId, decider.token, decider.body)),
      );
      const execution = await settled(claim.caseId);
      const task = await getItem(keys.caseTask(claim.caseId, review.taskId));
      const events = await caseEvents(claim.caseId);
      const history = await historyOf(claim.caseId);
      const payments = await casePayments(claim.caseId);
      const locked = await monthsLocked(claim.child.idNumber, claim.months);

      // Assess
      const winners = replies.flatMap((r, n) => (r.status === 200 ? [deciders[n]] : []));
      const won = winners[0];
      const approved = won?.body.outcome === 'approve';
      const decided = events.filter((e) => e.type === 'task.decided' && e.taskId === review.taskId);
      const outcomes = events.filter(
        (e) => e.type === 'case.approved' || e.type === 'case.rejected',
      );
      const marker = `"taskId":"${review.taskId}"`;
      const handedOver = history.filter((e) =>
        e.taskSucceededEventDetails?.output?.includes(marker),
      );
      const reviewChoices = history.filter(
        (e) =>
          e.type === 'ChoiceStateEntered' && e.stateEnteredEventDetails?.name === 'Review decision',
      );
      const expectedPayments = approved ? claim.months.length : 0;
      const lost =
        Math.abs(decided.length - 1) +
        Math.abs(outcomes.length - 1) +
        Math.abs(handedOver.length - 1) +
        Math.abs(reviewChoices.length - 1) +
        Math.abs(payments.length - expectedPayments) +
        // Approved keeps the child-months; rejected frees them.
        (approved ? claim.months.length - locked.length : locked.length);
      tally({ requests: replies.length, winners: winners.length, lost });
      expect(unexpectedReplies(replies, 200, ['TASK_ALREADY_DECIDED'])).toEqual([]);
      expect(winners).toHaveLength(1);
      expect(task).toMatchObject({
        status: 'done',
        decision: { outcome: won?.body.outcome, reason: won?.body.reason, decidedBy: won?.sub },
        delivery: 'delivered',
      });
      expect(decided).toHaveLength(1);
      expect(decided[0]?.actor).toMatchObject({ sub: won?.sub });
      expect(outcomes.map((e) => e.type)).toEqual([approved ? 'case.approved' : 'case.rejected']);
      expect(handedOver).toHaveLength(1);
      expect(reviewChoices).toHaveLength(1);
      expect(execution.status).toBe('SUCCEEDED');
      expect(payments).toHaveLength(expectedPayments);
      expect(locked).toHaveLength(approved ? claim.months.length : 0);
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );

  it(
    '10 concurrent claims of one task (a double-click among them) leave it with one holder',
    async () => {
      // Prepare: staff 1 clicks twice
      const claim = await fileClaim('wuxing');
      const confirm = await openTaskOfType(
        documents,
        tableName,
        claim.caseId,
        'confirm-enrollment',
      );
      const claimants = await Promise.all(
        [1, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(async (n) => ({
          sub: `${claim.providerId}-staff-${n}`,
          token: await providerStaff(claim, n),
        })),
      );

      // Act
      const replies = await Promise.all(
        claimants.map((claimant) =>
          api.request<ErrorShape & { claimedBy?: string }>(
            'POST',
            `/v1/tasks/${confirm.taskId}/claim`,
            { token: claimant.token },
          ),
        ),
      );
      const task = await getItem(keys.caseTask(claim.caseId, confirm.taskId));
      const claimedEvents = (await caseEvents(claim.caseId)).filter(
        (e) => e.type === 'task.claimed' && e.taskId === confirm.taskId,
      );

      // Assess
      const holder = String(task?.claimedBy);
      const winners = replies.filter((r) => r.status === 200);
      const lost = Math.abs(claimedEvents.length - 1);
      tally({ requests: replies.length, winners: winners.length, lost });
      expect(unexpectedReplies(replies, 200, ['TASK_ALREADY_CLAIMED'])).toEqual([]);
      expect(task).toMatchObject({ status: 'claimed' });
      expect(claimants.map((c) => c.sub)).toContain(holder);
      // Only the holder hears 200 (its own second click is a no-op); everyone else a 409.
      expect(winners.map((r) => r.body.claimedBy)).toEqual(winners.map(() => holder));
      replies.forEach((reply, n) => {
        expect(reply.status).toBe(claimants[n]?.sub === holder ? 200 : 409);
      });
      expect(claimedEvents).toHaveLength(1);
      expect(claimedEvents[0]?.actor).toMatchObject({ sub: holder });
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );

  it(
    'one person clicking claim ten times at once, then give-back ten times, hears 200 each time; each lands once',
    async () => {
      // Prepare
      const claim = await fileClaim('wuxing');
      const confirm = await openTaskOfType(
        documents,
        tableName,
        claim.caseId,
        'confirm-enrollment',
      );
      const staff = await providerStaff(claim, 1);
      const clicks = (action: 'claim' | 'unclaim') =>
        Promise.all(
          Array.from({ length: 10 }, () =>
            api.request<ErrorShape & { status?: string; claimedBy?: string }>(
              'POST',
              `/v1/tasks/${confirm.taskId}/${action}`,
              { token: staff },
            ),
          ),
        );

      // Act
      const claims = await clicks('claim');
      const claimed = await getItem(keys.caseTask(claim.caseId, confirm.taskId));
      const givesBack = await clicks('unclaim');
      const givenBack = await getItem(keys.caseTask(claim.caseId, confirm.taskId));
      const events = (await caseEvents(claim.caseId)).filter((e) => e.taskId === confirm.taskId);

      // Assess
      const count = (type: string) => events.filter((e) => e.type === type).length;
      const lost = Math.abs(count('task.claimed') - 1) + Math.abs(count('task.unclaimed') - 1);
      const replies = [...claims, ...givesBack];
      tally({ requests: replies.length, winners: 2, lost });
      expect(unexpectedReplies(replies, 200, [])).toEqual([]);
      expect(claims.map((r) => r.body.claimedBy)).toEqual(
        claims.map(() => `${claim.providerId}-staff-1`),
      );
      expect(givesBack.map((r) => r.body.status)).toEqual(givesBack.map(() => 'open'));
      expect(claimed).toMatchObject({
        status: 'claimed',
        claimedBy: `${claim.providerId}-staff-1`,
      });
      expect(givenBack?.status).toBe('open');
      expect(givenBack?.claimedBy).toBeUndefined();
      expect(count('task.claimed')).toBe(1);
      expect(count('task.unclaimed')).toBe(1);
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );

  it(
    'a withdrawal racing the approval ends the case one way: withdrawn without payments, or approved with them',
    async () => {
      // Prepare: three cases at the district's review
      const claims = await Promise.all([0, 1, 2].map(() => fileClaim('wuxing')));
      const reviews = await Promise.all(claims.map(toDistrictReview));
      const approver = await caseworker('wuxing', 'racer');

      // Act
      const races = await Promise.all(
        claims.map(async (claim, n) => {
          const [withdrawal, decision] = await Promise.all([
            api.request<ErrorShape & { status?: string }>(
              'POST',
              `/v1/cases/${claim.caseId}/withdraw`,
              { token: claim.family.token },
            ),
            decide(reviews[n]?.taskId ?? '', approver, { outcome: 'approve' }),
          ]);
          return { claim, withdrawal, decision };
        }),
      );
      const outcomes = await Promise.all(
        races.map(async ({ claim, withdrawal, decision }) => {
          const execution = await settled(claim.caseId);
          const stored = await getItem(keys.case(claim.caseId));
          const events = await caseEvents(claim.caseId);
          return {
            withdrawal,
            decision,
            execution,
            status: String(stored?.status),
            endings: events.filter(
              (e) => e.type === 'case.approved' || e.type === 'case.withdrawn',
            ),
            payments: await casePayments(claim.caseId),
            locked: await monthsLocked(claim.child.idNumber, claim.months),
            months: claim.months.length,
            openTasks: (await caseTasks(claim.caseId)).filter(
              (t) => t.status === 'open' || t.status === 'claimed',
            ),
          };
        }),
      );

      // Assess
      let lost = 0;
      for (const outcome of outcomes) {
        withdrawalEndings.push(
          outcome.status === 'withdrawn'
            ? `withdrawn${outcome.decision.status === 200 ? ' after the decision' : ''}`
            : outcome.status,
        );
        const withdrawn = outcome.status === 'withdrawn';
        const expectedPayments = withdrawn ? 0 : outcome.months;
        lost +=
          Math.abs(outcome.endings.length - 1) +
          Math.abs(outcome.payments.length - expectedPayments) +
          Math.abs(outcome.locked.length - expectedPayments) +
          outcome.openTasks.length;
      }
      const replies = outcomes.flatMap((o) => [o.withdrawal, o.decision]);
      tally({
        requests: replies.length,
        winners: replies.filter((r) => r.status === 200).length,
        lost,
      });
      for (const outcome of outcomes) {
        const withdrawn = outcome.status === 'withdrawn';
        expect(['withdrawn', 'approved']).toContain(outcome.status);
        expect(unexpectedReplies([outcome.withdrawal], 200, ['CASE_ALREADY_DECIDED'])).toEqual([]);
        expect(unexpectedReplies([outcome.decision], 200, ['TASK_CLOSED'])).toEqual([]);
        // The withdrawal is refused only once the case is approved.
        expect(outcome.withdrawal.status).toBe(withdrawn ? 200 : 409);
        // Without a recorded decision there is nothing to approve.
        if (!withdrawn) expect(outcome.decision.status).toBe(200);
        expect(outcome.endings.map((e) => e.type)).toEqual([
          withdrawn ? 'case.withdrawn' : 'case.approved',
        ]);
        // A withdrawal landing while the approval step runs lets that step find the case
        // withdrawn and end the execution before it is stopped: the case record is what counts.
        expect(withdrawn ? ['ABORTED', 'SUCCEEDED'] : ['SUCCEEDED']).toContain(
          outcome.execution.status,
        );
        expect(outcome.payments).toHaveLength(withdrawn ? 0 : outcome.months);
        expect(outcome.locked).toHaveLength(withdrawn ? 0 : outcome.months);
        expect(outcome.openTasks).toEqual([]);
      }
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );

  it(
    '10 concurrent disbursements of one batch: one disburses, the rest hear DISBURSEMENT_IN_PROGRESS or get its result; each payment paid once',
    async () => {
      // Prepare: a month and district no other reliability file pays (a batch is one per month and
      // district, for good): three claims approved through the workflow, and 120 payments of
      // approved claims filed directly, so that the batch takes a while to disburse.
      const district = 'changxing';
      const month = monthAgo(4);
      const claims = await Promise.all([0, 1, 2].map(() => fileClaim(district, [month])));
      const approver = await caseworker(district, 'approver');
      await Promise.all(
        claims.map(async (claim) => {
          const review = await toDistrictReview(claim);
          const approved = await decide(review.taskId, approver, { outcome: 'approve' });
          if (approved.status !== 200) throw new Error(`not approved: ${approved.status}`);
          const execution = await settled(claim.caseId);
          if (execution.status !== 'SUCCEEDED')
            throw new Error(`not approved: ${execution.status}`);
        }),
      );
      const seeded = Array.from({ length: 120 }, (_, n) => ({
        caseId: `SC-RACE${randomUUID().slice(0, 8).toUpperCase()}-${n}`,
        childIdNumber: idNumberFor(bornMonthsAgo(14)),
      }));
      const seededItems = seeded.flatMap(({ caseId, childIdNumber }) =>
        paymentItems(
          {
            caseId,
            district,
            providerId: 'P-RACE-0001',
            childIdNumber,
            childName: '沈小禾',
            months: [month],
            amountYuanPerMonth: 300,
            policyVersion: 'race',
            createdAt: new Date().toISOString(),
          },
          tableName,
        ).map((put) => put.Put.Item),
      );
      await putAll(documents, tableName, seededItems);
      const payers = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          n < 3
            ? token('city-fin-1', ['finance'], { district: 'city' })
            : token(`${district}-fin-${n % 2}`, ['finance'], { district }),
        ),
      );
      const paymentKeysOf = [
        ...claims.map((claim) => paymentKeys.payment(claim.caseId, month, 'enrollment-subsidy')),
        ...seeded.map(({ caseId }) => paymentKeys.payment(caseId, month, 'enrollment-subsidy')),
      ];

      // Act
      const replies = await Promise.all(
        payers.map((payer) =>
          api.request<
            ErrorShape & { batchId?: string; alreadyDisbursed?: boolean; count?: number }
          >('POST', '/v1/payments/disburse', { token: payer, body: { month, district } }),
        ),
      );
      const again = await api.request<{ alreadyDisbursed: boolean; count: number }>(
        'POST',
        '/v1/payments/disburse',
        { token: payers[0], body: { month, district } },
      );
      const batch = await getItem(paymentKeys.batch(month, district));
      const payments = await Promise.all(paymentKeysOf.map(getItem));
      const inPartition = await eventually(async () => {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :pk',
            ExpressionAttributeValues: {
              ':pk': paymentKeys.monthlyPaymentsPartition(month, district),
            },
            Select: 'COUNT',
          }),
        );
        return page.Count;
      });

      // Assess
      const total = paymentKeysOf.length;
      const disbursers = replies.filter(
        (r) => r.status === 200 && r.body.alreadyDisbursed === false,
      );
      const notPaid = payments.filter(
        (p) => p?.status !== 'disbursed' || p.batchId !== batchIdFor(month, district),
      );
      const lost =
        notPaid.length + Math.abs(Number(batch?.count) - total) + Math.abs(inPartition - total);
      tally({ requests: replies.length, winners: disbursers.length, lost });
      expect(unexpectedReplies(replies, 200, ['DISBURSEMENT_IN_PROGRESS'])).toEqual([]);
      expect(disbursers).toHaveLength(1);
      expect(disbursers[0]?.body.count).toBe(total);
      // Whoever came after the winner finished gets its result, changed nothing.
      for (const late of replies.filter((r) => r.status === 200 && r !== disbursers[0])) {
        expect(late.body).toMatchObject({ alreadyDisbursed: true, count: total });
      }
      expect(again.body).toEqual({
        batchId: batchIdFor(month, district),
        alreadyDisbursed: true,
        count: total,
      });
      expect(batch).toMatchObject({ status: 'disbursed', count: total });
      expect(notPaid).toEqual([]);
      expect(inPartition).toBe(total);
      expect(lost).toBe(0);
    },
    raceTimeoutMs,
  );
});
