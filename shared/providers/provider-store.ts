import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Actor } from '../cases/case-record.ts';
import { now as clockNow } from '../clock/index.ts';
import { indexNames } from '../db/keys.ts';
import { ServiceBusyError } from '../errors/http-errors.ts';
import { decodeCursor, encodeCursor, invalidCursorError, startKeySchema } from '../http/cursor.ts';
import { outboxPut } from '../notifications/outbox.ts';
import { shanghaiDate } from '../subsidy/policy/shanghai-calendar.ts';
import type { District } from '../validation/district.ts';
import { ProviderNotFoundError } from './provider-errors.ts';
import {
  type ProviderEvent,
  type ProviderRecord,
  type ProviderStatus,
  providerEventKey,
  providerEventSchema,
  providerIdSchema,
  providerKey,
  providerRecordSchema,
  registryIndexKeys,
  registryPartitions,
  registrySortPrefix,
  renewalIndexKeys,
} from './provider-record.ts';
import { statusChanges } from './provider-status.ts';

export interface ProviderStoreOptions {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  /** Defaults to shared/clock `now()`. */
  readonly now?: () => Date;
}

/** An item for a provider that is not what the schema says: a bug or a hand edit, never input. */
export class InvalidProviderRecordError extends Error {
  constructor(readonly providerId: string) {
    super(`The stored record of provider ${providerId} is invalid`);
    this.name = 'InvalidProviderRecordError';
  }
}

/**
 * The table item of a provider, with the public registry's index keys while it is registered and
 * the due index entry of its pending renewal reminder (see renewalIndexKeys; `at`, when the item
 * is written, only ends the entry once the registration has ended). A writer that rebuilds the
 * record instead of changing the one it read must carry `renewalRemindedFor` over, or a reminder
 * already sent for the same end date goes out again.
 */
export function providerItem(
  record: ProviderRecord,
  at: Date = clockNow(),
): Record<string, unknown> {
  return {
    ...providerKey(record.providerId),
    entity: 'provider',
    ...registryIndexKeys(record),
    ...renewalIndexKeys(record, at),
    ...record,
  };
}

