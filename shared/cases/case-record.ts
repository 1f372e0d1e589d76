import * as z from 'zod';

export const caseTypeSchema = z.enum(['subsidy-claim', 'tuition-waiver', 'provider-registration']);
export type CaseType = z.infer<typeof caseTypeSchema>;

/**
 * Where a case stands, as families and staff see it: `submitted` until the automatic checks pass,
 * `in-review` while people decide, `info-requested` while the family is asked for something;
 * `approved`, `rejected`, `expired` and `withdrawn` are final.
 */
export const caseStatusSchema = z.enum([
  'submitted',
  'in-review',
  'info-requested',
  'approved',
  'rejected',
  'expired',
  'withdrawn',
]);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

/** Statuses from which nothing more happens to a case. */
export const finalStatuses: readonly CaseStatus[] = [
  'approved',
  'rejected',
  'expired',
  'withdrawn',
];

export const isFinal = (status: CaseStatus) => finalStatuses.includes(status);

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
  /** The execution that runs the case's workflow, and the workflow version it started on. */
  workflow: z
    .object({
      executionArn: z.string(),
      stateMachineArn: z.string(),
      versionArn: z.string().optional(),
    })
    .optional(),
  /**
   * The automatic checks' verdict and the policy version they applied; `ofVersion` is the case
   * version they examined, so that a retried check knows it already ran (see `checkedAlready`).
   */
  checks: z
    .object({
      policyVersion: z.string(),
      checkedAt: z.string(),
      ofVersion: z.number().int().positive().optional(),
    })
    .optional(),
  /** The amend-registration task whose corrections the filing holds (a retry applies none twice). */
  amendedBy: z.string().optional(),
  /** A registration filing's receipt (回执): its number and when it was issued. */
  receipt: z.object({ number: z.string(), issuedAt: z.string() }).optional(),
  /** Bumped by every change; each change's audit event is stored under this number. */
  version: z.number().int().positive(),
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

/**
 * A case as its listings hold it: the record without the form, which is an item of its own and
 * in no index (a record stored before that may still carry it: the parse drops it).
 */
export const caseSummarySchema = caseRecordSchema.omit({ form: true });
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseEventSchema = z.object({
  caseId: z.string(),
  version: z.number().int().positive(),
  at: z.string(),
  /** What happened, e.g. `case.submitted`, `task.created`, `task.claimed`, `task.decided`. */
  type: z.string(),
  actor: actorSchema,
  /** Set when the event changed the case's status. */
  fromStatus: caseStatusSchema.optional(),
  toStatus: caseStatusSchema.optional(),
  taskId: z.string().optional(),
  /** A person's words: a decision's reason, a request for information. */
  note: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

/**
 * Whether the last change to the case was the record of a check of the version before it: a
 * retried check step (its function timed out after writing) then changes nothing again.
 */
export function checkedAlready(record: CaseRecord): boolean {
  const examined = record.checks?.ofVersion;
  return examined !== undefined && record.version === examined + 1;
}
