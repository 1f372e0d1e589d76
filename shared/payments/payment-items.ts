import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { monthSchema } from '../forms/fields.ts';
import { idKey } from '../privacy/id-key.ts';
import { maskPersonName } from '../tasks/summary.ts';
import { districtSchema } from '../validation/district.ts';
import { paymentIdFor, paymentKeys } from './payment-keys.ts';
import { benefitSchema, defaultBenefit, type PaymentRecord } from './payment-record.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The payments asked for cannot be right: a programming or policy error, never retried. */
export class InvalidPaymentError extends Error {
  constructor(reason: string) {
    super(`Invalid payment: ${reason}`);
    this.name = 'InvalidPaymentError';
  }
}

/** The most months one claim pays, and so the most items it adds to its approval transaction. */
export const maxMonthsPerClaim = 12;

export interface PaymentInput {
  readonly caseId: string;
  /** The provider's district. */
  readonly district: string;
  readonly providerId: string;
  /** Turned into its keyed digest here; never stored. */
  readonly childIdNumber: string;
  /** Masked here; never stored in full. */
  readonly childName: string;
  readonly months: readonly string[];
  /** As the policy states it, in yuan. */
  readonly amountYuanPerMonth: number;
  readonly policyVersion: string;
  readonly benefit?: string;
  /** The approval's own timestamp, so that a retried approval writes identical items. */
  readonly createdAt: string;
}

/** A payment as stored: the record plus the table's and the listing index's keys. */
export type PaymentItem = PaymentRecord & {
  readonly pk: string;
  readonly sk: string;
  readonly gsi3pk: string;
  readonly gsi3sk: string;
  readonly entity: 'Payment';
};

export interface PaymentPut {
  readonly Put: {
    readonly TableName: string;
    readonly Item: PaymentItem;
    readonly ConditionExpression: string;
  };
}

/**
 * Yuan to fen, exactly. `0.29 * 100` is 28.999…96 in floating point, so the product is rounded,
 * but only a sub-fen rounding error is forgiven: an amount with a third decimal is refused, not
 * silently rounded.
 */
export function yuanToFen(yuan: number): number {
  if (!Number.isFinite(yuan) || yuan <= 0) {
    throw new InvalidPaymentError(`amount ${yuan} yuan is not a positive number`);
  }
  const fen = Math.round(yuan * 100);
  if (Math.abs(fen - yuan * 100) > 1e-6 || !Number.isSafeInteger(fen)) {
    throw new InvalidPaymentError(`amount ${yuan} yuan is not a whole number of fen`);
  }
  return fen;
}

const inputSchema = z.object({
  caseId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  district: districtSchema,
  providerId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  childIdNumber: z.string().trim().min(1),
  childName: z.string().trim().min(1),
  months: z
    .array(monthSchema)
    .min(1)
    .max(maxMonthsPerClaim)
    .refine((months) => new Set(months).size === months.length, { message: 'MONTHS_DUPLICATE' }),
  amountYuanPerMonth: z.number(),
  policyVersion: z.string().trim().min(1).max(64),
  benefit: benefitSchema.default(defaultBenefit),
  createdAt: z.iso.datetime(),
});

/**
 * TransactWriteItems entries (lib-dynamodb shape) that file one payment per month of an approved
 * claim, to go in the same transaction as the approval (`CaseChange.items`): either the case is
 * approved and its payments exist, or neither.
 *
 * Each Put is conditioned on `attribute_not_exists(pk)`: the key is the case, month and benefit,
 * so a payment is never written twice, and a second approval's transaction fails instead.
 */
export function paymentItems(input: PaymentInput, tableName: string): PaymentPut[] {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidPaymentError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  const valid = parsed.data;
  const amountFen = yuanToFen(valid.amountYuanPerMonth);
  const childKey = idKey(valid.childIdNumber);
  const childName = maskPersonName(valid.childName);
  return valid.months.map((month): PaymentPut => {
    const status = 'pending-disbursement' as const;
    const record: PaymentRecord = {
      paymentId: paymentIdFor(valid.caseId, month, valid.benefit),
      caseId: valid.caseId,
      month,
      district: valid.district,
      providerId: valid.providerId,
      childKey,
      childName,
      amountFen,
      policyVersion: valid.policyVersion,
      benefit: valid.benefit,
      status,
      createdAt: valid.createdAt,
    };
    return {
      Put: {
        TableName: tableName,
        Item: {
          ...paymentKeys.payment(valid.caseId, month, valid.benefit),
          ...paymentKeys.monthlyPayments(
            month,
            valid.district,
            status,
            valid.caseId,
            valid.benefit,
          ),
          entity: 'Payment',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  });
}
