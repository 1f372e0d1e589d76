import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../cases/case-record.ts';
import { documentClient, tableName } from '../db/client.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One filing in progress per provider (a new registration or a change), released when the case
 * ends; and one provider id per organisation (统一社会信用代码), kept for good, so that the same
 * organisation can never be registered twice under two ids.
 */
export const registrationLockKey = (providerId: string) => ({
  pk: `REGLOCK#${providerId}`,
  sk: 'LOCK',
});
export const organisationKey = (uscc: string) => ({ pk: `ORGANISATION#${uscc}`, sk: 'PROVIDER' });

export function registrationLockItems(
  caseId: string,
  providerId: string,
  uscc: string,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...registrationLockKey(providerId), entity: 'RegistrationLock', caseId },
        ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': caseId },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...organisationKey(uscc), entity: 'Organisation', uscc, providerId },
        ConditionExpression: 'attribute_not_exists(pk) OR providerId = :providerId',
        ExpressionAttributeValues: { ':providerId': providerId },
      },
    },
  ];
}

/** Frees the provider for its next filing (only a lock this case holds). */
export function releaseRegistrationLockItems(record: CaseRecord): TransactItem[] {
  if (record.caseType !== 'provider-registration' || !record.providerId) return [];
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: registrationLockKey(record.providerId),
        ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': record.caseId },
      },
    },
  ];
}

/**
 * A first filing that ends without registration (rejected, withdrawn, expired) gives the
 * organisation's code back, so that a filing under a mistyped or borrowed code blocks nobody.
 * Only this provider's claim on it is released; an approved filing keeps it for good.
 */
export function releaseOrganisationItems(record: CaseRecord): TransactItem[] {
  const form = record.form as { organisation?: { uscc?: unknown }; filing?: { kind?: unknown } };
  const uscc = form.organisation?.uscc;
  if (
    record.caseType !== 'provider-registration' ||
    !record.providerId ||
    form.filing?.kind !== 'new' ||
    typeof uscc !== 'string'
  ) {
    return [];
  }
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: organisationKey(uscc),
        ConditionExpression: 'attribute_not_exists(pk) OR providerId = :providerId',
        ExpressionAttributeValues: { ':providerId': record.providerId },
      },
    },
  ];
}

/** Who holds the provider's filing lock, and which provider id the organisation has. */
export async function findRegistrationLocks(
  providerId: string,
  uscc: string,
): Promise<{ lockedBy?: string; organisationProviderId?: string }> {
  const result = await documentClient.send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: {
          Keys: [registrationLockKey(providerId), organisationKey(uscc)],
          ConsistentRead: true,
        },
      },
    }),
  );
  const items = result.Responses?.[tableName()] ?? [];
  const lock = items.find((item) => item.entity === 'RegistrationLock');
  const organisation = items.find((item) => item.entity === 'Organisation');
  return {
    ...(lock ? { lockedBy: String(lock.caseId) } : {}),
    ...(organisation ? { organisationProviderId: String(organisation.providerId) } : {}),
  };
}
