import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { indexNames } from '../db/keys.ts';
import { decodeCursor, encodeCursor, invalidCursorError, startKeySchema } from '../http/cursor.ts';
import { paymentKeys } from './payment-keys.ts';
import { type PaymentRecord, type PaymentStatus, paymentRecordSchema } from './payment-record.ts';

export type Documents = Pick<DynamoDBDocumentClient, 'send'>;

export interface PaymentListing {
  readonly month: string;
  readonly district: string;
  readonly status?: PaymentStatus;
}

export interface PaymentPage {
  readonly items: PaymentRecord[];
  readonly cursor?: string;
}

const cursorSchema = z.object({ listing: z.string(), start: startKeySchema });

/** Field by field, not JSON of the object: a caller's property order must not void a cursor. */
const listingId = (listing: PaymentListing) =>
  JSON.stringify([listing.month, listing.district, listing.status ?? null]);

/**
 * One page of the payments of a month and district (pattern 15), by status then case: a single
 * query of gsi3, narrowed to one status by the sort key's prefix.
 */
export async function listPayments(
  documents: Documents,
  tableName: string,
  listing: PaymentListing,
  limit: number,
  cursor?: string,
): Promise<PaymentPage> {
  const partition = paymentKeys.monthlyPaymentsPartition(listing.month, listing.district);
  const start = cursor ? decodeCursor(cursorSchema, cursor) : undefined;
  // A cursor belongs to the listing it came from, and resumes inside its partition.
  if (start && (start.listing !== listingId(listing) || start.start.gsi3pk !== partition)) {
    throw invalidCursorError();
  }
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: indexNames.gsi3,
      KeyConditionExpression: listing.status
        ? 'gsi3pk = :pk AND begins_with(gsi3sk, :status)'
        : 'gsi3pk = :pk',
      ExpressionAttributeValues: {
        ':pk': partition,
        ...(listing.status ? { ':status': paymentKeys.statusPrefix(listing.status) } : {}),
      },
      ScanIndexForward: true,
      Limit: limit,
      ...(start ? { ExclusiveStartKey: start.start } : {}),
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => paymentRecordSchema.parse(item)),
    ...(page.LastEvaluatedKey
      ? { cursor: encodeCursor({ listing: listingId(listing), start: page.LastEvaluatedKey }) }
      : {}),
  };
}

/** Every payment of the listing, paging through internally (for the export). */
export async function allPayments(
  documents: Documents,
  tableName: string,
  listing: PaymentListing,
  pageSize = 500,
): Promise<PaymentRecord[]> {
  const records: PaymentRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listPayments(documents, tableName, listing, pageSize, cursor);
    records.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return records;
}
