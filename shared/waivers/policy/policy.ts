import * as z from 'zod';
import {
  loadPolicies,
  type PolicyFamily,
  policyInForce,
  policyOfVersion,
} from '../../policy/versioned-policies.ts';
import { calendarDateSchema, hardshipCategorySchema } from '../../registries/registry-records.ts';
import v2025_01 from './versions/2025-01.json' with { type: 'json' };

/*
 * The 困难家庭学费减免 and 爱心牛奶 rules as data: each version is a JSON file under ./versions,
 * in force from its `effectiveFrom` (a Huzhou calendar date) until the next version starts. A new
 * rule set is a new file plus one import below, never an edit to a published version: decided
 * cases keep the `policyVersion` they were judged under.
 */

const yuan = z.number().positive().multipleOf(0.01);

export const waiverPolicySchema = z
  .object({
    version: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    effectiveFrom: calendarDateSchema,
    /**
     * Share of the monthly tuition waived, in whole percent, for every category (a category
     * missing from a file is an error, not a 0 % waiver).
     */
    percentByCategory: z.record(hardshipCategorySchema, z.int().min(1).max(100)),
    /** The most waived in one month, whatever the tuition and percentage. */
    maxWaiverYuanPerMonth: yuan,
    /** 爱心牛奶: paid for each granted month when the family asked for it. */
    milkSubsidyYuanPerMonth: yuan,
    /** The child must be younger than this for the whole month. */
    ageLimitMonths: z.int().min(1),
    /** The longest term one application may cover (the form itself caps at 12). */
    maxTermMonths: z.int().min(1).max(12),
    /** How many months after the current one a term may start. */
    maxMonthsAhead: z.int().min(0),
    /** True while the figures are ours, not the city's: shown to staff, never hidden. */
    placeholders: z.boolean(),
    /** Where the rule comes from, in the words of the document. */
    source: z.string().min(1),
    notes: z.string().optional(),
  })
  .strict();

export type WaiverPolicy = Readonly<z.infer<typeof waiverPolicySchema>>;

/** A policy file that does not match the schema, or a set of versions that contradict each other. */
export class InvalidWaiverPolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidWaiverPolicyError';
  }
}

/** Asked for a version that was never published. */
export class UnknownWaiverPolicyVersionError extends Error {
  readonly version: string;
  constructor(version: string) {
    super(`No waiver policy version ${version}`);
    this.name = 'UnknownWaiverPolicyVersionError';
    this.version = version;
  }
}

/** Asked for the rules on a day before the first version took effect: there were no waivers. */
export class NoWaiverPolicyInForceError extends Error {
  readonly date: string;
  constructor(date: string) {
    super(`No waiver policy in force on ${date}`);
    this.name = 'NoWaiverPolicyInForceError';
    this.date = date;
  }
}

const family: PolicyFamily = {
  name: 'Waiver policy',
  invalid: (message, options) => new InvalidWaiverPolicyError(message, options),
  unknownVersion: (version) => new UnknownWaiverPolicyVersionError(version),
  noneInForce: (date) => new NoWaiverPolicyInForceError(date),
};

/** Validates policy versions and orders them by `effectiveFrom` (see {@link loadPolicies}). */
export function loadWaiverPolicies(raw: readonly unknown[]): readonly WaiverPolicy[] {
  return loadPolicies(waiverPolicySchema, raw, family);
}

/** Every published version, oldest first. */
export const waiverPolicies: readonly WaiverPolicy[] = loadWaiverPolicies([v2025_01]);

/** The version in force at `date`: the latest whose `effectiveFrom` is on or before that Huzhou day. */
export function waiverPolicyFor(
  date: Date,
  policies: readonly WaiverPolicy[] = waiverPolicies,
): WaiverPolicy {
  return policyInForce(policies, date, family);
}

/** A published version by its name, e.g. the `policyVersion` stored with a decided case. */
export function waiverPolicyByVersion(
  version: string,
  policies: readonly WaiverPolicy[] = waiverPolicies,
): WaiverPolicy {
  return policyOfVersion(policies, version, family);
}
