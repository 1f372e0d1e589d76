import * as z from 'zod';
import { personNameSchema } from '../forms/fields.ts';
import { districtSchema } from '../validation/district.ts';
import { idNumberSchema } from '../validation/id-number.ts';
import { mobileSchema } from '../validation/phone.ts';
import { usccSchema } from '../validation/uscc.ts';

/** 乳儿班 6–12 months, 托小班 12–24, 托大班 24–36, 混龄班 18 months and over. */
export const classTypeSchema = z.enum(['infant', 'toddler', 'preschool', 'mixed']);
export type ClassType = z.infer<typeof classTypeSchema>;

export const staffRoleSchema = z.enum(['director', 'caregiver', 'health', 'cook', 'security']);
export type StaffRole = z.infer<typeof staffRoleSchema>;

/** The materials a filing refers to (托育机构登记和备案办法). */
export const documentKindSchema = z.enum([
  'business-license',
  'premises-proof',
  'fire-safety',
  'health-evaluation',
  'food-license',
  'staff-health',
]);
export type DocumentKind = z.infer<typeof documentKindSchema>;

/** A reference POST /v1/documents handed out for an uploaded file. */
export const documentRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'DOCUMENT_REF_INVALID' });

const organisationSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    uscc: usccSchema,
    district: districtSchema,
    address: z.string().trim().min(1).max(300),
    legalRepresentative: z
      .object({ name: personNameSchema, idNumber: idNumberSchema, phone: mobileSchema })
      .strict(),
  })
  .strict();

export const classGroupSchema = z
  .object({
    type: classTypeSchema,
    /** How many classes of this type. */
    count: z.int().min(1).max(100),
    placesPerClass: z.int().min(1).max(100),
  })
  .strict();
export type ClassGroup = z.infer<typeof classGroupSchema>;

export const staffMemberSchema = z
  .object({
    name: personNameSchema,
    idNumber: idNumberSchema,
    role: staffRoleSchema,
    /** e.g. 保育员证, 育婴员证, 教师资格证; a caregiver without one counts as uncertified. */
    certificates: z.array(z.string().trim().min(1).max(100)).max(20),
    /** Holds a valid health certificate (健康证). */
    healthCertified: z.boolean(),
  })
  .strict();
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const premisesSchema = z
  .object({
    indoorAreaM2: z.number().positive().max(100_000),
    outdoorAreaM2: z.number().nonnegative().max(100_000),
    leaseYears: z.number().nonnegative().max(100),
  })
  .strict();

export const registrationDocumentSchema = z
  .object({ kind: documentKindSchema, ref: documentRefSchema })
  .strict();
export type RegistrationDocument = z.infer<typeof registrationDocumentSchema>;

/** The parts of a filing; a change filing or an amendment replaces whole parts. */
export const registrationPartsSchema = {
  organisation: organisationSchema,
  inclusive: z.boolean(),
  monthlyFeeYuan: z.number().nonnegative().max(100_000),
  classes: z.array(classGroupSchema).min(1).max(20),
  staff: z.array(staffMemberSchema).min(1).max(500),
  premises: premisesSchema,
  providesMeals: z.boolean(),
  documents: z.array(registrationDocumentSchema).max(50),
} as const;

/** 托育机构备案: what a provider files (POST /v1/provider-registrations). */
export const registrationFormSchema = z.object(registrationPartsSchema).strict();
export type RegistrationForm = z.output<typeof registrationFormSchema>;

/** The parts of a filing that can change; the organisation's identity (uscc) cannot. */
export const registrationChangesSchema = z
  .object({
    organisation: organisationSchema
      .omit({ uscc: true, legalRepresentative: true })
      .partial()
      .extend({ legalRepresentative: organisationSchema.shape.legalRepresentative.optional() })
      .strict()
      .optional(),
    inclusive: registrationPartsSchema.inclusive.optional(),
    monthlyFeeYuan: registrationPartsSchema.monthlyFeeYuan.optional(),
    classes: registrationPartsSchema.classes.optional(),
    staff: registrationPartsSchema.staff.optional(),
    premises: registrationPartsSchema.premises.optional(),
    providesMeals: registrationPartsSchema.providesMeals.optional(),
    documents: registrationPartsSchema.documents.optional(),
  })
  .strict()
  .refine(
    (changes) =>
      Object.entries(changes).some(([part, value]) =>
        part === 'organisation'
          ? Object.values(value as object).some((field) => field !== undefined)
          : value !== undefined,
      ),
    { message: 'CHANGES_EMPTY' },
  );
export type RegistrationChanges = z.output<typeof registrationChangesSchema>;

/** The form with `changes` applied: whole parts replaced, the organisation merged field by field. */
export function applyRegistrationChanges(
  form: RegistrationForm,
  changes: RegistrationChanges,
): RegistrationForm {
  const { organisation, ...parts } = changes;
  const defined = Object.fromEntries(
    Object.entries(parts).filter(([, value]) => value !== undefined),
  ) as Partial<RegistrationForm>;
  return {
    ...form,
    ...defined,
    organisation: { ...form.organisation, ...(organisation ?? {}) },
  };
}
