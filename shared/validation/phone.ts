import * as z from 'zod';
import { maskMiddle } from './mask.ts';
import type { ValidationMessageKey } from './messages.ts';

/** Mainland mobile numbers: 11 digits, 1 then 3–9 (no 10x, 11x or 12x mobile ranges exist). */
const MOBILE = /^1[3-9]\d{9}$/;
const SEPARATORS = /[\s-]/g;
const FORMAT: ValidationMessageKey = 'MOBILE_FORMAT';

/**
 * The bare 11-digit form of how people write a number (`+86 138-1234-5678`, `8613812345678`),
 * or undefined if it is not a mainland mobile number.
 */
export function toNationalMobile(value: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  let digits = value.replace(SEPARATORS, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return MOBILE.test(digits) ? digits : undefined;
}

export function isValidMobile(value: string): boolean {
  return toNationalMobile(value) !== undefined;
}

/** A mainland mobile number; the output is always the bare 11 digits. */
export const mobileSchema = z
  .string()
  .overwrite((value) => toNationalMobile(value) ?? value)
  .refine((value) => MOBILE.test(value), { error: FORMAT });

/** `13812345678` → `138****5678`; anything else keeps at most its first 3 and last 4 characters. */
export function maskMobile(value: string): string {
  const national = toNationalMobile(value);
  return national === undefined ? maskMiddle(value.trim(), 3, 4) : maskMiddle(national, 3, 4);
}
