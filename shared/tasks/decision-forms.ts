import * as z from 'zod';
import { monthSchema } from '../forms/fields.ts';
import { registrationChangesSchema } from '../registration/registration-form.ts';
import { hardshipCategorySchema } from '../registries/registry-records.ts';
import { type Outcome, outcomeSchema } from './task-record.ts';

/** What a task type accepts as a decision: its outcomes and the shape of its `data`. */
interface DecisionForm {
  readonly outcomes: readonly Outcome[];
  readonly data: z.ZodType;
  /** Outcomes that must carry `data` (an inspection's approval, with its findings). */
  readonly dataRequiredFor?: readonly Outcome[];
  /**
   * The data may hold personal data (an amended filing's staff, with ID numbers): it stays in the
   * table and the workflow reads it by task id, never from the decision it is handed.
   */
  readonly dataStaysInTable?: boolean;
}

/** A department's review: what it looked at, in its own words. */
const departmentReview: DecisionForm = {
  outcomes: ['approve', 'reject', 'request-info'],
  data: z
    .object({ findings: z.array(z.string().trim().min(1).max(500)).max(50).optional() })
    .strict(),
};

const forms: Record<string, DecisionForm> = {
  /** The provider confirms (or not) that the child attends, and what it charges. */
  'confirm-enrollment': {
    outcomes: ['approve', 'reject', 'request-info'],
    data: z
      .object({
        enrolledSince: monthSchema.optional(),
        /** The months the child actually attended, when fewer than claimed. */
        months: z.array(monthSchema).min(1).max(12).optional(),
        monthlyFeeYuan: z.number().nonnegative().max(100_000).optional(),
      })
      .strict(),
  },
  /** The family answers a request for information. */
  'supply-info': {
    outcomes: ['approve'],
    data: z
      .object({
        message: z.string().trim().min(1).max(2000),
        documents: z.array(z.string().min(1).max(256)).max(20).optional(),
      })
      .strict(),
  },
  /** The provider corrects a filing after the standards check: changed parts and a message. */
  'amend-registration': {
    outcomes: ['approve'],
    dataStaysInTable: true,
    data: z
      .object({
        changes: registrationChangesSchema.optional(),
        message: z.string().trim().min(1).max(2000).optional(),
      })
      .strict(),
  },
  /** The provider confirms a waiver child's enrolment and the tuition it actually charges. */
  'confirm-tuition': {
    outcomes: ['approve', 'reject', 'request-info'],
    dataRequiredFor: ['approve'],
    data: z
      .object({
        monthlyTuitionYuan: z.number().positive().max(100_000).multipleOf(0.01),
        /** The months the child attends, when fewer than applied for. */
        months: z.array(monthSchema).min(1).max(12).optional(),
      })
      .strict(),
  },
  /** Civil affairs checked the certificate by hand: the category it found, valid until when. */
  'verify-hardship': {
    outcomes: ['approve', 'reject'],
    dataRequiredFor: ['approve'],
    data: z
      .object({
        category: hardshipCategorySchema,
        validUntil: z.iso.date(),
        certificateChecked: z.string().trim().min(1).max(64).optional(),
      })
      .strict(),
  },
  'health-review': departmentReview,
  'fire-review': departmentReview,
  'market-review': departmentReview,
  /** The inspector records when the visit took place and what was found, item by item. */
  'on-site-inspection': {
    outcomes: ['approve', 'reject', 'request-info'],
    // A visit that took place is on record; asking or refusing before one needs only a reason.
    dataRequiredFor: ['approve'],
    data: z
      .object({
        inspectedOn: z.iso.date(),
        findings: z
          .array(
            z
              .object({
                item: z.string().trim().min(1).max(200),
                passed: z.boolean(),
                note: z.string().trim().min(1).max(1000).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(100),
      })
      .strict(),
  },
};

const fallback: DecisionForm = {
  outcomes: outcomeSchema.options,
  data: z.record(z.string(), z.unknown()),
};

/** The body of POST /v1/tasks/{taskId}/decision for a task of `taskType`. */
/** Whether a decision of `taskType` is handed to its workflow with its data. */
export function decisionDataTravels(taskType: string): boolean {
  return !(forms[taskType] ?? fallback).dataStaysInTable;
}

export function decisionBodySchema(taskType: string) {
  const form = forms[taskType] ?? fallback;
  return z
    .object({
      outcome: z.enum(form.outcomes as [Outcome, ...Outcome[]]),
      reason: z.string().trim().min(1).max(1000).optional(),
      data: form.data.optional(),
    })
    .strict()
    .superRefine((body, context) => {
      // A refusal or a request for information must tell the family why.
      if (body.outcome !== 'approve' && !body.reason) {
        context.addIssue({ code: 'custom', path: ['reason'], message: 'DECISION_REASON_REQUIRED' });
      }
      if (form.dataRequiredFor?.includes(body.outcome) && body.data === undefined) {
        context.addIssue({ code: 'custom', path: ['data'], message: 'DECISION_DATA_REQUIRED' });
      }
    });
}

export type DecisionBody = z.output<ReturnType<typeof decisionBodySchema>>;
