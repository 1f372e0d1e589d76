import type { WaiverProvider, WaiverResident } from '../../../shared/waivers/evaluation.ts';
import { type WaiverPolicy, waiverPolicySchema } from '../../../shared/waivers/policy/policy.ts';
import { withIdCheckDigit } from '../validation/check-characters.ts';

/*
 * Rule tests use their own policy, not the files under shared/waivers/policy/versions: every figure
 * there is a placeholder that will change, and the rules must not change with them.
 */
export const testPolicy: WaiverPolicy = waiverPolicySchema.parse({
  version: '2025-01',
  effectiveFrom: '2025-01-01',
  percentByCategory: { tekun: 100, orphan: 100, dibao: 100, dibian: 50, disabled: 50 },
  maxWaiverYuanPerMonth: 2000,
  milkSubsidyYuanPerMonth: 100,
  ageLimitMonths: 36,
  maxTermMonths: 12,
  maxMonthsAhead: 3,
  placeholders: true,
  source: 'test',
});

/** A valid 吴兴区 ID number for a boy born on `birthDate` (`YYYY-MM-DD`). */
export function childIdBornOn(birthDate: string): string {
  return withIdCheckDigit(`330502${birthDate.replaceAll('-', '')}001`);
}

export const guardianId = withIdCheckDigit('33050219920511028');

/** The form fields the rules read, for a child born on `birthDate`. */
export function waiverFor(
  birthDate: string,
  term: { from: string; to: string },
  category: 'dibao' | 'dibian' | 'tekun' | 'orphan' | 'disabled' = 'dibao',
  name = '沈小禾',
) {
  return {
    child: { name, idNumber: childIdBornOn(birthDate) },
    term,
    hardship: { category, certificateNo: 'DB-330502-0001' },
  };
}

export const huzhouChild: WaiverResident = { name: '沈小禾', hukouDistrict: 'wuxing' };

export const registeredProvider: WaiverProvider = {
  status: 'registered',
  registeredFrom: '2024-01-01',
};
