import { tableName } from '../db/client.ts';
import { outboxPut } from '../notifications/outbox.ts';
import type { CaseRecord } from './case-record.ts';
import { releaseCaseLockItems } from './release-case-locks.ts';

/**
 * What a case the system itself rejects (its checks, an approval with nothing left to grant)
 * takes with it, in the same transaction: its locks freed and the applicant told.
 */
export function rejectionItems(current: CaseRecord, at: Date) {
  return [
    ...releaseCaseLockItems(current),
    outboxPut(
      {
        template: 'case-rejected',
        recipient: { kind: 'applicant', sub: current.applicantSub },
        caseId: current.caseId,
        params: { caseType: current.caseType },
      },
      at,
      tableName(),
    ),
  ];
}
