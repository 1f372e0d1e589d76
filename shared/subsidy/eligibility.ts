import { sameName } from '../registries/same-name.ts';
import type { District } from '../validation/district.ts';
import { parseIdNumber } from '../validation/id-number.ts';
import type { SubsidyClaimForm } from './claim-form.ts';
import type { SubsidyPolicy } from './policy/policy.ts';
import {
  addMonths,
  firstDayOf,
  lastDayOf,
  monthOrdinal,
  shanghaiMonth,
} from './policy/shanghai-calendar.ts';
import { type Reason, type ReasonCode, type ReasonFacts, reason, reasonCodes } from './reasons.ts';

/*
 * Whether a 入托补助 claim can be paid, as pure functions of the claim, what the registries say
 * and the policy in force. Every reason is reported at once (一次性告知): a family fixes all of
 * them in one go instead of discovering them one rejection at a time.
 *
 * Rules, each judged month by month:
 * - a month can be claimed once it has begun (the current Huzhou month included) and for
 *   `claimWindowMonths` months counting the current one (6 → this month and the 5 before it);
 * - the child must be born on or before the month's first day and be under the age limit for the
 *   whole month, i.e. the limit birthday (3rd by default) falls after the month's first day;
 * - the provider must be registered during the month, inclusive (普惠), and not suspended.
 */

/** What eligibility needs from the claim form. */
export type ClaimFacts = Pick<SubsidyClaimForm, 'child' | 'months'>;

/** What eligibility needs from the population registry's record of the child. */
export interface EligibilityResident {
  readonly name: string;
  readonly hukouDistrict: District | 'other';
}

/** What eligibility needs from our provider register. Dates are Huzhou calendar days. */
export interface EligibilityProvider {
  readonly inclusive: boolean;
  readonly status: 'registered' | 'suspended' | 'revoked';
  /** `YYYY-MM-DD`, first day of the registration. */
  readonly registeredFrom: string;
  /** `YYYY-MM-DD`, last day of the registration; absent while it is open-ended. */
  readonly registeredUntil?: string | undefined;
}

export interface EvaluateClaimInput {
  readonly form: ClaimFacts;
  /** Undefined when the registry has no record of the child's ID number. */
  readonly resident?: EligibilityResident | undefined;
  /** Undefined when no provider has the claim's providerId. */
  readonly provider?: EligibilityProvider | undefined;
  readonly today: Date;
  readonly policy: SubsidyPolicy;
}

export interface ClaimEvaluation {
  readonly eligible: boolean;
  /** Empty exactly when eligible; ordered as {@link reasonCodes}. */
  readonly reasons: Reason[];
  readonly policyVersion: string;
  /** The months judged, distinct and ascending. */
  readonly months: string[];
}

/** The oldest and newest month (`YYYY-MM`) a claim filed at `today` may include. */
export function claimWindow(today: Date, policy: SubsidyPolicy): { from: string; to: string } {
  const to = shanghaiMonth(today);
  return { from: addMonths(to, -(policy.claimWindowMonths - 1)), to };
}

/**
 * The day a child born on `birthDate` (`YYYY-MM-DD`) turns `ageMonths` months old. A birthday
 * the target month lacks moves to the next month's 1st, as ages are counted in China (周岁 by
 * the calendar): born on 29 February, a child turns three on 1 March of the (non-leap) third year.
 */
export function ageReachedOn(birthDate: string, ageMonths: number): string {
  const day = Number(birthDate.slice(8, 10));
  const month = addMonths(birthDate.slice(0, 7), ageMonths);
  const daysInMonth = Number(lastDayOf(month).slice(8, 10));
  if (day > daysInMonth) return firstDayOf(addMonths(month, 1));
  return `${month}-${String(day).padStart(2, '0')}`;
}

function distinctMonths(months: readonly string[]): string[] {
  for (const month of months) monthOrdinal(month);
  return [...new Set(months)].sort();
}

function factsOf(policy: SubsidyPolicy): ReasonFacts {
  return {
    ageLimitMonths: policy.ageLimitMonths,
    claimWindowMonths: policy.claimWindowMonths,
    maxMonthsPerClaim: policy.maxMonthsPerClaim,
  };
}

/** Collects months per code, then builds one reason per code in {@link reasonCodes} order. */
class ReasonCollector {
  readonly #found = new Map<ReasonCode, string[]>();
  readonly #facts: ReasonFacts;

  constructor(facts: ReasonFacts) {
    this.#facts = facts;
  }

  /** Records a reason about the given months; nothing when the list is empty. */
  months(code: ReasonCode, months: readonly string[]): void {
    if (months.length > 0) this.#found.set(code, [...(this.#found.get(code) ?? []), ...months]);
  }

