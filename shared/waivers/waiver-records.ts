import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames } from '../db/keys.ts';
import { monthSchema } from '../forms/fields.ts';
import { decodeCursor, encodeCursor, invalidCursorError, startKeySchema } from '../http/cursor.ts';
import { InvalidPaymentError, yuanToFen } from '../payments/payment-items.ts';
import { idKey } from '../privacy/id-key.ts';
import { hardshipCategorySchema } from '../registries/registry-records.ts';
import { maskPersonName } from '../tasks/summary.ts';
import { districtSchema } from '../validation/district.ts';
import { maxWaiverTermMonths } from './waiver-form.ts';

export type Documents = Pick<DynamoDBDocumentClient, 'send'>;

/**
 * Key builders of the waiver records. Access patterns (to be listed with the others in
 * infra/stacks/data-stack.ts):
 *
 * ```
 * Waiver months of a case ................ table pk=WAIVER#<caseId>  sk=MONTH#<YYYY-MM>
 * A provider's waivers of a month ........ gsi3  gsi3pk=WAIVERS#<providerId>#<month>  gsi3sk=<caseId>
 * Active waivers of a month (sparse) ..... gsi4  gsi4pk=WAIVERS#ACTIVE#<month>  gsi4sk=<caseId>
 * ```
 *
 * `WAIVERS#` cannot be mistaken for the other partitions of gsi3 (`DISTRICT#`, `INBOX#`,
 * `PAYMENTS#`, `REGISTRY#`) or gsi4 (`PROVIDER#`, `DELIVERY#`, `OUTBOX#`). The provider listing
 * keeps stopped months (the provider must see that it bills the full fee again); the active index
 * loses a month when it stops, so the monthly re-check reads only what is still in force.
 */
export const waiverKeys = {
  month: (caseId: string, month: string) => ({ pk: `WAIVER#${caseId}`, sk: `MONTH#${month}` }),
  casePartition: (caseId: string) => `WAIVER#${caseId}`,
  monthPrefix: 'MONTH#',
  providerMonth: (providerId: string, month: string, caseId: string) => ({
    gsi3pk: `WAIVERS#${providerId}#${month}`,
    gsi3sk: caseId,
  }),
  providerMonthPartition: (providerId: string, month: string) => `WAIVERS#${providerId}#${month}`,
  activeMonth: (month: string, caseId: string) => ({
    gsi4pk: `WAIVERS#ACTIVE#${month}`,
    gsi4sk: caseId,
  }),
  activeMonthPartition: (month: string) => `WAIVERS#ACTIVE#${month}`,
} as const;

/** Deterministic: the same month of the same case is always the same waiver. */
export const waiverIdFor = (caseId: string, month: string) => `${caseId}-${month}`;

export const waiverStatusSchema = z.enum(['active', 'stopped']);
export type WaiverStatus = z.infer<typeof waiverStatusSchema>;

/** Why a waiver stopped early: civil affairs no longer lists the family, or its status lapsed. */
export const waiverStopReasonSchema = z.enum(['revoked', 'expired']);
export type WaiverStopReason = z.infer<typeof waiverStopReasonSchema>;

const fen = z.number().int().nonnegative();

/**
 * One granted child-month: what the provider charges, how much of it is waived, and what the
 * family still pays. Holds only the child's keyed digest and masked name: the provider listing
 * shows it, and providers never see ID numbers through it.
 */
export const waiverRecordSchema = z.object({
  waiverId: z.string(),
  caseId: z.string(),
  month: monthSchema,
  providerId: z.string(),
  /** The provider's district. */
  district: z.string(),
  childKey: z.string(),
  childName: z.string(),
  category: hardshipCategorySchema,
  percent: z.number().min(0).max(100),
  /** Integer fen, as payments: no floating-point money anywhere. */
  tuitionFen: fen.positive(),
  waivedFen: fen,
  remainderFen: fen,
  policyVersion: z.string(),
  status: waiverStatusSchema,
  createdAt: z.string(),
  stoppedAt: z.string().optional(),
  stopReason: waiverStopReasonSchema.optional(),
});
export type WaiverRecord = z.infer<typeof waiverRecordSchema>;

