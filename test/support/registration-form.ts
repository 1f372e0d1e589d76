import type {
  ClassGroup,
  ClassType,
  DocumentKind,
  RegistrationDocument,
  RegistrationForm,
  StaffMember,
} from '../../shared/registration/registration-form.ts';
import type { Enterprise } from '../../shared/registries/registry-records.ts';
import { withUsccCheck } from '../unit/validation/check-characters.ts';
import { idNumberFor } from './ids.ts';

/*
 * A 托育机构备案 filing that meets every standard, to vary one part at a time. Figures are written
 * out here rather than read from shared/registration/standards-policy.ts, so that a wrong policy
 * cannot also make its own fixtures pass.
 */

/** A valid 统一社会信用代码 for a 吴兴区 company, different for each serial (0 – 9,999,999). */
export function usccFor(serial: number): string {
  return withUsccCheck(`91330502MA${String(serial).padStart(7, '0')}`);
}

export const defaultRegistrationUscc = usccFor(2_019_058);
export const defaultOrganisationName = '湖州吴兴禾苗托育服务有限公司';

const childrenPerCaregiver: Record<ClassType, number> = {
  infant: 3,
  toddler: 5,
  preschool: 7,
  mixed: 5,
};

// idNumberFor draws a random sequence number, so each person's number is drawn once per process:
// equal inputs then give equal forms. Birth dates differ per person, so numbers never collide.
const idNumbers: string[] = [];
function idNumberAt(index: number): string {
  for (let i = idNumbers.length; i <= index; i++) {
    const born = new Date(Date.UTC(1980, 0, 1 + i * 13));
    idNumbers.push(idNumberFor(born.toISOString().slice(0, 10).replaceAll('-', '')));
  }
  return idNumbers[index] as string;
}

const surnames = [...'沈王李张陈吴周徐钱朱'];
const givenNames = ['丽华', '晓燕', '静', '芳', '海燕', '雪梅', '秀英', '婷', '佳怡', '梦瑶'];
function nameAt(index: number): string {
  const given = givenNames[Math.floor(index / surnames.length) % givenNames.length];
  return `${surnames[index % surnames.length]}${given}`;
}

function member(index: number, role: StaffMember['role'], certificates: string[]): StaffMember {
  // Index 0 is the legal representative's number.
  return {
    name: nameAt(index),
    idNumber: idNumberAt(index + 1),
    role,
    certificates,
    healthCertified: true,
  };
}

/** Director, health worker, cook and guard, then the caregivers `classes` need at the standard ratios. */
export function compliantStaff(classes: readonly ClassGroup[]): StaffMember[] {
  const caregivers = classes.reduce(
    (total, group) =>
      total + group.count * Math.ceil(group.placesPerClass / childrenPerCaregiver[group.type]),
    0,
  );
  return [
    member(0, 'director', ['教师资格证']),
    member(1, 'health', ['护士执业证书']),
    member(2, 'cook', []),
    member(3, 'security', ['保安员证']),
    ...Array.from({ length: caregivers }, (_, i) => member(4 + i, 'caregiver', ['保育员证'])),
  ];
}

/** One document per kind needed, with the ref `doc-<kind>`. */
export function compliantDocuments(providesMeals: boolean): RegistrationDocument[] {
  const kinds: DocumentKind[] = [
    'business-license',
    'premises-proof',
    'fire-safety',
    'health-evaluation',
    'staff-health',
    ...(providesMeals ? (['food-license'] as const) : []),
  ];
  return kinds.map((kind) => ({ kind, ref: `doc-${kind}` }));
}

export type RegistrationFormOverrides = Partial<RegistrationForm> & {
  /** Sets organisation.uscc (after any `organisation` override). */
  uscc?: string;
};

/**
 * A filing with no findings against {@link enterpriseFor} its uscc. Overrides replace whole parts;
 * left alone, staff follows the classes (enough caregivers for them) and documents follow
 * providesMeals (the food licence only with meals), so changing one part does not break another.
 * Deterministic given its inputs within a test run.
 */
export function compliantRegistrationForm(
  overrides: RegistrationFormOverrides = {},
): RegistrationForm {
  const { uscc, ...parts } = overrides;
  const classes = parts.classes ?? [
    { type: 'infant', count: 1, placesPerClass: 9 },
    { type: 'toddler', count: 1, placesPerClass: 15 },
    { type: 'preschool', count: 1, placesPerClass: 14 },
  ];
  const providesMeals = parts.providesMeals ?? true;
  const organisation = parts.organisation ?? {
    name: defaultOrganisationName,
    uscc: defaultRegistrationUscc,
    district: 'wuxing',
    address: '湖州市吴兴区爱山街道禾苗路1号',
    legalRepresentative: { name: '沈明', idNumber: idNumberAt(0), phone: '13857200000' },
  };
  return {
    inclusive: true,
    monthlyFeeYuan: 2800,
    premises: { indoorAreaM2: 420, outdoorAreaM2: 180, leaseYears: 5 },
    ...parts,
    organisation: uscc === undefined ? organisation : { ...organisation, uscc },
    classes,
    staff: parts.staff ?? compliantStaff(classes),
    providesMeals,
    documents: parts.documents ?? compliantDocuments(providesMeals),
  };
}

/** The active market-supervision record that matches `form`. */
export function enterpriseFor(form: RegistrationForm): Enterprise {
  return { uscc: form.organisation.uscc, name: form.organisation.name, status: 'active' };
}

/** Every ref the form's documents give, as uploaded. */
export function uploadedRefsOf(form: RegistrationForm): Set<string> {
  return new Set(form.documents.map((document) => document.ref));
}
