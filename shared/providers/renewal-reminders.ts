import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Actor } from '../cases/case-record.ts';
import { now as clockNow } from '../clock/index.ts';
import { documentClient, tableName as tableNameFromEnvironment } from '../db/client.ts';
import { indexNames } from '../db/keys.ts';
import { outboxPut, type Recipient } from '../notifications/outbox.ts';
import { logger } from '../observability/index.ts';
import { shanghaiDate } from '../subsidy/policy/shanghai-calendar.ts';
import {
  nextRenewalReminder,
  type ProviderRecord,
  providerKey,
  providerRecordSchema,
  type RenewalThreshold,
  renewalDuePartition,
  renewalIndexAttributes,
  renewalIndexEntry,
  renewalRemindAt,
  renewalRemindedFor,
  renewalThresholdSchema,
} from './provider-record.ts';
import { providerEventItem } from './provider-store.ts';

/*
 * The renewal reminders (job RemindRegistrationRenewals, daily at 09:00 Beijing time). A registered
 * provider's profile carries one entry in the due index (gsi4 `DUE#RENEWALS`, sorted by when its
 * next reminder is due; see renewalIndexKeys), so a run reads only the reminders due now, however
 * many providers the registry holds. Each reminder is one transaction conditioned on the entry as
 * read: of two overlapping runs (or a retry) exactly one tells the provider; the other's condition
 * fails and it moves on.
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const renewalActor: Actor = { kind: 'system', component: 'renewal-reminders' };

export const renewalReminderTemplate = 'registration-renewal';

export interface RenewalReminderOptions {
  readonly documents?: Pick<DynamoDBDocumentClient, 'send'>;
  /** @default TABLE_NAME */
  readonly tableName?: string;
  /** @default shared/clock now() */
  readonly now?: () => Date;
  /** Time left in the invocation; no further page is read with less than `reserveMs`. */
  readonly remainingMs?: () => number;
  /** @default 10 000 */
  readonly reserveMs?: number;
}

export interface RenewalReminderResult {
  /** Entries found due. */
  readonly due: number;
  /** Providers told (a reminder each, to the provider and to its district's caseworkers). */
  readonly reminded: number;
  /**
   * Entries another run took first, that changed since they were read, or whose provider is no
   * longer registered (the entry is removed without a word to anyone).
   */
  readonly skipped: number;
  /** Read capacity of the index queries (ReturnConsumedCapacity). */
  readonly consumedReadUnits: number;
}

/** Some reminders failed for another reason than a lost race: they wait for a retry of the run. */
export class RenewalRemindersIncompleteError extends Error {
  constructor(
    readonly result: RenewalReminderResult,
    readonly failed: number,
  ) {
    super(
      `Renewal reminders: ${failed} failed (due ${result.due}, reminded ${result.reminded}, skipped ${result.skipped})`,
    );
    this.name = 'RenewalRemindersIncompleteError';
  }
}

/** A profile as the due index returns it: the record and the entry it was found by. */
export interface DueRenewal {
  readonly provider: ProviderRecord;
  /** The entry's reminder and sort key as read: every write is conditioned on them. */
  readonly stage: RenewalThreshold;
  readonly sort: string;
}

const dueEntrySchema = z.object({
  renewalReminder: renewalThresholdSchema,
  gsi4sk: z.string().min(1),
});

