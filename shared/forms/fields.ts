import * as z from 'zod';

/** Names as written on the 户口簿: Chinese, with the middle dot of minority names, or Latin. */
export const personNameSchema = z
  .string()
  .trim()
  // An empty name is reported once, as empty, not also as containing bad characters.
  .min(1, { abort: true })
  .max(50)
  .regex(/^[\p{Script=Han}\p{Script=Latin}·•. '-]+$/u, { message: 'PERSON_NAME_INVALID' });

/** A calendar month, `YYYY-MM`. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'MONTH_FORMAT' });

/** Our provider registry's ids. */
export const providerIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, { message: 'PROVIDER_ID_INVALID' });
