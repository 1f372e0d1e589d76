import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../cases/case-record.ts';
import { documentClient, tableName } from '../db/client.ts';
import { ShanyuError } from '../errors/shanyu-error.ts';
import { idKey } from '../privacy/id-key.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One claim per child per month: a lock item per child-month, written with the case, released
 * when the case ends without payment (rejected, expired, withdrawn), kept once approved — so no
 * child-month is ever paid twice, even under concurrent submissions.
 */
export const claimLockKey = (childIdNumber: string, month: string) => ({
  pk: `CLAIMLOCK#${idKey(childIdNumber)}#${month}`,
  sk: 'LOCK',
});

export function claimLockItems(
  caseId: string,
  childIdNumber: string,
  months: readonly string[],
): TransactItem[] {
  return months.map((month) => ({
    Put: {
      TableName: tableName(),
      Item: { ...claimLockKey(childIdNumber, month), entity: 'ClaimLock', caseId, month },
      ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
      ExpressionAttributeValues: { ':caseId': caseId },
    },
  }));
}

/** The subsidy case's form fields the locks are made from. */
function lockedMonths(record: CaseRecord): { childIdNumber: string; months: string[] } | undefined {
  if (record.caseType !== 'subsidy-claim') return undefined;
  const form = record.form as { child?: { idNumber?: unknown }; months?: unknown };
  if (typeof form.child?.idNumber !== 'string' || !Array.isArray(form.months)) return undefined;
  return { childIdNumber: form.child.idNumber, months: form.months.map(String) };
}

/** Transaction items that free a case's child-months (only locks the case itself holds). */
export function releaseClaimLockItems(record: CaseRecord): TransactItem[] {
  const locked = lockedMonths(record);
  if (!locked) return [];
  return locked.months.map((month) => ({
    Delete: {
      TableName: tableName(),
      Key: claimLockKey(locked.childIdNumber, month),
      ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
      ExpressionAttributeValues: { ':caseId': record.caseId },
    },
  }));
}

/** Which of these months are held, and by which case. */
export async function findClaimLocks(
  childIdNumber: string,
  months: readonly string[],
): Promise<{ month: string; caseId: string }[]> {
  const result = await documentClient.send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: {
          Keys: months.map((month) => claimLockKey(childIdNumber, month)),
          ConsistentRead: true,
        },
      },
    }),
  );
  return (result.Responses?.[tableName()] ?? [])
    .map((item) => ({ month: String(item.month), caseId: String(item.caseId) }))
    .sort((a, b) => a.month.localeCompare(b.month));
}

/** 409: some of the months are already claimed for this child in another case. */
export class DuplicateClaimError extends ShanyuError {
  readonly code = 'DUPLICATE_CLAIM';
  readonly statusCode = 409;
  constructor(held: readonly { month: string; caseId: string }[]) {
    const months = held.map((h) => h.month).join('、');
    super(
      {
        'zh-CN': `该儿童 ${months} 的补助已在其他案件中申请`,
        en: `The subsidy for ${held.map((h) => h.month).join(', ')} is already claimed for this child`,
      },
      {
        details: held.map((h) => ({
          path: 'months',
          message: {
            'zh-CN': `${h.month} 已在案件 ${h.caseId} 中申请`,
            en: `${h.month} is claimed in case ${h.caseId}`,
          },
        })),
      },
    );
  }
}
