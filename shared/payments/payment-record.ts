import * as z from 'zod';
import { monthSchema } from '../forms/fields.ts';

/**
 * A benefit paid per child-month. The enrollment subsidy is the first; others (爱心牛奶, the milk
 * subsidy) reuse the same records. Kebab-case without `#`: it goes into keys.
 */
export const benefitSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, {
  message: 'BENEFIT_INVALID',
});
export type Benefit = z.infer<typeof benefitSchema>;

export const defaultBenefit: Benefit = 'enrollment-subsidy';

/** Names finance staff read in the export; an unknown benefit shows its id. */
export const benefitLabels: Readonly<Record<string, string>> = {
  'enrollment-subsidy': '入托补助',
  'milk-subsidy': '爱心牛奶',
};

export const paymentStatusSchema = z.enum(['pending-disbursement', 'disbursed']);
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

export const paymentStatusLabels: Readonly<Record<PaymentStatus, string>> = {
  'pending-disbursement': '待发放',
  disbursed: '已发放',
};

/**
 * One child-month of an approved claim. Holds no ID number (only its keyed digest) and only the
 * masked name: the export goes to finance offices and spreadsheets.
 */
export const paymentRecordSchema = z.object({
  paymentId: z.string(),
  caseId: z.string(),
  month: monthSchema,
  /** The provider's district: the office that pays. */
  district: z.string(),
  providerId: z.string(),
  childKey: z.string(),
  childName: z.string(),
  /** Integer fen: no floating-point money anywhere. */
  amountFen: z.number().int().nonnegative(),
  policyVersion: z.string(),
  benefit: benefitSchema,
  status: paymentStatusSchema,
  createdAt: z.string(),
  disbursedAt: z.string().optional(),
  batchId: z.string().optional(),
});
export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

export const batchStatusSchema = z.enum(['in-progress', 'disbursed']);
export type BatchStatus = z.infer<typeof batchStatusSchema>;

/** The one disbursement of a month and district. */
export const batchRecordSchema = z.object({
  batchId: z.string(),
  month: monthSchema,
  district: z.string(),
  status: batchStatusSchema,
  startedAt: z.string(),
  startedBy: z.string(),
  /** Payments this batch moved to `disbursed`, counted in the same transactions that moved them. */
  count: z.number().int().nonnegative(),
  completedAt: z.string().optional(),
  /** While in progress: who works on it, and until when (after which another call may resume). */
  leaseToken: z.string().optional(),
  leaseUntil: z.string().optional(),
});
export type BatchRecord = z.infer<typeof batchRecordSchema>;
