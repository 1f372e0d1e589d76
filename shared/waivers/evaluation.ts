import type {
  HardshipCategory,
  HardshipRecord,
  HukouDistrict,
} from '../registries/registry-records.ts';
import { sameName } from '../registries/same-name.ts';

import { ageReachedOn } from '../subsidy/eligibility.ts';
import {
  addMonths,
  firstDayOf,
  lastDayOf,
  monthsBetween,
  shanghaiMonth,
} from '../subsidy/policy/shanghai-calendar.ts';
import { parseIdNumber } from '../validation/id-number.ts';
import type { WaiverPolicy } from './policy/policy.ts';
import {
  type WaiverCut,
  type WaiverCutCode,
  type WaiverReason,
  type WaiverReasonCode,
  type WaiverReasonFacts,
  waiverCut,
  waiverReason,
  waiverReasonCodes,
} from './reasons.ts';
import type { WaiverForm } from './waiver-form.ts';

/*
 * Whether a 困难家庭学费减免 application can be granted, and for which months, as pure functions
 * of the application, what the registries say and the policy in force. Every reason is reported
 * at once (一次性告知).
 *
 * A term month is granted when, for that month:
 * - the child is under the age limit for the whole month (the limit birthday, 3rd by default,
 *   falls after the month's first day), as for 入托补助;
 * - the provider is registered on some day of the month (inclusive or not: waivers apply at any
 *   registered provider) and is not suspended now;
 * - the civil-affairs hardship status holds on the month's first day (`validUntil` ≥ the 1st): a
 *   status valid on the 1st counts for the whole month.
 * Months failing a rule are cut, and the decision says which and why; the application is refused
 * only when a rule fails for the whole term, or the cuts together leave no month.
 *
 * The timing of the term (ended, too far ahead) is judged once, when the family files it
 * ({@link preSubmissionWaiverChecks}), never again: the case's own processing time (a civil-affairs
 * verification, an amendment) must not turn a timely application into a late one.
 */

/** What the term checks need from the form. */
export type WaiverTermFacts = Pick<WaiverForm, 'child' | 'term'>;

/** What the evaluation needs from the form. */
export type WaiverFacts = Pick<WaiverForm, 'child' | 'term' | 'hardship'>;

/** What the evaluation needs from the household registry's record of the child. */
export interface WaiverResident {
  readonly name: string;
  readonly hukouDistrict: HukouDistrict;
}

/** What the evaluation needs from our provider register. Dates are Huzhou calendar days. */
export interface WaiverProvider {
  readonly status: 'registered' | 'suspended' | 'revoked';
  /** `YYYY-MM-DD`, first day of the registration. */
  readonly registeredFrom: string;
  /** `YYYY-MM-DD`, last day of the registration; absent while it is open-ended. */
  readonly registeredUntil?: string | undefined;
}

/** The civil-affairs registry's record of the guardian's or, failing that, the child's status. */
export interface HardshipEvidence {
  readonly record: HardshipRecord;
  readonly verifiedFor: 'guardian' | 'child';
}

export interface EvaluateWaiverInput {
  readonly form: WaiverFacts;
  /** Undefined when the household registry has no record of the child's ID number. */
  readonly resident?: WaiverResident | undefined;
  /**
   * The registry's record; undefined when it has none for the guardian nor the child (civil
   * affairs must verify the certificate); `'manual'` when civil-affairs staff confirmed the claimed
   * category by hand without an expiry date.
   */
  readonly hardship?: HardshipEvidence | 'manual' | undefined;
  /** Undefined when no provider has the application's providerId. */
  readonly provider?: WaiverProvider | undefined;
  /**
   * When the check runs. No rule depends on it: the term's timing was judged at filing (see
   * above); kept so that callers state the moment they judged at, as they record it.
   */
  readonly today: Date;
  readonly policy: WaiverPolicy;
}

export type WaiverEvaluation =
  | {
      readonly outcome: 'rejected';
      /**
       * Ordered as {@link waiverReasonCodes}. With `NO_MONTH_LEFT` come the month cuts that
       * emptied the term; other refusals come without cuts (they would not change the outcome).
       */
      readonly reasons: WaiverReason[];
    }
  /** Eligible but for the hardship status, which civil affairs must verify by hand. */
  | { readonly outcome: 'needs-verification' }
  | {
      readonly outcome: 'eligible';
      /** The civil-affairs registry's category, which wins over the one claimed; as claimed when verified by hand. */
      readonly category: HardshipCategory;
      /** The category the family claimed, kept so a decision can show where the two differ. */
      readonly claimedCategory: HardshipCategory;
      /** Whose status was verified: the guardian's or child's registry record, or by hand. */
      readonly verifiedFor: 'guardian' | 'child' | 'manual';
      /** Share of the monthly tuition waived, from the policy for `category`. */
      readonly percent: number;
      /** The granted `YYYY-MM` months, ascending. */
      readonly months: string[];
      /** Term months not granted, in {@link waiverReasonCodes} order; empty when none. */
      readonly cuts: WaiverCut[];
    };