/** The waivers asked for cannot be right: a programming or policy error, never retried. */
export class InvalidWaiverError extends Error {
  constructor(reason: string) {
    super(`Invalid waiver: ${reason}`);
    this.name = 'InvalidWaiverError';
  }
}

/**
 * Yuan to fen, exactly, with 0 allowed (a 100 % waiver leaves no remainder). The same rule as
 * payments otherwise: a third decimal is refused, never rounded away.
 */
export function yuanToFenOrZero(yuan: number): number {
  if (yuan === 0) return 0;
  try {
    return yuanToFen(yuan);
  } catch (error) {
    if (error instanceof InvalidPaymentError) {
      throw new InvalidWaiverError(
        `amount ${yuan} yuan is not zero or a whole positive number of fen`,
      );
    }
    throw error;
  }
}

/** Fen to yuan for display: at most two decimals, exactly the fen's. */
export const fenToYuan = (amountFen: number) => amountFen / 100;

export interface WaiverMonthInput {
  readonly month: string;
  readonly tuitionYuan: number;
  readonly waivedYuan: number;
  readonly remainderYuan: number;
}

export interface WaiverInput {
  readonly caseId: string;
  readonly providerId: string;
  /** The provider's district. */
  readonly district: string;
  /** Turned into its keyed digest here; never stored. */
  readonly childIdNumber: string;
  /** Masked here; never stored in full. */
  readonly childName: string;
  readonly category: string;
  readonly percent: number;
  readonly policyVersion: string;
  /** The approval's own timestamp, so that a retried approval writes identical items. */
  readonly createdAt: string;
  readonly months: readonly WaiverMonthInput[];
}

/** A waiver as stored: the record plus the table's and both indexes' keys. */
export type WaiverItem = WaiverRecord & {
  readonly pk: string;
  readonly sk: string;
  readonly gsi3pk: string;
  readonly gsi3sk: string;
  readonly gsi4pk: string;
  readonly gsi4sk: string;
  readonly entity: 'Waiver';
};

export interface WaiverPut {
  readonly Put: {
    readonly TableName: string;
    readonly Item: WaiverItem;
    readonly ConditionExpression: string;
  };
}

const inputSchema = z.object({
  caseId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  providerId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  district: districtSchema,
  childIdNumber: z.string().trim().min(1),
  childName: z.string().trim().min(1),
  category: hardshipCategorySchema,
  percent: z.number().min(0).max(100),
  policyVersion: z.string().trim().min(1).max(64),
  createdAt: z.iso.datetime(),
  months: z
    .array(
      z.object({
        month: monthSchema,
        tuitionYuan: z.number(),
        waivedYuan: z.number(),
        remainderYuan: z.number(),
      }),
    )
    .max(maxWaiverTermMonths)
    .refine((months) => new Set(months.map((m) => m.month)).size === months.length, {
      message: 'MONTHS_DUPLICATE',
    }),
});

/** A month's amounts in fen, which must add up: waived + remainder = tuition. */
function monthAmounts(month: WaiverMonthInput) {
  const tuitionFen = yuanToFenOrZero(month.tuitionYuan);
  const waivedFen = yuanToFenOrZero(month.waivedYuan);
  const remainderFen = yuanToFenOrZero(month.remainderYuan);
  if (tuitionFen === 0) throw new InvalidWaiverError(`${month.month}: the tuition is zero`);
  if (waivedFen + remainderFen !== tuitionFen) {
    throw new InvalidWaiverError(
      `${month.month}: waived ${month.waivedYuan} + remainder ${month.remainderYuan} ≠ tuition ${month.tuitionYuan} yuan`,
    );
  }
  return { tuitionFen, waivedFen, remainderFen };
}

/**
 * TransactWriteItems entries (lib-dynamodb shape) that file one waiver record per granted month,
 * to go in the same transaction as the approval (`CaseChange.items`).
 *
 * As payments: each Put is conditioned on `attribute_not_exists(pk)` and its key is the case and
 * month, so a waiver month is never written twice — a second approval's transaction fails
 * instead — and, given the approval's own `createdAt`, a retry builds identical items.
 */
