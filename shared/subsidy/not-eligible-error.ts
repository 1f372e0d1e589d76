import { ShanyuError } from '../errors/shanyu-error.ts';
import type { Reason } from './reasons.ts';

/** 422: the claim breaks rules that need no registry to see; every reason is named at once. */
export class ClaimNotEligibleError extends ShanyuError {
  readonly code = 'CLAIM_NOT_ELIGIBLE';
  readonly statusCode = 422;
  constructor(readonly reasons: readonly Reason[]) {
    super(
      {
        'zh-CN': '申请不符合补助条件，原因见明细',
        en: 'The claim does not meet the subsidy rules; see the details',
      },
      {
        details: reasons.map((reason) => ({
          path:
            reason.code.startsWith('MONTH') || reason.code === 'TOO_MANY_MONTHS'
              ? 'months'
              : 'child',
          code: reason.code,
          message: reason.message,
        })),
      },
    );
  }
}
