import { z } from 'zod';

export const caseTypeSchema = z.enum(['subsidy-claim', 'tuition-waiver', 'provider-registration']);
export type CaseType = z.infer<typeof caseTypeSchema>;

/**
 * Where a case stands. Later workflow steps add states; `rejected`, `expired` and `withdrawn` are
 * final whatever the case type.
 */
export const caseStatusSchema = z.enum([
  'submitted',
  'enrollment-confirmed',
  'approved',
  'rejected',
  'expired',
  'withdrawn',
]);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

/** Who changed a case: a person (with the roles they acted in) or the system itself. */
export const actorSchema = z.union([
  z.object({ kind: z.literal('person'), sub: z.string(), roles: z.array(z.string()) }),
  z.object({ kind: z.literal('system'), component: z.string() }),
]);
export type Actor = z.infer<typeof actorSchema>;

export const caseRecordSchema = z.object({
  caseId: z.string(),
  caseType: caseTypeSchema,
  status: caseStatusSchema,
  applicantSub: z.string(),
  district: z.string().optional(),
  providerId: z.string().optional(),
  /** SHA-256 of the submitted form, to tell a retry from a different submission. */
  fingerprint: z.string(),
  /** The form as submitted (personal data: never logged, masked in summaries). */
  form: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped by every change; each change's audit event is stored under this number. */
  version: z.number().int().positive(),
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

export const caseEventSchema = z.object({
  caseId: z.string(),
  version: z.number().int().positive(),
  at: z.string(),
  type: z.string(),
  actor: actorSchema,
  fromStatus: caseStatusSchema.optional(),
  toStatus: caseStatusSchema,
  data: z.record(z.string(), z.unknown()).optional(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;
