import type { Principal } from '../auth/principal.ts';
import { caseIdFor, fingerprintOf } from '../cases/case-id.ts';
import type { CaseRecord } from '../cases/case-record.ts';
import { CaseConflictError, ChangeRefusedError, createCase } from '../cases/case-store.ts';
import { IdempotencyKeyReusedError } from '../errors/http-errors.ts';
import { executionArnFor } from '../workflows/execution-arn.ts';
import { startCaseWorkflow } from '../workflows/sfn-client.ts';
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
export async function fileRegistration(input: RegistrationFiling): Promise<CaseRecord> {
  const { principal, providerId, form, workflow } = input;
  const caseId = caseIdFor('provider-registration', principal.sub, input.idempotencyKey);
  let record: CaseRecord;
  try {
    ({ record } = await createCase(
      {
        caseId,
        caseType: 'provider-registration',
        applicantSub: principal.sub,
        district: form.organisation.district,
        providerId,
        fingerprint: fingerprintOf(input.submitted),
        form: { ...form, filing: input.filing },
        workflow: {
          executionArn: executionArnFor(workflow.stateMachineArn, caseId),
          stateMachineArn: workflow.stateMachineArn,
          ...(workflow.versionArn ? { versionArn: workflow.versionArn } : {}),
        },
      },
      { kind: 'person', sub: principal.sub, roles: [...principal.roles] },
      registrationLockItems(caseId, providerId, form.organisation.uscc),
    ));
  } catch (error) {
    if (error instanceof ChangeRefusedError) {
      const held = await findRegistrationLocks(providerId, form.organisation.uscc);
      if (held.organisationProviderId && held.organisationProviderId !== providerId) {
        throw new OrganisationAlreadyFiledError();
      }
      throw new RegistrationInProgressError(held.lockedBy ?? 'unknown');
    }
    // An earlier attempt with this key may have stopped before starting its workflow.
    if (error instanceof CaseConflictError) {
      await startCaseWorkflow(workflow.stateMachineArn, caseId);
      throw new IdempotencyKeyReusedError();
    }
    throw error;
  }
  await startCaseWorkflow(workflow.stateMachineArn, caseId);
  return record;
}
