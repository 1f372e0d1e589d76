import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor, CaseEvent, CaseRecord } from '../cases/case-record.ts';
import {
  type CaseChange,
  CaseNotFoundError,
  ChangeRefusedError,
  changeCase,
  getCase,
  listCaseEvents,
} from '../cases/case-store.ts';
import { now as clockNow } from '../clock/index.ts';
import { eachLimited } from '../concurrency/each-limited.ts';
import { documentClient, tableName } from '../db/client.ts';
import { outboxPut } from '../notifications/outbox.ts';
import { logger } from '../observability/index.ts';
import { paymentKeys } from '../payments/payment-keys.ts';
import { type PaymentRecord, paymentRecordSchema } from '../payments/payment-record.ts';
import { type Registries, RegistryUnavailableError } from '../registries/registries.ts';
import type { HardshipRecord } from '../registries/registry-records.ts';
import { addMonths, firstDayOf, shanghaiMonth } from '../subsidy/policy/shanghai-calendar.ts';
import { waiverFormSchema } from './waiver-form.ts';
import { releaseWaiverLockItems } from './waiver-locks.ts';
import {
  listActiveWaiverCases,
  listCaseWaivers,
  type WaiverRecord,
  type WaiverStopReason,
  type WaiverTable,
  waiverKeys,
} from './waiver-records.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The benefit whose pending payments stop with the waiver. */
export const milkBenefit = 'milk-subsidy';

export const recheckActor: Actor = { kind: 'system', component: 'hardship-recheck' };

/** The month the re-check is for: the one after `at`'s month, in Huzhou. */
export const recheckMonthAt = (at: Date) => addMonths(shanghaiMonth(at), 1);

/** A hardship status counts for a month when it holds on the month's first day, or later. */
export function hardshipStillValid(record: HardshipRecord | undefined, month: string): boolean {
  return record !== undefined && record.validUntil >= firstDayOf(month);
}

/** What civil affairs holds for the family: the guardian's record, then the child's. */
export interface HardshipFound {
  readonly guardian?: HardshipRecord;
  readonly child?: HardshipRecord;
}

export type RecheckVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: WaiverStopReason };

/**
 * Either record keeps the waiver, as either sufficed to grant it. Without one still valid:
 * `expired` when civil affairs still lists the family but only until before the month, `revoked`
 * when it lists neither of them any more.
 */
export function recheckVerdict(found: HardshipFound, month: string): RecheckVerdict {
  const records = [found.guardian, found.child];
  if (records.some((record) => hardshipStillValid(record, month))) return { valid: true };
  return { valid: false, reason: records.some(Boolean) ? 'expired' : 'revoked' };
}

/** Asks the civil-affairs registry; the child is looked up only when the guardian's record fails. */
export async function checkHardship(
  registries: Pick<Registries, 'findHardship'>,
  ids: { readonly guardianIdNumber: string; readonly childIdNumber: string },
  month: string,
): Promise<RecheckVerdict> {
  const guardian = await registries.findHardship(ids.guardianIdNumber);
  if (hardshipStillValid(guardian, month)) return { valid: true };
  const child = await registries.findHardship(ids.childIdNumber);
  return recheckVerdict({ ...(guardian ? { guardian } : {}), ...(child ? { child } : {}) }, month);
}

/**
 * Whether the case's hardship was confirmed by civil-affairs staff rather than found in the
 * registry (the last passing check says so). Such a family was never on file: its absence now is
 * no revocation, and the months granted were already cut to the validity staff confirmed.
 */
export function verifiedByHand(events: readonly CaseEvent[]): boolean {
  const passed = events.filter((event) => event.type === 'checks.passed').at(-1);
  return passed?.data?.verifiedBy === 'civil-affairs';
}

const reasonNotes: Readonly<Record<WaiverStopReason, string>> = {
  revoked: '民政复核：困难家庭认定已撤销',
  expired: '民政复核：困难家庭认定已到期',
};

export interface WaiverStop {
  readonly record: CaseRecord;
  /** The case form's child 身份证 number (for the locks) and provider. */
  readonly childIdNumber: string;
  readonly providerId: string;
  readonly fromMonth: string;
  readonly reason: WaiverStopReason;
  /** Every waiver month of the case, as read. */
  readonly waivers: readonly WaiverRecord[];
  /** The case's payments, as read (any benefit). */
  readonly payments: readonly PaymentRecord[];
  readonly at: Date;
  readonly tableName: string;
}

