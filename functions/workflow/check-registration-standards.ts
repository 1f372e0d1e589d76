import * as z from 'zod';
import { addWorkingDays } from '../../shared/calendar/working-days.ts';
import { checkedAlready } from '../../shared/cases/case-record.ts';
import { CaseNotFoundError, changeCase, getCase } from '../../shared/cases/case-store.ts';
import { now } from '../../shared/clock/index.ts';
import { uploadedDocuments } from '../../shared/documents/index.ts';
import { logger } from '../../shared/observability/index.ts';
import { registrationFormOf, reviewsNeeded } from '../../shared/registration/registration-case.ts';
import { amendDueInWorkingDays } from '../../shared/registration/registration-deadlines.ts';
import { findingsNote, standardsFindings } from '../../shared/registration/standards-check.ts';
import { registriesFromEnvironment } from '../../shared/registries/index.ts';
import type { Enterprise } from '../../shared/registries/registry-records.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const registries = registriesFromEnvironment();

const inputSchema = z.object({
  caseId: z.string().min(1),
  /** A caseworker confirmed the organisation by hand (the enterprise registry did not answer). */
  enterpriseConfirmed: z.boolean().optional(),
});

/**
 * The standards check of a filing (托育机构设置标准 and the filing's materials), all findings at
 * once (一次性告知), recorded on the case. The state machine sends a filing with findings back to
 * the provider, due in 15 working days: this step says when that is, and which reviews follow.
 */
export const handler = workflowHandler(inputSchema, async ({ caseId, enterpriseConfirmed }) => {
  const record = await getCase(caseId);
  if (!record) throw new CaseNotFoundError(caseId);
  const { form, filing } = registrationFormOf(record);
  const enterprise: Enterprise | undefined = enterpriseConfirmed
    ? { uscc: form.organisation.uscc, name: form.organisation.name, status: 'active' }
    : await registries.findEnterprise(form.organisation.uscc);
  const documents = await uploadedDocuments(
    form.documents.map((document) => document.ref),
    { sub: record.applicantSub, ...(record.providerId ? { providerId: record.providerId } : {}) },
  );
  // A file counts only as what it was uploaded as: a business licence cited as the fire
  // certificate is a missing fire certificate.
  const uploaded = new Set(
    [...documents.values()]
      .filter((stored) =>
        form.documents.every((cited) => cited.ref !== stored.ref || cited.kind === stored.kind),
      )
      .map((stored) => stored.ref),
  );
  const findings = standardsFindings(form, { enterprise, uploadedRefs: uploaded });
  const at = now();
  const note = findings.length > 0 ? findingsNote(findings) : undefined;
  // A retry of this step (its function timed out after writing) records no second verdict.
  await changeCase(caseId, (current) =>
    checkedAlready(current)
      ? undefined
      : {
          type: findings.length === 0 ? 'checks.passed' : 'checks.failed',
          actor: { kind: 'system', component: 'standards-check' },
          ...(note ? { note } : {}),
          data: {
            // Whole findings, texts included: the audit trail must say what the provider was told.
            findings,
            ...(enterpriseConfirmed ? { enterpriseConfirmedByCaseworker: true } : {}),
          },
          set: {
            checks: {
              policyVersion: 'standards-2019',
              checkedAt: at.toISOString(),
              ofVersion: current.version,
            },
          },
        },
  );
  logger.info('Standards checked', { codes: findings.map((finding) => finding.code) });
  const amendDue = addWorkingDays(at, amendDueInWorkingDays);
  return {
    compliant: findings.length === 0,
    findingCount: findings.length,
    codes: findings.map((finding) => finding.code),
    ...(note ? { note } : {}),
    amendTimeoutSeconds: Math.max(60, Math.ceil((amendDue.getTime() - at.getTime()) / 1000)),
    reviews: reviewsNeeded(filing),
  };
});
