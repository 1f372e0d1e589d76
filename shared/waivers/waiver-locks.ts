import type { CaseRecord } from '../cases/case-record.ts';
import { childMonthLocks } from '../cases/child-month-locks.ts';
import { ShanyuError } from '../errors/shanyu-error.ts';
import { monthsBetween } from '../subsidy/policy/shanghai-calendar.ts';

/**
 * One active waiver per child per month: a lock item per child-month, written with the case,
 * released when the case ends without a waiver (rejected, expired, withdrawn), for months the
 * decision cut, and for months a revoked hardship status stopped.
 */
const locks = childMonthLocks('WAIVERLOCK', 'WaiverLock');

export const waiverLockKey = locks.key;
export const waiverLockItems = locks.lockItems;
/** Transaction items that free some child-months of a case (only locks the case itself holds). */
export const releaseWaiverLockItems = locks.releaseItems;
export const findWaiverLocks = locks.find;

/** The months of the term `from`..`to` (YYYY-MM, inclusive), in order. */
export function termMonths(term: { from: string; to: string }): string[] {
  return monthsBetween(term.from, term.to);
}

/** A waiver case's locked child-months: the whole term, as filed. */
function lockedMonths(record: CaseRecord): { childIdNumber: string; months: string[] } | undefined {
  if (record.caseType !== 'tuition-waiver') return undefined;
  const form = record.form as {
    child?: { idNumber?: unknown };
    term?: { from?: unknown; to?: unknown };
  };
  const { from, to } = form.term ?? {};
  if (
    typeof form.child?.idNumber !== 'string' ||
    typeof from !== 'string' ||
    typeof to !== 'string'
  )
    return undefined;
  return { childIdNumber: form.child.idNumber, months: termMonths({ from, to }) };
}

/** Frees every child-month of a waiver case that ends without effect. */
export function releaseCaseWaiverLockItems(record: CaseRecord) {
  const locked = lockedMonths(record);
  return locked ? releaseWaiverLockItems(record.caseId, locked.childIdNumber, locked.months) : [];
}

/** 409: some months of the term already have an active waiver for this child. */
export class DuplicateWaiverError extends ShanyuError {
  readonly code = 'DUPLICATE_WAIVER';
  readonly statusCode = 409;
  constructor(held: readonly { month: string; caseId: string }[]) {
    super(
      {
        'zh-CN': `该儿童 ${held.map((h) => h.month).join('、')} 的学费减免已在其他案件中申请`,
        en: `A tuition waiver for ${held.map((h) => h.month).join(', ')} is already filed for this child`,
      },
      {
        // Months only: the other application may be someone else's.
        details: held.map((h) => ({
          path: 'term',
          message: {
            'zh-CN': `${h.month} 已有学费减免申请`,
            en: `${h.month} already has a waiver`,
          },
        })),
      },
    );
  }
}