/** The months a stop from `fromMonth` ends: those still active, from that month on. */
export function monthsToStop(waivers: readonly WaiverRecord[], fromMonth: string): string[] {
  return waivers
    .filter((waiver) => waiver.status === 'active' && waiver.month >= fromMonth)
    .map((waiver) => waiver.month)
    .sort();
}

function stopWaiverItem(stop: WaiverStop, month: string): TransactItem {
  return {
    Update: {
      TableName: stop.tableName,
      Key: waiverKeys.month(stop.record.caseId, month),
      // Out of the sparse active index: the next re-check no longer sees the month.
      UpdateExpression:
        'SET #status = :stopped, stoppedAt = :at, stopReason = :reason REMOVE gsi4pk, gsi4sk',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':stopped': 'stopped',
        ':active': 'active',
        ':at': stop.at.toISOString(),
        ':reason': stop.reason,
      },
    },
  };
}

/** A milk payment not yet paid out goes; one finance already disbursed stays as paid. */
function deletePaymentItem(stop: WaiverStop, month: string): TransactItem {
  return {
    Delete: {
      TableName: stop.tableName,
      Key: paymentKeys.payment(stop.record.caseId, month, milkBenefit),
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending-disbursement' },
    },
  };
}

/**
 * The one change that stops a case's waiver from `fromMonth` on: its audit event, each active
 * month from then stopped, the milk payments of those months not yet disbursed deleted, the
 * child-months freed for a new application, and the family and the provider told. Undefined when
 * nothing from that month on is still active (a repeated run).
 */
export function waiverStopChange(stop: WaiverStop): CaseChange | undefined {
  const months = monthsToStop(stop.waivers, stop.fromMonth);
  if (months.length === 0) return undefined;
  const { caseId, applicantSub } = stop.record;
  const pendingMilk = stop.payments.filter(
    (payment) =>
      payment.benefit === milkBenefit &&
      payment.status === 'pending-disbursement' &&
      months.includes(payment.month),
  );
  const notification = (recipient: Parameters<typeof outboxPut>[0]['recipient']) =>
    outboxPut(
      {
        template: 'waiver-stopped',
        recipient,
        caseId,
        params: { month: stop.fromMonth, dedupeKey: stop.fromMonth },
      },
      stop.at,
      stop.tableName,
    );
  return {
    type: 'waiver.stopped',
    actor: recheckActor,
    note: `${reasonNotes[stop.reason]}，学费减免自 ${stop.fromMonth} 起停止`,
    data: { fromMonth: stop.fromMonth, months, reason: stop.reason },
    items: [
      ...months.map((month) => stopWaiverItem(stop, month)),
      ...pendingMilk.map((payment) => deletePaymentItem(stop, payment.month)),
      ...releaseWaiverLockItems(caseId, stop.childIdNumber, months),
      notification({ kind: 'applicant', sub: applicantSub }),
      notification({ kind: 'queue', role: 'provider', scope: `P:${stop.providerId}` }),
    ],
  };
}