  /** Records a reason about the claim as a whole. */
  whole(code: ReasonCode): void {
    if (!this.#found.has(code)) this.#found.set(code, []);
  }

  reasons(): Reason[] {
    return reasonCodes
      .filter((code) => this.#found.has(code))
      .map((code) => reason(code, this.#found.get(code), this.#facts));
  }
}

function checkClaim(
  collector: ReasonCollector,
  months: readonly string[],
  childIdNumber: string,
  today: Date,
  policy: SubsidyPolicy,
): void {
  const window = claimWindow(today, policy);
  // `YYYY-MM` strings compare like the months they spell.
  collector.months(
    'MONTH_IN_FUTURE',
    months.filter((month) => month > window.to),
  );
  collector.months(
    'MONTH_TOO_OLD',
    months.filter((month) => month < window.from),
  );
  if (months.length > policy.maxMonthsPerClaim) collector.whole('TOO_MANY_MONTHS');

  const { birthDate } = parseIdNumber(childIdNumber);
  const limitReached = ageReachedOn(birthDate, policy.ageLimitMonths);
  collector.months(
    'CHILD_NOT_BORN',
    months.filter((month) => birthDate > firstDayOf(month)),
  );
  collector.months(
    'CHILD_TOO_OLD',
    months.filter((month) => limitReached <= firstDayOf(month)),
  );
}

/** Registered on any day of the month: a provider registered on the 28th serves that month. */
function registeredDuringMonth(provider: EligibilityProvider, month: string): boolean {
  // Tolerates full ISO timestamps: only the calendar day counts.
  const from = provider.registeredFrom.slice(0, 10);
  const until = provider.registeredUntil?.slice(0, 10);
  return (
    provider.status !== 'revoked' &&
    from <= lastDayOf(month) &&
    (until === undefined || until >= firstDayOf(month))
  );
}

function checkProvider(
  collector: ReasonCollector,
  months: readonly string[],
  provider: EligibilityProvider | undefined,
): void {
  if (provider === undefined) {
    collector.whole('PROVIDER_NOT_REGISTERED');
    return;
  }
  collector.months(
    'PROVIDER_NOT_REGISTERED',
    months.filter((month) => !registeredDuringMonth(provider, month)),
  );
  if (!provider.inclusive) collector.whole('PROVIDER_NOT_INCLUSIVE');
  // A suspension is the provider's state now, with no history: it blocks the whole claim.
  if (provider.status === 'suspended') collector.whole('PROVIDER_SUSPENDED');
}

function checkResident(
  collector: ReasonCollector,
  form: ClaimFacts,
  resident: EligibilityResident | undefined,
): void {
  if (resident === undefined) {
    collector.whole('CHILD_NOT_IN_REGISTRY');
    return;
  }
  if (!sameName(resident.name, form.child.name)) collector.whole('CHILD_NAME_MISMATCH');
  if (resident.hukouDistrict === 'other') collector.whole('NOT_HUZHOU_HUKOU');
}

/**
 * What can be judged from the form alone, before any registry is asked: the months (not begun,
 * outside the claim window, too many) and the child's age in each month (birth date from the ID
 * number). The API refuses the claim with 422 when this is not empty. Expects a form that passed
 * {@link subsidyClaimFormSchema}: an invalid child ID number throws InvalidIdNumberError.
 */
export function preSubmissionChecks(
  form: ClaimFacts,
  today: Date,
  policy: SubsidyPolicy,
): Reason[] {
  const collector = new ReasonCollector(factsOf(policy));
  checkClaim(collector, distinctMonths(form.months), form.child.idNumber, today, policy);
  return collector.reasons();
}

/** Every rule at once: the pre-submission checks plus the registry's and the provider's. */
export function evaluateClaim(input: EvaluateClaimInput): ClaimEvaluation {
  const { form, resident, provider, today, policy } = input;
  const months = distinctMonths(form.months);
  const collector = new ReasonCollector(factsOf(policy));
  checkClaim(collector, months, form.child.idNumber, today, policy);
  checkResident(collector, form, resident);
  checkProvider(collector, months, provider);
  const reasons = collector.reasons();
  return { eligible: reasons.length === 0, reasons, policyVersion: policy.version, months };
}

/** The subsidy for the given months under a policy, in yuan, rounded to the fen. */
export function subsidyAmountYuan(policy: SubsidyPolicy, months: readonly string[]): number {
  const count = distinctMonths(months).length;
  return Math.round(count * policy.monthlyAmountYuan * 100) / 100;
}
