import type { ClassType, DocumentKind } from './registration-form.ts';

/*
 * What a 托育机构备案 filing is checked against, as data. Sources:
 * - 托育机构设置标准（试行）, 国卫人口发〔2019〕58号: class sizes (乳儿班 10人以下, 托小班 15人以下,
 *   托大班 20人以下, 18个月以上混合编班 每班不超过18人) and caregiver ratios (乳儿班 1:3,
 *   托小班 1:5, 托大班 1:7).
 * - 托育机构登记和备案办法（试行）: the materials a filing must include.
 * A change here changes how every later filing is judged; findings already stored on a case keep
 * the figures they were judged under, because their messages quote them.
 */

export interface ClassStandard {
  /** Most children one class of this type may take. */
  readonly maxPlaces: number;
  /** Children per caregiver (保育人员): 3 means 1:3. */
  readonly childrenPerCaregiver: number;
}

export interface RegistrationStandards {
  readonly classes: Readonly<Record<ClassType, ClassStandard>>;
  /** Shortest lease on the premises, in years. */
  readonly minLeaseYears: number;
  /** Materials every filing needs. */
  readonly requiredDocuments: readonly DocumentKind[];
  /** Materials a filing needs only when the provider serves meals. */
  readonly mealDocuments: readonly DocumentKind[];
}

export const standardsPolicy = {
  classes: {
    infant: { maxPlaces: 10, childrenPerCaregiver: 3 },
    toddler: { maxPlaces: 15, childrenPerCaregiver: 5 },
    preschool: { maxPlaces: 20, childrenPerCaregiver: 7 },
    // Documented rule: 58号 gives mixed classes no ratio of its own. They take children of 18
    // months and over, i.e. toddler and preschool ages, so the stricter of those two applies: 1:5.
    mixed: { maxPlaces: 18, childrenPerCaregiver: 5 },
  },
  minLeaseYears: 3,
  requiredDocuments: [
    'business-license',
    'premises-proof',
    'fire-safety',
    'health-evaluation',
    'staff-health',
  ],
  mealDocuments: ['food-license'],
} as const satisfies RegistrationStandards;

/** The materials a filing needs, in the order a provider is told about missing ones. */
export function requiredDocumentKinds(
  providesMeals: boolean,
  standards: RegistrationStandards = standardsPolicy,
): readonly DocumentKind[] {
  return providesMeals
    ? [...standards.requiredDocuments, ...standards.mealDocuments]
    : standards.requiredDocuments;
}
