import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { decodeCursor, encodeCursor, invalidCursorError, startKeySchema } from '../http/cursor.ts';
import { type CaseSummary, caseSummarySchema } from './case-record.ts';

export type CaseListing =
  | { readonly kind: 'applicant'; readonly sub: string }
  | { readonly kind: 'provider'; readonly providerId: string }
  | { readonly kind: 'district'; readonly district: string; readonly status?: string };

export interface CasePage {
  readonly items: CaseSummary[];
  readonly cursor?: string;
}

const cursorSchema = z.object({ listing: z.string(), start: startKeySchema });

/** Which index answers a listing (patterns 5, 7 and 9), newest first. */
function queryFor(listing: CaseListing): Omit<QueryCommandInput, 'TableName'> {
  switch (listing.kind) {
    case 'applicant':
      return {
        IndexName: indexNames.gsi2,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.applicantCasesPartition(listing.sub) },
      };
    case 'provider':
      return {
        IndexName: indexNames.gsi4,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.providerCasesPartition(listing.providerId) },
      };
    case 'district':
      return {
        IndexName: indexNames.gsi3,
        KeyConditionExpression: listing.status
          ? 'gsi3pk = :pk AND begins_with(gsi3sk, :status)'
          : 'gsi3pk = :pk',
        ExpressionAttributeValues: {
          ':pk': keys.districtCasesPartition(listing.district),
          ...(listing.status ? { ':status': `${listing.status}#` } : {}),
        },
      };
  }
}

/** One page of a listing of cases; every listing is a single index query. */
export async function listCases(
  listing: CaseListing,
  limit: number,
  cursor?: string,
): Promise<CasePage> {
  const id = JSON.stringify(listing);
  const start = cursor ? decodeCursor(cursorSchema, cursor) : undefined;
  const query = queryFor(listing);
  // A cursor belongs to the listing it came from, and resumes inside its partition.
  if (start && start.listing !== id) throw invalidCursorError();
  const partitionKey = `${query.IndexName}pk`;
  if (start && start.start[partitionKey] !== query.ExpressionAttributeValues?.[':pk']) {
    throw invalidCursorError();
  }
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      ...query,
      ScanIndexForward: false,
      Limit: limit,
      ...(start ? { ExclusiveStartKey: start.start } : {}),
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => caseSummarySchema.parse(item)),
    ...(page.LastEvaluatedKey
      ? { cursor: encodeCursor({ listing: id, start: page.LastEvaluatedKey }) }
      : {}),
  };
}