/** The profile behind an index item; undefined for one that is not what the writers write. */
export function dueRenewalOf(item: Record<string, unknown>): DueRenewal | undefined {
  const provider = providerRecordSchema.safeParse(item);
  const entry = dueEntrySchema.safeParse(item);
  if (!provider.success || !entry.success) return undefined;
  return { provider: provider.data, stage: entry.data.renewalReminder, sort: entry.data.gsi4sk };
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type RenewalStep =
  | {
      readonly kind: 'remind';
      readonly threshold: RenewalThreshold;
      readonly registeredUntil: string;
      readonly daysLeft: number;
      /** The entry's next reminder; absent after the last one. */
      readonly next?: { readonly threshold: RenewalThreshold; readonly remindAt: Date };
    }
  | { readonly kind: 'remove' };

/**
 * What a due entry calls for at `at`. A provider no longer registered, or whose registration has
 * already ended, loses the entry without a word. Otherwise it is told once: of the reminders due
 * by now, the latest (a run that was down past the 30-day mark sends that one, not a stale 60-day
 * one), and the entry moves to the next one still ahead, if any.
 */
export function renewalStep(due: DueRenewal, at: Date): RenewalStep {
  const { status, registeredUntil } = due.provider;
  if (status !== 'registered' || registeredUntil === undefined) return { kind: 'remove' };
  const daysLeft = daysBetween(shanghaiDate(at), registeredUntil);
  if (daysLeft < 0) return { kind: 'remove' };
  const order = renewalThresholdSchema.options;
  const threshold =
    order
      .slice(order.indexOf(due.stage))
      .filter((candidate) => renewalRemindAt(registeredUntil, candidate).getTime() <= at.getTime())
      .at(-1) ?? due.stage;
  const next = nextRenewalReminder(registeredUntil, at, threshold);
  return { kind: 'remind', threshold, registeredUntil, daysLeft, ...(next ? { next } : {}) };
}

/** `version = :expected`, or none for a provider written before versions existed (counts as 0). */
function versionGuard(version: number | undefined) {
  return version === undefined
    ? { condition: 'attribute_not_exists(version)', values: {} }
    : { condition: 'version = :expected', values: { ':expected': version } };
}

/** The update that takes the entry off the index, conditioned on the profile as read. */
function removeEntryItem(due: DueRenewal, table: string): TransactItem {
  const guard = versionGuard(due.provider.version);
  return {
    Update: {
      TableName: table,
      Key: providerKey(due.provider.providerId),
      UpdateExpression: `REMOVE ${renewalIndexAttributes.join(', ')}`,
      ConditionExpression: `gsi4sk = :readSort AND ${guard.condition}`,
      ExpressionAttributeValues: { ':readSort': due.sort, ...guard.values },
    },
  };
}

/**
 * The one transaction of a reminder: the profile's entry moved on (or removed after the last
 * reminder), the reminder recorded (renewalRemindedFor) and the version bumped, conditioned on
 * the entry and the provider as read; the provider's audit event under that version; and the
 * notice to the provider and to its district's health commission caseworkers.
 */
export function renewalReminderItems(
  due: DueRenewal,
  step: Extract<RenewalStep, { kind: 'remind' }>,
  at: Date,
  table: string,
): TransactItem[] {
  const { provider } = due;
  const { providerId } = provider;
  const expected = provider.version;
  const version = (expected ?? 0) + 1;
  const guard = versionGuard(expected);
  const values: Record<string, unknown> = {
    ':stage': due.stage,
    ':readSort': due.sort,
    ':registered': 'registered',
    ':version': version,
    ...guard.values,
  };
  // What was sent goes on the profile too: the entry a later write of the profile computes
  // follows on from it instead of from the time of that write.
  values[':remindedFor'] = renewalRemindedFor(step.registeredUntil, step.threshold);
  let update: string;
  if (step.next) {
    const entry = renewalIndexEntry(providerId, step.next);
    values[':nextSort'] = entry.gsi4sk;
    values[':next'] = entry.renewalReminder;
    values[':nextAt'] = entry.renewalRemindAt;
    update =
      'SET gsi4sk = :nextSort, renewalReminder = :next, renewalRemindAt = :nextAt, renewalRemindedFor = :remindedFor, version = :version';
  } else {
    update = `SET renewalRemindedFor = :remindedFor, version = :version REMOVE ${renewalIndexAttributes.join(', ')}`;
  }
  const notice = (recipient: Recipient) =>
    outboxPut(
      {
        template: renewalReminderTemplate,
        recipient,
        // The outbox files by case: the filing that registered the provider, else its own id.
        caseId: provider.registrationCaseId ?? providerId,
        params: {
          providerName: provider.name,
          registeredUntil: step.registeredUntil,
          daysLeft: step.daysLeft,
          dedupeKey: `${step.threshold}#${step.registeredUntil}`,
        },
      },
      at,
      table,
    );
  return [
    {
      Update: {
        TableName: table,
        Key: providerKey(providerId),
        UpdateExpression: update,
        ConditionExpression: `renewalReminder = :stage AND gsi4sk = :readSort AND #status = :registered AND ${guard.condition}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
    },
    {
      Put: {
        TableName: table,
        Item: providerEventItem({
          providerId,
          version,
          at: at.toISOString(),
          type: 'provider.renewal-reminded',
          actor: renewalActor,
          data: { threshold: step.threshold, registeredUntil: step.registeredUntil },
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    notice({ kind: 'queue', role: 'provider', scope: `P:${providerId}` }),
    notice({ kind: 'queue', role: 'caseworker', scope: `D:${provider.district}` }),
  ];
}

/** A condition of ours failed, or another transaction held the item: someone else got there. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

type Outcome = 'reminded' | 'skipped' | 'failed';

interface Table {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
}

async function handleEntry(
  item: Record<string, unknown>,
  at: Date,
  table: Table,
): Promise<Outcome> {
  const due = dueRenewalOf(item);
  if (!due) {
    // A bug or a hand edit: left in the index, and the run fails so that someone looks.
    logger.error('Unreadable provider in the renewal due index', { sk: String(item.gsi4sk) });
    return 'failed';
  }
  const step = renewalStep(due, at);
  const items =
    step.kind === 'remind'
      ? renewalReminderItems(due, step, at, table.tableName)
      : [removeEntryItem(due, table.tableName)];
  try {
    await table.documents.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (lostRace(error)) return 'skipped';
    logger.error('Renewal reminder failed; a retry of the run tries again', {
      providerId: due.provider.providerId,
      error,
    });
    return 'failed';
  }
  if (step.kind === 'remove') return 'skipped';
  logger.info('Renewal reminder filed', {
    providerId: due.provider.providerId,
    threshold: step.threshold,
  });
  return 'reminded';
}

/**
 * One run over the renewal reminders due at the run's time: a query of the due index (never a
 * Scan), then one transaction per entry (see {@link renewalReminderItems}). Safe to run again at
 * any time. Throws {@link RenewalRemindersIncompleteError} after the run if an entry failed for
 * another reason than a lost race; such entries stay in the index for the retry.
 */
export async function remindRegistrationRenewals(
  options: RenewalReminderOptions = {},
): Promise<RenewalReminderResult> {
  const table: Table = {
    documents: options.documents ?? documentClient,
    tableName: options.tableName ?? tableNameFromEnvironment(),
  };
  const at = (options.now ?? clockNow)();
  const reserveMs = options.reserveMs ?? 10_000;
  const counts: Record<Outcome, number> = { reminded: 0, skipped: 0, failed: 0 };
  let due = 0;
  let consumedReadUnits = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: indexNames.gsi4,
        // `~` sorts after every provider id: an entry due at this very instant is in.
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk <= :bound',
        ExpressionAttributeValues: {
          ':pk': renewalDuePartition,
          ':bound': `${at.toISOString()}~`,
        },
        ReturnConsumedCapacity: 'TOTAL',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    consumedReadUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    const items = page.Items ?? [];
    due += items.length;
    // One at a time: a day's reminders are few, and the order keeps the log readable.
    for (const item of items) counts[await handleEntry(item, at, table)] += 1;
    startKey = page.LastEvaluatedKey;
  } while (startKey && (options.remainingMs?.() ?? Number.POSITIVE_INFINITY) >= reserveMs);
  const result: RenewalReminderResult = {
    due,
    reminded: counts.reminded,
    skipped: counts.skipped,
    consumedReadUnits,
  };
  if (counts.failed > 0) throw new RenewalRemindersIncompleteError(result, counts.failed);
  if (startKey)
    logger.warn('Renewal reminders ran out of time; the next run goes on', { ...result });
  return result;
}
