import * as z from 'zod';
import { monthSchema, personNameSchema, providerIdSchema } from '../forms/fields.ts';
import { hardshipCategorySchema } from '../registries/registry-records.ts';
import { monthOrdinal } from '../subsidy/policy/shanghai-calendar.ts';
import { idNumberSchema } from '../validation/id-number.ts';
import { mobileSchema } from '../validation/phone.ts';

/**
 * The longest term one application may cover. The policy's `maxTermMonths` may be shorter (then
 * the pre-submission checks refuse the term); the form's cap only bounds what is ever stored.
 */
export const maxWaiverTermMonths = 12;

/** The number on the civil-affairs certificate (低保证, 特困供养证 …), as printed on it. */
export const hardshipCertificateNoSchema = z
  .string()
  .trim()
  .min(1, { abort: true })
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, { message: 'HARDSHIP_CERTIFICATE_INVALID' });

/** Months between `from` and `to`, or undefined when either is malformed (reported by its own field). */
function span(term: { from: string; to: string }): number | undefined {
  const months = [term.from, term.to].map((month) => monthSchema.safeParse(month));
  if (!months.every((parsed) => parsed.success)) return undefined;
  return monthOrdinal(term.to) - monthOrdinal(term.from);
}

/** `from`..`to`, both `YYYY-MM` and inclusive: at least one month, at most a year. */
export const waiverTermSchema = z
  .object({ from: monthSchema, to: monthSchema })
  .strict()
  // Zod runs these even when a month is malformed; span() leaves that to the month's own issue.
  .refine((term) => (span(term) ?? 0) >= 0, { message: 'TERM_REVERSED', path: ['to'] })
  .refine((term) => (span(term) ?? 0) < maxWaiverTermMonths, {
    message: 'TERM_TOO_LONG',
    path: ['to'],
  });

/** The 困难家庭学费减免 application a family submits (POST /v1/tuition-waivers). */
export const waiverFormSchema = z
  .object({
    child: z.object({ name: personNameSchema, idNumber: idNumberSchema }).strict(),
    guardian: z
      .object({ name: personNameSchema, idNumber: idNumberSchema, phone: mobileSchema })
      .strict(),
    providerId: providerIdSchema,
    hardship: z
      .object({ category: hardshipCategorySchema, certificateNo: hardshipCertificateNoSchema })
      .strict(),
    term: waiverTermSchema,
    /** What the family says it pays; the provider confirms the real figure later. */
    monthlyTuitionYuan: z.number().positive().max(100_000).multipleOf(0.01),
    /** Also apply for 爱心牛奶 (the monthly milk / formula subsidy). */
    milkSubsidy: z.boolean(),
  })
  .strict();

export type WaiverForm = z.output<typeof waiverFormSchema>;
