import type {
  EligibilityProvider,
  EligibilityResident,
} from '../../../shared/subsidy/eligibility.ts';
import { type SubsidyPolicy, subsidyPolicySchema } from '../../../shared/subsidy/policy/policy.ts';
import { withIdCheckDigit } from '../validation/check-characters.ts';

/*
 * Eligibility tests use their own policy, not the files under shared/subsidy/policy/versions:
 * those amounts are placeholders that will change, and the rules must not change with them.
 */
export const testPolicy: SubsidyPolicy = subsidyPolicySchema.parse({
  version: '2025-01',
  effectiveFrom: '2025-01-01',
  monthlyAmountYuan: 200,
  claimWindowMonths: 6,
  maxMonthsPerClaim: 3,
  ageLimitMonths: 36,
  amountIsPlaceholder: true,
  source: 'test',
});

/** A valid 吴兴区 ID number for a boy born on `birthDate` (`YYYY-MM-DD`). */
export function childIdBornOn(birthDate: string): string {
  return withIdCheckDigit(`330502${birthDate.replaceAll('-', '')}001`);
}

export function claimFor(birthDate: string, months: string[], name = '沈小禾') {
  return { child: { name, idNumber: childIdBornOn(birthDate) }, months };
}

export const huzhouChild: EligibilityResident = { name: '沈小禾', hukouDistrict: 'wuxing' };

export const inclusiveProvider: EligibilityProvider = {
  inclusive: true,
  status: 'registered',
  registeredFrom: '2024-01-01',
};
