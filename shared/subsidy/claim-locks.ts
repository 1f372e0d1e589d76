import type { CaseRecord } from '../cases/case-record.ts';
import { childMonthLocks } from '../cases/child-month-locks.ts';
import { ShanyuError } from '../errors/shanyu-error.ts';

/**
 * One claim per child per month: a lock item per child-month, written with the case, released
 * when the case ends without payment (rejected, expired, withdrawn), kept once approved — so no
 * child-month is ever paid twice, even under concurrent submissions.
 */
const locks = childMonthLocks('CLAIMLOCK', 'ClaimLock');

export const claimLockKey = locks.key;
export const claimLockItems = locks.lockItems;
/** Which of these months are held, and by which case. */
export const findClaimLocks = locks.find;

/** The subsidy case's form fields the locks are made from. */
function lockedMonths(record: CaseRecord): { childIdNumber: string; months: string[] } | undefined {
  if (record.caseType !== 'subsidy-claim') return undefined;
  const form = record.form as { child?: { idNumber?: unknown }; months?: unknown };
  if (typeof form.child?.idNumber !== 'string' || !Array.isArray(form.months)) return undefined;
  return { childIdNumber: form.child.idNumber, months: form.months.map(String) };
}

/** Transaction items that free a case's child-months (only locks the case itself holds). */
export function releaseClaimLockItems(record: CaseRecord) {
  const locked = lockedMonths(record);
  return locked ? locks.releaseItems(record.caseId, locked.childIdNumber, locked.months) : [];
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
