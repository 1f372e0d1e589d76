import { ShanyuError } from '../errors/shanyu-error.ts';
import type { WaiverReason } from './reasons.ts';

/** 422: the application breaks rules that need no registry to see; every reason at once. */
export class WaiverNotEligibleError extends ShanyuError {
  readonly code = 'WAIVER_NOT_ELIGIBLE';
  readonly statusCode = 422;
  constructor(readonly reasons: readonly WaiverReason[]) {
    super(
      {
        'zh-CN': '申请不符合学费减免条件，原因见明细',
        en: 'The application does not meet the tuition waiver rules; see the details',
      },
      {
        details: reasons.map((reason) => ({
          path: reason.code.startsWith('TERM') ? 'term' : 'child',
          code: reason.code,
          message: reason.message,
        })),
      },
    );
  }
}
