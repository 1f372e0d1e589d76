import type { Principal } from '../auth/principal.ts';
import type { CaseRecord } from '../cases/case-record.ts';
import { fileCase } from '../workflows/file-case.ts';
import type { Filing } from './registration-case.ts';
import {
  OrganisationAlreadyFiledError,
  RegistrationInProgressError,
} from './registration-errors.ts';
import type { RegistrationForm } from './registration-form.ts';
import { findRegistrationLocks, registrationLockItems } from './registration-locks.ts';

export interface RegistrationFiling {
  readonly principal: Principal;
  readonly idempotencyKey: string;
  readonly providerId: string;
  readonly form: RegistrationForm;
  readonly filing: Filing;
  /** What the provider sent, to tell a retry from another submission under the same key. */
  readonly submitted: unknown;
  readonly workflow: { readonly stateMachineArn: string; readonly versionArn?: string };
}

/**
 * Files a registration case (new or change) with the provider's filing lock and the
 * organisation's provider id, in one transaction, then starts its workflow. A retry with the same
 * Idempotency-Key lands on the same case.
 */
export function fileRegistration(input: RegistrationFiling): Promise<CaseRecord> {
  const { providerId, form } = input;
  return fileCase({
    caseType: 'provider-registration',
    principal: input.principal,
    idempotencyKey: input.idempotencyKey,
    submitted: input.submitted,
    form: { ...form, filing: input.filing },
    district: form.organisation.district,
    providerId,
    workflow: input.workflow,
    locks: (caseId) => registrationLockItems(caseId, providerId, form.organisation.uscc),
    lockRefused: async () => {
      const held = await findRegistrationLocks(providerId, form.organisation.uscc);
      if (held.organisationProviderId && held.organisationProviderId !== providerId) {
        return new OrganisationAlreadyFiledError();
      }
      return new RegistrationInProgressError(held.lockedBy ?? 'unknown');
    },
  });
}