/** The table item of a provider's audit event (`PROVIDER#<id>` / `EVENT#<version>`). */
export function providerEventItem(event: ProviderEvent): Record<string, unknown> {
  return {
    ...providerEventKey(event.providerId, event.version),
    entity: 'ProviderEvent',
    ...providerEventSchema.parse(event),
  };
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function tableNameFromEnvironment(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}

/**
 * TransactWriteItems entries (lib-dynamodb shape) that write a provider and the audit event of
 * the change, for a transaction of the caller's (e.g. a registration case's approval). Both
 * `record.version` and `event.version` must be `expectedVersion + 1`.
 *
 * `expectedVersion`: undefined or 0 creates — or replaces an item stored before versions existed
 * (demo seeds, /dev/providers), which counts as version 0; n replaces version n. The condition is
 * `attribute_not_exists(version)` rather than `attribute_not_exists(pk)` for that reason: a
 * provider written by any versioned change still fails it. A concurrent change makes the
 * transaction fail with ConditionalCheckFailed on the first item.
 *
 * The renewal reminder entry is set as of the event's time, which a retry repeats.
 */
export function providerWriteItems(
  record: ProviderRecord,
  event: ProviderEvent,
  expectedVersion: number | undefined,
  tableName: string = tableNameFromEnvironment(),
): [TransactItem, TransactItem] {
  const valid = providerRecordSchema.parse(record);
  const version = (expectedVersion ?? 0) + 1;
  if (valid.version !== version || event.version !== version) {
    throw new RangeError(
      `Provider ${valid.providerId}: record and event must carry version ${version}, got ${valid.version} and ${event.version}`,
    );
  }
  if (event.providerId !== valid.providerId) {
    throw new RangeError(`Event of ${event.providerId} written with provider ${valid.providerId}`);
  }
  const guard: Pick<
    NonNullable<TransactItem['Put']>,
    'ConditionExpression' | 'ExpressionAttributeValues'
  > = expectedVersion === undefined || expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(version)' }
    : {
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      };
  return [
    { Put: { TableName: tableName, Item: providerItem(valid, new Date(event.at)), ...guard } },
    {
      Put: {
        TableName: tableName,
        Item: providerEventItem(event),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** What the public registry lists: registered providers, optionally of one district. */
export interface RegistryListing {
  readonly district?: District;
  /** true: only 普惠 providers; false: only the others; absent: both. */
  readonly inclusive?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ProviderPage {
  readonly items: ProviderRecord[];
  /** Present while more may follow. */
  readonly cursor?: string;
}

export interface StatusChange {
  readonly status: ProviderStatus;
  readonly reason: string;
}

const cursorSchema = z.object({ listing: z.string(), start: startKeySchema });

/** Field by field, not JSON of the object: a caller's property order must not void a cursor. */
const listingId = (listing: RegistryListing) =>
  JSON.stringify([listing.district ?? null, listing.inclusive ?? null]);

/** Queries per page at most: filtered-out items cost reads, so a sparse page stops early. */
const maxQueriesPerPage = 5;
const maxStatusAttempts = 5;

/** Jittered pause before retrying a conflicting transaction (5–60 ms, growing per attempt). */
function backoff(attempt: number): Promise<void> {
  const ms = 10 * 2 ** Math.min(attempt, 2) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The provider moved on (a version check) or another transaction held it: read again. */
function isRetryable(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

/** Our provider registry in the one table (`pk = PROVIDER#<providerId>`, `sk = PROFILE`). */
export class ProviderStore {
  readonly #documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly #tableName: string;
  readonly #now: () => Date;

  constructor(options: ProviderStoreOptions) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#now = options.now ?? clockNow;
  }

  async get(
    providerId: string,
    options: { consistent?: boolean } = {},
  ): Promise<ProviderRecord | undefined> {
    // An id no provider can have is not worth a read (and keeps `#` out of the key).
    if (!providerIdSchema.safeParse(providerId).success) return undefined;
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: providerKey(providerId),
        ...(options.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    if (Item === undefined) return undefined;
    return this.#parse(Item, providerId);
  }

  /** Creates or replaces the provider. */
  async put(record: ProviderRecord): Promise<void> {
    const valid = providerRecordSchema.parse(record);
    await this.#documents.send(
      new PutCommand({ TableName: this.#tableName, Item: providerItem(valid, this.#now()) }),
    );
  }

  /** Creates the provider unless one with its id exists; false (and nothing written) if it does. */
  async create(record: ProviderRecord): Promise<boolean> {
    const valid = providerRecordSchema.parse(record);
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: providerItem(valid, this.#now()),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * One page of the public registry, by district then id: a query of gsi2 (inclusive only) or
   * gsi3 (all registered), narrowed to a district by the sort key's prefix. Registrations that
   * ended before today (Beijing time) are filtered out; the filter runs after DynamoDB's `Limit`,
   * so a page is topped up with further queries (a few at most) and may still come back short
   * with a cursor. Index reads are eventually consistent: a change shows within a second or so.
   */
  async listRegistered(listing: RegistryListing): Promise<ProviderPage> {
    const inclusiveOnly = listing.inclusive === true;
    const index = inclusiveOnly ? indexNames.gsi2 : indexNames.gsi3;
    const partition = inclusiveOnly ? registryPartitions.inclusive : registryPartitions.all;
    const id = listingId(listing);
    let start = listing.cursor ? decodeCursor(cursorSchema, listing.cursor) : undefined;
    // A cursor belongs to the listing it came from, and resumes inside its partition.
    if (start && (start.listing !== id || start.start[`${index}pk`] !== partition)) {
      throw invalidCursorError();
    }
    // Names are aliased throughout: DynamoDB reserves hundreds of words, and the list grows.
    const filters = ['(attribute_not_exists(#until) OR #until >= :today)'];
    const names: Record<string, string> = { '#until': 'registeredUntil' };
    const values: Record<string, unknown> = {
      ':pk': partition,
      ':today': shanghaiDate(this.#now()),
    };
    if (listing.district) values[':district'] = registrySortPrefix(listing.district);
    if (listing.inclusive === false) {
      filters.push('#inclusive = :false');
      names['#inclusive'] = 'inclusive';
      values[':false'] = false;
    }
    const items: ProviderRecord[] = [];
    let startKey = start?.start;
    for (let query = 0; query < maxQueriesPerPage; query++) {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: index,
          KeyConditionExpression: listing.district
            ? `${index}pk = :pk AND begins_with(${index}sk, :district)`
            : `${index}pk = :pk`,
          FilterExpression: filters.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: true,
          Limit: listing.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) items.push(this.#parse(item));
      startKey = page.LastEvaluatedKey;
      if (!startKey || items.length >= listing.limit) break;
    }
    start = startKey ? { listing: id, start: startKey } : undefined;
    return { items, ...(start ? { cursor: encodeCursor(start) } : {}) };
  }

  /**
   * Moves the provider to `change.status` (暂停 / 撤销 / 恢复), with its audit event and a
   * notification to the provider, in one transaction guarded by the version it read; a concurrent
   * change makes it read and decide again. The provider's current status answers without writing
   * (a repeated request is harmless). Throws {@link ProviderNotFoundError}, and
   * ProviderStatusFinalError for a revoked provider. Returns the provider as it now stands.
   */
  async setStatus(providerId: string, change: StatusChange, actor: Actor): Promise<ProviderRecord> {
    for (let attempt = 0; attempt < maxStatusAttempts; attempt++) {
      const current = await this.get(providerId, { consistent: true });
      if (!current) throw new ProviderNotFoundError(providerId);
      if (!statusChanges(current, change.status)) return current;
      const expected = current.version ?? 0;
      const version = expected + 1;
      const at = this.#now();
      const { statusReason: _previous, ...rest } = current;
      const record: ProviderRecord = {
        ...rest,
        status: change.status,
        version,
        // The reason explains a suspension or revocation; reinstated, the event keeps it.
        ...(change.status === 'registered' ? {} : { statusReason: change.reason }),
      };
      const event: ProviderEvent = {
        providerId,
        version,
        at: at.toISOString(),
        type: 'provider.status-changed',
        actor,
        fromStatus: current.status,
        toStatus: change.status,
        note: change.reason,
      };
      const notification = outboxPut(
        {
          template: 'provider-status-changed',
          recipient: { kind: 'queue', role: 'provider', scope: `P:${providerId}` },
          // The outbox files by case; a provider's own notices are filed under its id.
          caseId: providerId,
          params: { providerStatus: change.status, dedupeKey: version },
        },
        at,
        this.#tableName,
      );
      try {
        await this.#documents.send(
          new TransactWriteCommand({
            TransactItems: [
              ...providerWriteItems(record, event, expected, this.#tableName),
              notification,
            ],
          }),
        );
        return record;
      } catch (error) {
        if (!isRetryable(error)) throw error;
        await backoff(attempt);
      }
    }
    throw new ServiceBusyError();
  }

  #parse(item: Record<string, unknown>, providerId?: string): ProviderRecord {
    const parsed = providerRecordSchema.safeParse(item);
    if (!parsed.success) {
      throw new InvalidProviderRecordError(providerId ?? String(item.providerId ?? item.pk));
    }
    return parsed.data;
  }
}
