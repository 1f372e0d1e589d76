import * as z from 'zod';
import { districtSchema } from '../validation/district.ts';

/** A calendar date, YYYY-MM-DD (real days only: no 2025-02-29). */
export const calendarDateSchema = z.iso.date();

/** Where a resident's 户籍 is: one of Huzhou's areas, or `other` for anywhere outside Huzhou. */
export const hukouDistrictSchema = z.enum([...districtSchema.options, 'other']);
export type HukouDistrict = z.infer<typeof hukouDistrictSchema>;

/** A person as the household registry (户籍) knows them. */
export const residentSchema = z.object({
  idNumber: z.string().min(1),
  name: z.string().min(1),
  birthDate: calendarDateSchema,
  hukouDistrict: hukouDistrictSchema,
});
export type Resident = z.infer<typeof residentSchema>;

/**
 * Civil-affairs hardship categories: 低保 (minimum living allowance), 低边 (just above it),
 * 特困 (destitute), 孤儿 (orphan), 残疾 (disability).
 */
export const hardshipCategorySchema = z.enum(['dibao', 'dibian', 'tekun', 'orphan', 'disabled']);
export type HardshipCategory = z.infer<typeof hardshipCategorySchema>;

/** A hardship status on file; whether it still counts on a given day is the caller's decision. */
export const hardshipRecordSchema = z.object({
  category: hardshipCategorySchema,
  validUntil: calendarDateSchema,
});
export type HardshipRecord = z.infer<typeof hardshipRecordSchema>;

/** A business as market supervision (市场监管) knows it. */
export const enterpriseSchema = z.object({
  uscc: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(['active', 'revoked']),
});
export type Enterprise = z.infer<typeof enterpriseSchema>;

/** A resident together with their hardship status, as the local registry stores them. */
export type ResidentWithHardship = Resident & { hardship?: HardshipRecord };
