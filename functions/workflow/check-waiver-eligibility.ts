import * as z from 'zod';
import { isFinal } from '../../shared/cases/case-record.ts';
import { CaseNotFoundError, changeCase, getCase } from '../../shared/cases/case-store.ts';
import { rejectionItems } from '../../shared/cases/rejection-items.ts';
import { now } from '../../shared/clock/index.ts';
import { logger } from '../../shared/observability/index.ts';
import { getProvider } from '../../shared/providers/index.ts';
import { registriesFromEnvironment } from '../../shared/registries/index.ts';
import { RegistryUnavailableError } from '../../shared/registries/registries.ts';
import {
  type HardshipRecord,
  hardshipCategorySchema,
  type Resident,
} from '../../shared/registries/registry-records.ts';
import { sameName } from '../../shared/registries/same-name.ts';
import { parseIdNumber } from '../../shared/validation/id-number.ts';
import { evaluateWaiver, type HardshipEvidence } from '../../shared/waivers/evaluation.ts';
import { waiverPolicyFor } from '../../shared/waivers/policy/policy.ts';
import { type WaiverForm, waiverFormSchema } from '../../shared/waivers/waiver-form.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const registries = registriesFromEnvironment();

const inputSchema = z.object({
  caseId: z.string().min(1),
  /** A caseworker confirmed 户籍 by hand (the household registry did not answer). */
  residentConfirmed: z.boolean().optional(),
  /** Civil affairs checked the certificate by hand: the category and until when it holds. */
  hardshipVerified: z
    .object({ category: hardshipCategorySchema, validUntil: z.iso.date() })
    .loose()
    .optional(),
});

const categoryNames: Record<string, string> = {
  dibao: '低保',
  dibian: '低边',
  tekun: '特困',
  orphan: '孤儿',
  disabled: '残疾儿童',
};

/**
 * Civil affairs' record for the guardian or the child — whichever holds longer, since either
 * qualifies the family; an outage leaves the check to civil-affairs staff. The guardian's record
 * counts only for a guardian the household registry knows under that name: an ID number typed in
 * is not evidence (and must not reveal someone else's status).
 */
async function hardshipOf(form: WaiverForm): Promise<HardshipEvidence | undefined> {
  try {
    const [guardianResident, guardianRecord, child] = await Promise.all([
      registries.findResident(form.guardian.idNumber),
      registries.findHardship(form.guardian.idNumber),
      registries.findHardship(form.child.idNumber),
    ]);
    const guardian =
      guardianResident && sameName(guardianResident.name, form.guardian.name)
        ? guardianRecord
        : undefined;
    if (guardian && (!child || guardian.validUntil >= child.validUntil)) {
      return { record: guardian, verifiedFor: 'guardian' };
    }
    return child ? { record: child, verifiedFor: 'child' } : undefined;
  } catch (error) {
    if (error instanceof RegistryUnavailableError) {
      logger.warn('A registry is unavailable; hardship verification by hand', {
        registry: error.registry,
        reason: error.reason,
      });
      return undefined;
    }
    throw error;
  }
}

/** 户籍 as a caseworker confirmed it: the birth date from the ID number, in the provider's district. */
function confirmedResident(form: WaiverForm, district: string): Resident {
  return {
    idNumber: form.child.idNumber,
    name: form.child.name,
    birthDate: parseIdNumber(form.child.idNumber).birthDate,
    hukouDistrict: district as Resident['hukouDistrict'],
  };
}

/**
 * The automatic checks of a 学费减免 application: 户籍 and age (household registry), the provider,
 * and the hardship status (civil-affairs registry) under the policy in force when it was filed.
 * Ineligible → rejected here with every reason; no civil-affairs record → the state machine asks
 * civil affairs; eligible → the months granted (with the months cut, and why) and the percentage.
 */
export const handler = workflowHandler(
  inputSchema,
  async ({ caseId, residentConfirmed, hardshipVerified }) => {
    const record = await getCase(caseId);
    if (!record) throw new CaseNotFoundError(caseId);
    const form = waiverFormSchema.parse(record.form);
    const policy = waiverPolicyFor(new Date(record.createdAt));
    const provider = await getProvider(form.providerId);
    const resident = residentConfirmed
      ? confirmedResident(form, provider?.district ?? 'wuxing')
      : await registries.findResident(form.child.idNumber);
    const hardship: HardshipEvidence | undefined = hardshipVerified
      ? {
          record: {
            category: hardshipVerified.category,
            validUntil: hardshipVerified.validUntil,
          } satisfies HardshipRecord,
          verifiedFor: 'guardian',
        }
      : await hardshipOf(form);
    const today = now();
    const result = evaluateWaiver({ form, resident, hardship, provider, today, policy });
    const checkedAt = today.toISOString();
    const actor = { kind: 'system', component: 'waiver-checks' } as const;
    const district = provider?.district;
    await changeCase(caseId, (current) => {
      if (isFinal(current.status)) return undefined;
      const set = {
        checks: { policyVersion: policy.version, checkedAt },
        ...(district ? { district } : {}),
      };
      if (result.outcome === 'rejected') {
        return {
          type: 'checks.failed',
          actor,
          status: 'rejected',
          note: result.reasons.map((reason) => reason.message['zh-CN']).join('；'),
          data: {
            policyVersion: policy.version,
            reasons: result.reasons.map((reason) => ({ code: reason.code, months: reason.months })),
          },
          set,
          items: rejectionItems(current, today),
        };
      }
      if (result.outcome === 'needs-verification') {
        return {
          type: 'checks.verification-needed',
          actor,
          status: 'in-review',
          data: { policyVersion: policy.version, category: form.hardship.category },
          set,
        };
      }
      return {
        type: 'checks.passed',
        actor,
        status: 'in-review',
        ...(result.cuts.length > 0
          ? { note: result.cuts.map((cut) => cut.message['zh-CN']).join('；') }
          : {}),
        data: {
          policyVersion: policy.version,
          category: result.category,
          percent: result.percent,
          months: result.months,
          ...(result.claimedCategory !== result.category
            ? { claimedCategory: result.claimedCategory }
            : {}),
          cuts: result.cuts.map((cut) => ({ code: cut.code, months: cut.months })),
          ...(hardshipVerified ? { verifiedBy: 'civil-affairs' } : {}),
        },
        set,
      };
    });
    logger.info('Waiver checked', { outcome: result.outcome });
    if (result.outcome === 'rejected') {
      return { outcome: 'rejected', codes: result.reasons.map((reason) => reason.code) };
    }
    if (result.outcome === 'needs-verification') {
      const hukou = resident?.hukouDistrict;
      return {
        outcome: 'needs-verification',
        // Civil affairs of the family's 户籍 district keeps its records.
        hukouDistrict: hukou && hukou !== 'other' ? hukou : (district ?? 'city'),
        // The certificate number is on the application (the task shows it); it does not travel.
        note: `请核验困难家庭认定：申报类别 ${categoryNames[form.hardship.category]}，证书编号见申请表`,
      };
    }
    return {
      outcome: 'eligible',
      policyVersion: policy.version,
      category: result.category,
      percent: result.percent,
      months: result.months,
      cuts: result.cuts.map((cut) => cut.code),
    };
  },
);
