import * as z from 'zod';
import { monthSchema, personNameSchema, providerIdSchema } from '../forms/fields.ts';
import { idNumberSchema } from '../validation/id-number.ts';
import { mobileSchema } from '../validation/phone.ts';

/** The 入托补助 claim a family submits (POST /v1/subsidy-claims). */
export const subsidyClaimFormSchema = z
  .object({
    child: z.object({ name: personNameSchema, idNumber: idNumberSchema }).strict(),
    guardian: z
      .object({ name: personNameSchema, idNumber: idNumberSchema, phone: mobileSchema })
      .strict(),
    providerId: providerIdSchema,
    months: z
      .array(monthSchema)
      .min(1)
      .max(12)
      .refine((months) => new Set(months).size === months.length, { message: 'MONTHS_DUPLICATE' })
      .transform((months) => [...months].sort()),
  })
  .strict();

export type SubsidyClaimForm = z.output<typeof subsidyClaimFormSchema>;