/** The months of `from`..`to` (inclusive, ascending). */
const monthsOf = (term: { from: string; to: string }) => monthsBetween(term.from, term.to);

function factsOf(policy: WaiverPolicy, hardshipValidUntil?: string): WaiverReasonFacts {
  return {
    ageLimitMonths: policy.ageLimitMonths,
    maxTermMonths: policy.maxTermMonths,
    maxMonthsAhead: policy.maxMonthsAhead,
    ...(hardshipValidUntil === undefined ? {} : { hardshipValidUntil }),
  };
}

/** Term months on or after the day the child reaches the policy's age limit. */
function monthsTooOld(form: WaiverTermFacts, months: readonly string[], policy: WaiverPolicy) {
  const { birthDate } = parseIdNumber(form.child.idNumber);
  const limitReached = ageReachedOn(birthDate, policy.ageLimitMonths);
  return months.filter((month) => limitReached <= firstDayOf(month));
}

/**
 * Registered on any day of the month, as for 入托补助: a provider registered on the 28th serves
 * that month. A suspension is judged apart, as the provider's state now.
 */
function registeredDuringMonth(provider: WaiverProvider, month: string): boolean {
  // Tolerates full ISO timestamps: only the calendar day counts.
  const from = provider.registeredFrom.slice(0, 10);
  const until = provider.registeredUntil?.slice(0, 10);
  return (
    provider.status !== 'revoked' &&
    from <= lastDayOf(month) &&
    (until === undefined || until >= firstDayOf(month))
  );
}

/** A status valid on the month's first day counts for the whole month. */
function hardshipHoldsIn(record: HardshipRecord, month: string): boolean {
  return record.validUntil.slice(0, 10) >= firstDayOf(month);
}

function inCodeOrder<R extends { code: WaiverReasonCode }>(reasons: readonly R[]): R[] {
  return [...reasons].sort(
    (a, b) => waiverReasonCodes.indexOf(a.code) - waiverReasonCodes.indexOf(b.code),
  );
}

/** The rules about the term that do not depend on the day: its length and the child's age. */
function termReasons(
  form: WaiverTermFacts,
  months: readonly string[],
  policy: WaiverPolicy,
): WaiverReason[] {
  const facts = factsOf(policy);
  const reasons: WaiverReason[] = [];
  if (months.length > policy.maxTermMonths) reasons.push(waiverReason('TERM_TOO_LONG', [], facts));
  if (monthsTooOld(form, months, policy).length === months.length) {
    reasons.push(waiverReason('CHILD_TOO_OLD', [], facts));
  }
  return reasons;
}

/**
 * What can be judged from the form alone, before any registry is asked: a term that has ended
 * (before the current Huzhou month; its past months are fine while it runs), one starting more
 * than `maxMonthsAhead` months after the current month, one longer than the policy allows, and a
 * child past the age limit in every month of it. The API refuses the application with 422 when
 * this is not empty. Expects a form that passed {@link waiverFormSchema}: an invalid child ID
 * number throws InvalidIdNumberError.
 */
export function preSubmissionWaiverChecks(
  form: WaiverTermFacts,
  today: Date,
  policy: WaiverPolicy,
): WaiverReason[] {
  const facts = factsOf(policy);
  const current = shanghaiMonth(today);
  const reasons: WaiverReason[] = [];
  // `YYYY-MM` strings compare like the months they spell.
  if (form.term.to < current) reasons.push(waiverReason('TERM_ENDED', [], facts));
  if (form.term.from > addMonths(current, policy.maxMonthsAhead)) {
    reasons.push(waiverReason('TERM_TOO_FAR_AHEAD', [], facts));
  }
  reasons.push(...termReasons(form, monthsOf(form.term), policy));
  return inCodeOrder(reasons);
}

/**
 * Every rule at once but the term's timing: the child (age, registry, name, 户籍), the provider
 * and the hardship status, with the months granted and the months cut. Without a registry record
 * of the hardship status the outcome is `needs-verification` — unless the application fails
 * anyway, which refuses it without troubling civil affairs.
 */
