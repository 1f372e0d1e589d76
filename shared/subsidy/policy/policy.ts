import * as z from 'zod';
import {
  loadPolicies,
  type PolicyFamily,
  policyInForce,
  policyOfVersion,
} from '../../policy/versioned-policies.ts';
import v2025_01 from './versions/2025-01.json' with { type: 'json' };
import v2026_07 from './versions/2026-07.json' with { type: 'json' };

/*
 * The 入托补助 rules as data: each version is a JSON file under ./versions, in force from its
 * `effectiveFrom` (a Huzhou calendar date) until the next version starts. A new rule set is a new
 * file plus one import below, never an edit to a published version: decided claims keep the
 * `policyVersion` they were judged under.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // Rejects 2025-02-30 and the like: a real date survives the round trip unchanged.
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
  }, 'not a calendar date');

export const subsidyPolicySchema = z
  .object({
    version: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    effectiveFrom: isoDate,
    monthlyAmountYuan: z.number().positive().multipleOf(0.01),
    /** How many calendar months, counting the current one, a family may claim. */
    claimWindowMonths: z.number().int().min(1),
    maxMonthsPerClaim: z.number().int().min(1),
    /** The child must be younger than this for the whole month. */
    ageLimitMonths: z.number().int().min(1),
    /** True while the amount is ours, not the city's: shown to staff, never hidden. */
    amountIsPlaceholder: z.boolean(),
    /** Where the rule comes from, in the words of the document. */
    source: z.string().min(1),
    notes: z.string().optional(),
  })
  .strict();

export type SubsidyPolicy = Readonly<z.infer<typeof subsidyPolicySchema>>;

/** A policy file that does not match the schema, or a set of versions that contradict each other. */
export class InvalidSubsidyPolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSubsidyPolicyError';
  }
}

/** Asked for a version that was never published. */
export class UnknownSubsidyPolicyVersionError extends Error {
  readonly version: string;
  constructor(version: string) {
    super(`No subsidy policy version ${version}`);
    this.name = 'UnknownSubsidyPolicyVersionError';
    this.version = version;
  }
}

/** Asked for the rules on a day before the first version took effect: there was no subsidy. */
export class NoSubsidyPolicyInForceError extends Error {
  readonly date: string;
  constructor(date: string) {
    super(`No subsidy policy in force on ${date}`);
    this.name = 'NoSubsidyPolicyInForceError';
    this.date = date;
  }
}

const family: PolicyFamily = {
  name: 'Subsidy policy',
  invalid: (message, options) => new InvalidSubsidyPolicyError(message, options),
  unknownVersion: (version) => new UnknownSubsidyPolicyVersionError(version),
  noneInForce: (date) => new NoSubsidyPolicyInForceError(date),
};

/** Validates policy versions and orders them by `effectiveFrom` (see {@link loadPolicies}). */
export function loadSubsidyPolicies(raw: readonly unknown[]): readonly SubsidyPolicy[] {
  return loadPolicies(subsidyPolicySchema, raw, family);
}

/** Every published version, oldest first. */
export const subsidyPolicies: readonly SubsidyPolicy[] = loadSubsidyPolicies([v2025_01, v2026_07]);

/** The version in force at `date`: the latest whose `effectiveFrom` is on or before that Huzhou day. */
export function policyFor(
  date: Date,
  policies: readonly SubsidyPolicy[] = subsidyPolicies,
): SubsidyPolicy {
  return policyInForce(policies, date, family);
}

/** A published version by its name, e.g. the `policyVersion` stored with a decided case. */
export function policyByVersion(
  version: string,
  policies: readonly SubsidyPolicy[] = subsidyPolicies,
): SubsidyPolicy {
  return policyOfVersion(policies, version, family);
}
