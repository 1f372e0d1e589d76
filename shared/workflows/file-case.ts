import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../auth/principal.ts';
import { caseIdFor, fingerprintOf } from '../cases/case-id.ts';
import type { CaseRecord, CaseType } from '../cases/case-record.ts';
import { CaseConflictError, ChangeRefusedError, createCase } from '../cases/case-store.ts';
import { IdempotencyKeyReusedError } from '../errors/http-errors.ts';
import { countCaseSubmitted } from '../observability/business-metrics.ts';
import { logger } from '../observability/index.ts';
import { executionArnFor } from './execution-arn.ts';
import { startCaseWorkflow } from './sfn-client.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface CaseFiling {
  readonly caseType: CaseType;
  readonly principal: Principal;
  readonly idempotencyKey: string;
  /** What was sent, fingerprinted to tell a retry from another submission under the same key. */
  readonly submitted: unknown;
  /** What the case stores as its form. */
  readonly form: Record<string, unknown>;
  readonly district?: string;
  readonly providerId?: string;
  readonly workflow: { readonly stateMachineArn: string; readonly versionArn?: string };
  /** Writes that must succeed with the case (its locks), each with its own condition. */
  readonly locks: (caseId: string) => TransactItem[];
  /** What the API says when a lock is held by someone else. */
  readonly lockRefused: (caseId: string) => Promise<Error>;
}

/**
 * Files a case with its first audit event and its locks in one transaction, then starts its
 * workflow, named after the case. The case id comes from the applicant and the Idempotency-Key,
 * so a retry lands on the same case (and starts its workflow if an earlier attempt stopped short).
 */
export async function fileCase(filing: CaseFiling): Promise<CaseRecord> {
  const { principal, workflow } = filing;
  const caseId = caseIdFor(filing.caseType, principal.sub, filing.idempotencyKey);
  logger.appendKeys({ caseId });
  let record: CaseRecord;
  let created: boolean;
  try {
    ({ record, created } = await createCase(
      {
        caseId,
        caseType: filing.caseType,
        applicantSub: principal.sub,
        ...(filing.district ? { district: filing.district } : {}),
        ...(filing.providerId ? { providerId: filing.providerId } : {}),
        fingerprint: fingerprintOf(filing.submitted),
        form: filing.form,
        workflow: {
          executionArn: executionArnFor(workflow.stateMachineArn, caseId),
          stateMachineArn: workflow.stateMachineArn,
          ...(workflow.versionArn ? { versionArn: workflow.versionArn } : {}),
        },
      },
      { kind: 'person', sub: principal.sub, roles: [...principal.roles] },
      filing.locks(caseId),
    ));
  } catch (error) {
    if (error instanceof ChangeRefusedError) throw await filing.lockRefused(caseId);
    // An earlier attempt with this key left a case with another form behind. That attempt may
    // have failed before starting its workflow: start it now, so the case is not stranded.
    if (error instanceof CaseConflictError) {
      await startCaseWorkflow(workflow.stateMachineArn, caseId);
      throw new IdempotencyKeyReusedError();
    }
    throw error;
  }
  await startCaseWorkflow(workflow.stateMachineArn, caseId);
  // A retry with the same Idempotency-Key finds the case already filed: counted once.
  if (created) countCaseSubmitted(filing.caseType, record.district);
  logger.info('Case submitted');
  return record;
}
