import {
  releaseOrganisationItems,
  releaseRegistrationLockItems,
} from '../registration/registration-locks.ts';
import { releaseClaimLockItems } from '../subsidy/claim-locks.ts';
import { releaseCaseWaiverLockItems } from '../waivers/waiver-locks.ts';
import type { CaseRecord } from './case-record.ts';

/**
 * Transaction items that free what a case held while it ran (child-months of a claim or a
 * waiver, a provider's filing lock), for a case that ends without effect: rejected, expired, withdrawn.
 */
export function releaseCaseLockItems(record: CaseRecord) {
  return [
    ...releaseClaimLockItems(record),
    ...releaseRegistrationLockItems(record),
    ...releaseOrganisationItems(record),
    ...releaseCaseWaiverLockItems(record),
  ];
}
