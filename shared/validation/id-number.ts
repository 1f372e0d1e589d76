import * as z from 'zod';
import { now } from '../clock/index.ts';
import { maskMiddle } from './mask.ts';
import type { ValidationMessageKey } from './messages.ts';

/*
 * 居民身份证号 (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence number
 * (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 *
 * The area code is where the birth was REGISTERED, not the holder's current 户籍: people move and
 * the number never changes. Anything that depends on 户籍 (e.g. which district pays a subsidy)
 * needs a registry lookup, never these six digits.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each value of the weighted sum mod 11. */
const CHECK_CHARACTERS = '10X98765432';
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  ...['11', '12', '13', '14', '15', '21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54'],
  ...['61', '62', '63', '64', '65', '71', '81', '82'],
]);
const SHAPE = /^\d{17}[\dX]$/;
const EARLIEST_BIRTH_YEAR = 1900;
/** Birth dates are Beijing-time calendar dates; China has had no daylight saving since 1991. */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export type IdNumberProblem = Extract<ValidationMessageKey, `ID_NUMBER_${string}`>;

export interface IdNumberInfo {
  /** Birth-registration area (GB/T 2260), NOT the current 户籍. */
  readonly areaCode: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
}

/** Thrown by {@link parseIdNumber}. Carries the problems, never the number itself (it is PII). */
export class InvalidIdNumberError extends Error {
  readonly problems: readonly IdNumberProblem[];
  constructor(problems: readonly IdNumberProblem[]) {
    super(`Invalid ID number: ${problems.join(', ')}`);
    this.name = 'InvalidIdNumberError';
    this.problems = problems;
  }
}

/** The check character for the first 17 digits of an ID number. */
export function idNumberCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('Expected exactly 17 digits');
  let sum = 0;
  WEIGHTS.forEach((weight, index) => {
    sum += Number(first17[index]) * weight;
  });
  return CHECK_CHARACTERS.charAt(sum % 11);
}

function normalise(value: string): string {
  return value.trim().toUpperCase();
}

/** Today on the one clock (shared/clock), so that a moved local clock judges birth dates too. */
function todayInBeijing(): string {
  return new Date(now().getTime() + BEIJING_OFFSET_MS)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
}

function isPlausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < EARLIEST_BIRTH_YEAR || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; Date.UTC knows the leap years.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Same-length digit strings compare like the dates they spell.
  return day <= daysInMonth && yyyymmdd <= todayInBeijing();
}

/** Every problem with an already normalised value; empty when it is a valid ID number. */
function problemsOf(normalised: string): IdNumberProblem[] {
  if (!SHAPE.test(normalised)) return ['ID_NUMBER_FORMAT'];
  const problems: IdNumberProblem[] = [];
  if (!PROVINCE_CODES.has(normalised.slice(0, 2))) problems.push('ID_NUMBER_PROVINCE');
  if (!isPlausibleBirthDate(normalised.slice(6, 14))) problems.push('ID_NUMBER_BIRTH_DATE');
  if (idNumberCheckDigit(normalised.slice(0, 17)) !== normalised.charAt(17)) {
    problems.push('ID_NUMBER_CHECK_DIGIT');
  }
  return problems;
}

export function isValidIdNumber(value: string): boolean {
  return typeof value === 'string' && problemsOf(normalise(value)).length === 0;
}

/** What an ID number says about its holder. Throws {@link InvalidIdNumberError} if it is invalid. */
export function parseIdNumber(value: string): IdNumberInfo {
  const normalised = typeof value === 'string' ? normalise(value) : '';
  const problems = problemsOf(normalised);
  if (problems.length > 0) throw new InvalidIdNumberError(problems);
  const birth = normalised.slice(6, 14);
  return {
    areaCode: normalised.slice(0, 6),
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(normalised.charAt(16)) % 2 === 1 ? 'male' : 'female',
  };
}

/**
 * An ID number, trimmed and with a lowercase check `x` upper-cased. A malformed value gets one
 * `ID_NUMBER_FORMAT` issue; otherwise each of province, birth date and check digit that is wrong
 * gets its own issue, so a person learns everything to fix at once.
 */
export const idNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    for (const problem of problemsOf(value)) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `330102199001011234` → `330***********1234`; any other string is masked the same way. */
export function maskIdNumber(value: string): string {
  return maskMiddle(value.trim().toUpperCase(), 3, 4);
}