/** Every payment of a case (pattern 14), read consistently. */
export async function listCasePayments(
  caseId: string,
  table: WaiverTable = { documents: documentClient, tableName: tableName() },
): Promise<PaymentRecord[]> {
  const records: PaymentRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': paymentKeys.casePaymentsPartition(caseId) },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) records.push(paymentRecordSchema.parse(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

export interface RecheckResult {
  readonly month: string;
  /** Cases whose hardship status was looked up and judged (still valid or stopped). */
  readonly checked: number;
  /** Cases whose waiver stopped from the month on. */
  readonly stopped: number;
  /** Cases left for the next run: the registry did not answer, or time ran out. */
  readonly skipped: number;
}

/** Some cases failed for another reason than the registry: a bug or bad data, worth an alarm. */
export class RecheckIncompleteError extends Error {
  constructor(
    readonly result: RecheckResult,
    readonly failed: number,
  ) {
    super(
      `Hardship re-check for ${result.month}: ${failed} case(s) failed (checked ${result.checked}, stopped ${result.stopped}, skipped ${result.skipped})`,
    );
    this.name = 'RecheckIncompleteError';
  }
}

export interface RecheckOptions {
  /** The month whose active waivers are re-checked; stops take effect from it. */
  readonly month: string;
  readonly registries: Pick<Registries, 'findHardship'>;
  /** @default shared/clock now() */
  readonly now?: () => Date;
  /** Time left in the invocation; new cases are not started with less than `reserveMs`. */
  readonly remainingMs?: () => number;
  /** @default 10 000 */
  readonly reserveMs?: number;
  /** Cases worked on at once (registry calls dominate). @default 4 */
  readonly concurrency?: number;
}

type Outcome = 'valid' | 'stopped' | 'skipped' | 'failed';

/** How many times a stop is re-read and retried when one of its own conditions failed. */
const stopAttempts = 3;

async function recheckCase(caseId: string, options: RecheckOptions): Promise<Outcome> {
  const { month } = options;
  const record = await getCase(caseId);
  if (!record) throw new CaseNotFoundError(caseId);
  const form = waiverFormSchema.parse(record.form);
  let verdict: RecheckVerdict;
  try {
    verdict = await checkHardship(
      options.registries,
      { guardianIdNumber: form.guardian.idNumber, childIdNumber: form.child.idNumber },
      month,
    );
  } catch (error) {
    if (!(error instanceof RegistryUnavailableError)) throw error;
    logger.warn('Civil-affairs registry unavailable; the case waits for the next run', {
      caseId,
      reason: error.reason,
    });
    return 'skipped';
  }
  if (verdict.valid) return 'valid';
  if (verdict.reason === 'revoked' && verifiedByHand(await listCaseEvents(caseId))) {
    logger.info('No registry record, but verified by civil-affairs staff: the waiver stays', {
      caseId,
    });
    return 'valid';
  }
  for (let attempt = 1; ; attempt++) {
    const [waivers, payments] = await Promise.all([
      listCaseWaivers(caseId),
      listCasePayments(caseId),
    ]);
    const at = (options.now ?? clockNow)();
    let changed = false;
    try {
      await changeCase(caseId, (current) => {
        const change = waiverStopChange({
          record: current,
          childIdNumber: form.child.idNumber,
          providerId: form.providerId,
          fromMonth: month,
          reason: verdict.reason,
          waivers,
          payments,
          at,
          tableName: tableName(),
        });
        changed = change !== undefined;
        return change;
      });
      if (changed) logger.info('Waiver stopped', { caseId, month, reason: verdict.reason });
      // Nothing left to stop: another run got there first.
      return changed ? 'stopped' : 'valid';
    } catch (error) {
      // A month stopped or a payment disbursed under us: read again and build the stop anew.
      if (!(error instanceof ChangeRefusedError) || attempt >= stopAttempts) throw error;
    }
  }
}

/**
 * The monthly re-check of 困难家庭学费减免: every case with a waiver still active in `month` has
 * its family's hardship status looked up again; where it no longer holds for that month, the
 * waiver stops from it on (see {@link waiverStopChange}). Safe to run again any day: it acts only
 * on what is still active, and a case the registry could not answer for is simply left for the
 * next run. Throws {@link RecheckIncompleteError} after the run if a case failed otherwise.
 */
export async function recheckHardship(options: RecheckOptions): Promise<RecheckResult> {
  const concurrency = options.concurrency ?? 4;
  const reserveMs = options.reserveMs ?? 10_000;
  const counts: Record<Outcome, number> = { valid: 0, stopped: 0, skipped: 0, failed: 0 };
  const seen = new Set<string>();
  let outOfTime = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await listActiveWaiverCases(options.month, start);
    const caseIds = page.caseIds.filter((caseId) => !seen.has(caseId));
    for (const caseId of caseIds) seen.add(caseId);
    await eachLimited(caseIds, concurrency, async (caseId) => {
      if (options.remainingMs && options.remainingMs() < reserveMs) {
        outOfTime += 1;
        return;
      }
      try {
        counts[await recheckCase(caseId, options)] += 1;
      } catch (error) {
        counts.failed += 1;
        logger.error('Hardship re-check of a case failed', { caseId, error });
      }
    });
    start = page.next;
  } while (start);
  if (outOfTime > 0) {
    logger.warn('Hardship re-check ran out of time; run it again', { left: outOfTime });
  }
  const result: RecheckResult = {
    month: options.month,
    checked: counts.valid + counts.stopped,
    stopped: counts.stopped,
    skipped: counts.skipped + outOfTime,
  };
  if (counts.failed > 0) throw new RecheckIncompleteError(result, counts.failed);
  return result;
}