export function evaluateWaiver(input: EvaluateWaiverInput): WaiverEvaluation {
  const { form, resident, hardship, provider, policy } = input;
  const months = monthsOf(form.term);
  const record = hardship === undefined || hardship === 'manual' ? undefined : hardship.record;
  const facts = factsOf(policy, record?.validUntil);

  const rejections = termReasons(form, months, policy);
  if (resident === undefined) {
    rejections.push(waiverReason('CHILD_NOT_IN_REGISTRY', [], facts));
  } else {
    if (!sameName(resident.name, form.child.name)) {
      rejections.push(waiverReason('CHILD_NAME_MISMATCH', [], facts));
    }
    if (resident.hukouDistrict === 'other') {
      rejections.push(waiverReason('NOT_HUZHOU_HUKOU', [], facts));
    }
  }
  const unregistered =
    provider === undefined
      ? months
      : months.filter((month) => !registeredDuringMonth(provider, month));
  if (unregistered.length === months.length) {
    rejections.push(waiverReason('PROVIDER_NOT_REGISTERED', [], facts));
  }
  // A suspension is the provider's state now, with no history: it blocks the whole application.
  if (provider?.status === 'suspended') {
    rejections.push(waiverReason('PROVIDER_SUSPENDED', [], facts));
  }
  const expired = record ? months.filter((month) => !hardshipHoldsIn(record, month)) : [];
  if (record && expired.length === months.length) {
    rejections.push(waiverReason('HARDSHIP_NOT_VERIFIED', [], facts));
  }
  if (rejections.length > 0) return { outcome: 'rejected', reasons: inCodeOrder(rejections) };

  const cutMonths: [WaiverCutCode, string[]][] = [
    ['MONTHS_AFTER_THIRD_BIRTHDAY', monthsTooOld(form, months, policy)],
    ['MONTHS_AFTER_HARDSHIP_EXPIRY', expired],
    ['MONTHS_PROVIDER_NOT_REGISTERED', unregistered],
  ];
  const cuts = cutMonths
    .filter(([, cut]) => cut.length > 0)
    .map(([code, cut]) => waiverCut(code, cut, facts));
  const cut = new Set(cuts.flatMap((found) => found.months));
  const granted = months.filter((month) => !cut.has(month));
  if (granted.length === 0) {
    return {
      outcome: 'rejected',
      reasons: inCodeOrder([waiverReason('NO_MONTH_LEFT', [], facts), ...cuts]),
    };
  }
  if (hardship === undefined) return { outcome: 'needs-verification' };

  const category = hardship === 'manual' ? form.hardship.category : hardship.record.category;
  return {
    outcome: 'eligible',
    category,
    claimedCategory: form.hardship.category,
    verifiedFor: hardship === 'manual' ? 'manual' : hardship.verifiedFor,
    percent: policy.percentByCategory[category],
    months: granted,
    cuts: inCodeOrder(cuts),
  };
}

/** An amount that cannot be a sum of money in yuan: a programming or data error, never retried. */
export class InvalidWaiverAmountError extends Error {
  constructor(reason: string) {
    super(`Invalid waiver amount: ${reason}`);
    this.name = 'InvalidWaiverAmountError';
  }
}

/**
 * Yuan to whole fen. `0.29 * 100` is 28.999…96 in floating point, so the product is rounded, but
 * only a sub-fen error is forgiven: a third decimal is refused, not silently rounded.
 */
function toFen(yuan: number, what: string): number {
  const fen = Math.round(yuan * 100);
  if (!Number.isFinite(yuan) || yuan < 0 || Math.abs(fen - yuan * 100) > 1e-6) {
    throw new InvalidWaiverAmountError(`${what} ${yuan} is not a whole number of fen`);
  }
  if (!Number.isSafeInteger(fen))
    throw new InvalidWaiverAmountError(`${what} ${yuan} is too large`);
  return fen;
}

export interface WaiverAmountsInput {
  /** The monthly tuition the provider confirmed, in yuan. */
  readonly tuitionYuan: number;
  /** Whole percent, 0–100. */
  readonly percent: number;
  /** The policy's most waived per month, in yuan. */
  readonly maxYuan: number;
}

/**
 * One month's waiver and what the family still pays, in yuan with at most two decimals. Computed
 * in integer fen: the percentage of the tuition is rounded half up to the fen (50 % of 1234.57 is
 * 617.285 → 617.29), then capped at the maximum; the remainder is the rest of the tuition, so the
 * two always add up to it exactly.
 */
export function waiverAmounts(input: WaiverAmountsInput): {
  waivedYuan: number;
  remainderYuan: number;
} {
  const { tuitionYuan, percent, maxYuan } = input;
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new InvalidWaiverAmountError(`percent ${percent} is not a whole number from 0 to 100`);
  }
  const tuitionFen = toFen(tuitionYuan, 'tuition');
  const maxFen = toFen(maxYuan, 'maximum');
  // tuitionFen * percent is a whole number of hundredths of a fen: +50 then floor is half up.
  const waivedFen = Math.min(Math.floor((tuitionFen * percent + 50) / 100), maxFen);
  return { waivedYuan: waivedFen / 100, remainderYuan: (tuitionFen - waivedFen) / 100 };
}

/** 爱心牛奶: the subsidy for one granted month under a policy, in yuan. */
export function milkAmountYuan(policy: WaiverPolicy): number {
  return policy.milkSubsidyYuanPerMonth;
}