export function waiverMonthItems(input: WaiverInput, table: string = tableName()): WaiverPut[] {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidWaiverError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  const valid = parsed.data;
  const childKey = idKey(valid.childIdNumber);
  const childName = maskPersonName(valid.childName);
  return valid.months.map((month): WaiverPut => {
    const record: WaiverRecord = {
      waiverId: waiverIdFor(valid.caseId, month.month),
      caseId: valid.caseId,
      month: month.month,
      providerId: valid.providerId,
      district: valid.district,
      childKey,
      childName,
      category: valid.category,
      percent: valid.percent,
      ...monthAmounts(month),
      policyVersion: valid.policyVersion,
      status: 'active',
      createdAt: valid.createdAt,
    };
    return {
      Put: {
        TableName: table,
        Item: {
          ...waiverKeys.month(valid.caseId, month.month),
          ...waiverKeys.providerMonth(valid.providerId, month.month, valid.caseId),
          ...waiverKeys.activeMonth(month.month, valid.caseId),
          entity: 'Waiver',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  });
}

/** Where the waiver records live; by default the table of this process (TABLE_NAME). */
export interface WaiverTable {
  readonly documents: Documents;
  readonly tableName: string;
}

const defaultTable = (): WaiverTable => ({ documents: documentClient, tableName: tableName() });

export interface WaiverListing {
  readonly providerId: string;
  readonly month: string;
  /** @default 50 */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface WaiverPage {
  readonly items: WaiverRecord[];
  readonly cursor?: string;
}

const cursorSchema = z.object({ listing: z.string(), start: startKeySchema });

/** Field by field, not JSON of the object: a caller's property order must not void a cursor. */
const listingId = (listing: WaiverListing) => JSON.stringify([listing.providerId, listing.month]);

/**
 * One page of a provider's waivers of a month, active and stopped, by case: a single query of
 * gsi3. What the provider bills the family is the remainder of each.
 */
export async function listWaivers(
  listing: WaiverListing,
  table: WaiverTable = defaultTable(),
): Promise<WaiverPage> {
  const partition = waiverKeys.providerMonthPartition(listing.providerId, listing.month);
  const start = listing.cursor ? decodeCursor(cursorSchema, listing.cursor) : undefined;
  // A cursor belongs to the listing it came from, and resumes inside its partition.
  if (start && (start.listing !== listingId(listing) || start.start.gsi3pk !== partition)) {
    throw invalidCursorError();
  }
  const page = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: indexNames.gsi3,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: true,
      Limit: listing.limit ?? 50,
      ...(start ? { ExclusiveStartKey: start.start } : {}),
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => waiverRecordSchema.parse(item)),
    ...(page.LastEvaluatedKey
      ? { cursor: encodeCursor({ listing: listingId(listing), start: page.LastEvaluatedKey }) }
      : {}),
  };
}

/** Every waiver month of a case, oldest first, as written (a consistent read of the table). */
export async function listCaseWaivers(
  caseId: string,
  table: WaiverTable = defaultTable(),
): Promise<WaiverRecord[]> {
  const records: WaiverRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': waiverKeys.casePartition(caseId),
          ':prefix': waiverKeys.monthPrefix,
        },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) records.push(waiverRecordSchema.parse(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

export interface ActiveWaiverPage {
  /** The cases with a waiver still active in the month (one entry per case). */
  readonly caseIds: string[];
  readonly next?: Record<string, unknown>;
}

/**
 * One page of the cases whose waiver is active in `month` (the sparse gsi4 partition). An index
 * read, so it may lag a stop by a moment: callers re-read the case's months before acting.
 */
export async function listActiveWaiverCases(
  month: string,
  start?: Record<string, unknown>,
  table: WaiverTable = defaultTable(),
  pageSize = 200,
): Promise<ActiveWaiverPage> {
  const page = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: indexNames.gsi4,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': waiverKeys.activeMonthPartition(month) },
      ProjectionExpression: 'caseId',
      Limit: pageSize,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const caseIds = [...new Set((page.Items ?? []).map((item) => String(item.caseId)))];
  return { caseIds, ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}
