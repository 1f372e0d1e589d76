import { z } from 'zod';
import { monthSchema } from '../forms/fields.ts';
import { type Outcome, outcomeSchema } from './task-record.ts';

/** What a task type accepts as a decision: its outcomes and the shape of its `data`. */
interface DecisionForm {
  readonly outcomes: readonly Outcome[];
  readonly data: z.ZodType;
}

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
};

const fallback: DecisionForm = {
  outcomes: outcomeSchema.options,
  data: z.record(z.string(), z.unknown()),
};

/** The body of POST /v1/tasks/{taskId}/decision for a task of `taskType`. */
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
    });
}

export type DecisionBody = z.output<ReturnType<typeof decisionBodySchema>>;
